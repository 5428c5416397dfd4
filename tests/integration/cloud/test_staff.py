"""Staff in the reference cloud over real HTTP, on SQLite and PostgreSQL: added, listed,
disabled and given new PINs by ``facepay-cloud staff`` (run in-process, the PIN on stdin),
pulled by a till of the store by cursor, which then signs them in with no cloud at all;
no PIN or hash in what the commands print or log."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from deploy.cloud import staff_records
from deploy.cloud.schema import staff
from terminal.app.staff_login import LoginRefused, LoginService
from terminal.domain.staff import Role
from terminal.storage import staff as staff_store
from terminal.storage.database import open_store
from tests.support.cloud_api import Cloud
from tests.support.staff_admin import add_staff, cloud_staff, db_url, pull_into

BOSS_PIN = "90817263"
ANN_PIN = "51627384"


def test_staff_added_by_the_cli_sign_in_at_a_till_that_pulled_them(
    cloud: Cloud, tmp_path: Path
) -> None:
    store, url = cloud.new_store(), db_url(cloud.db)
    add_staff(url, store, "boss", "manager", BOSS_PIN)
    add_staff(url, store, "ann", "cashier", ANN_PIN)
    device = cloud.new_device(store)

    till = open_store(tmp_path / "till.db")
    assert pull_into(till, cloud.base_url, device.token) == 2
    assert {(r.staff_id, r.role, r.source) for r in staff_store.all_staff(till)} == {
        ("boss", Role.MANAGER, "cloud"),
        ("ann", Role.CASHIER, "cloud"),
    }
    assert pull_into(till, cloud.base_url, device.token) == 0  # the cursor moved on
    # Signing in needs no cloud: the PIN is checked against the pulled hash.
    service = LoginService(till)
    assert service.login("ann", ANN_PIN).role is Role.CASHIER
    with pytest.raises(LoginRefused):
        service.login("ann", BOSS_PIN)


def test_a_disabled_member_is_removed_at_the_next_pull(cloud: Cloud, tmp_path: Path) -> None:
    store, url = cloud.new_store(), db_url(cloud.db)
    add_staff(url, store, "ann", "cashier", ANN_PIN)
    device = cloud.new_device(store)
    till = open_store(tmp_path / "till.db")
    pull_into(till, cloud.base_url, device.token)
    assert staff_store.get(till, "ann") is not None

    assert cloud_staff(url, "disable", "ann", "--store", store) == 0
    [change] = device.http.get("/v1/staff", params={"cursor": 1}).json()["changes"]
    assert change == {
        "seq": 2,
        "type": "delete",
        "staff_id": "ann",
        "name": None,
        "role": None,
        "pin_hash": None,
    }
    pull_into(till, cloud.base_url, device.token)
    assert staff_store.get(till, "ann") is None
    with pytest.raises(LoginRefused) as refused:
        LoginService(till).login("ann", ANN_PIN)
    assert refused.value.code == "staff.unknown"


def test_a_new_pin_replaces_the_old_one_at_the_next_pull(cloud: Cloud, tmp_path: Path) -> None:
    store, url = cloud.new_store(), db_url(cloud.db)
    add_staff(url, store, "ann", "cashier", ANN_PIN)
    device = cloud.new_device(store)
    till = open_store(tmp_path / "till.db")
    pull_into(till, cloud.base_url, device.token)
    assert cloud_staff(url, "set-pin", "ann", "--store", store, pin="44332211") == 0
    pull_into(till, cloud.base_url, device.token)
    service = LoginService(till)
    with pytest.raises(LoginRefused):
        service.login("ann", ANN_PIN)
    assert service.login("ann", "44332211").staff_id == "ann"


def test_the_stream_pages_by_cursor_and_belongs_to_the_store(cloud: Cloud) -> None:
    store, other, url = cloud.new_store(), cloud.new_store(), db_url(cloud.db)
    for staff_id in ("a1", "a2", "a3"):
        add_staff(url, store, staff_id, "cashier", "1234")
    add_staff(url, other, "elsewhere", "manager", "1234")
    device = cloud.new_device(store)
    first = device.http.get("/v1/staff", params={"limit": 2}).json()
    assert [c["staff_id"] for c in first["changes"]] == ["a1", "a2"]
    assert (first["next_cursor"], first["has_more"]) == (2, True)
    rest = device.http.get("/v1/staff", params={"cursor": 2}).json()
    assert [c["staff_id"] for c in rest["changes"]] == ["a3"]
    assert (rest["next_cursor"], rest["has_more"]) == (3, False)
    assert cloud.client().get("/v1/staff").status_code == 401


def test_numbers_stay_unique_when_operators_add_at_once(cloud: Cloud) -> None:
    store = cloud.new_store()
    errors: list[BaseException] = []

    def add(n: int) -> None:
        try:
            staff_records.add(cloud.db, store, f"s{n}", name=f"S {n}", role="cashier", pin="1234")
        except BaseException as error:  # reported below, on the test's thread
            errors.append(error)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with cloud.db.read() as conn:
        seqs = [row.seq for row in staff_records.changes(conn, store, 0, 100)]
    assert seqs == [1, 2, 3, 4, 5, 6]


def test_what_the_commands_print_and_log_holds_no_pin_or_hash(
    cloud: Cloud, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store, url = cloud.new_store(), db_url(cloud.db)
    add_staff(url, store, "boss", "manager", BOSS_PIN)
    assert cloud_staff(url, "set-pin", "boss", "--store", store, pin=ANN_PIN) == 0
    assert cloud_staff(url, "list", "--store", store) == 0
    assert cloud_staff(url, "list", "--store", store, "--json") == 0
    out = capsys.readouterr()
    listed = json.loads(out.out[out.out.index("[") :])
    assert listed[0]["staff_id"] == "boss" and "pin_hash" not in listed[0]
    text = out.out + out.err + "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for secret in (BOSS_PIN, ANN_PIN, "argon2"):
        assert secret not in text
    # The database holds the hash only.
    with cloud.db.read() as conn:
        [stored] = conn.execute(sa.select(staff.c.pin_hash).where(staff.c.store_id == store)).all()
    assert stored.pin_hash.startswith("$argon2id$") and ANN_PIN not in stored.pin_hash


def test_refusals_of_the_commands(cloud: Cloud, capsys: pytest.CaptureFixture[str]) -> None:
    store, url = cloud.new_store(), db_url(cloud.db)
    add = ("add", "--store", store, "--id", "ann", "--name", "Ann", "--role", "cashier")
    assert cloud_staff(url, *add, pin="12") == 1
    assert cloud_staff(url, *add) == 1  # no PIN on stdin
    assert cloud_staff(url, *add, pin=ANN_PIN) == 0
    assert cloud_staff(url, *add, pin=ANN_PIN) == 1  # the id is taken
    assert cloud_staff(url, "add", "--store", "NOSUCH", "--id", "x", "--name", "X",
                       "--role", "cashier", pin=ANN_PIN) == 1  # fmt: skip
    assert cloud_staff(url, "disable", "ghost", "--store", store) == 1
    assert cloud_staff(url, "disable", "ann", "--store", store) == 0
    assert cloud_staff(url, "disable", "ann", "--store", store) == 0  # says: already
    assert cloud_staff(url, "set-pin", "ann", "--store", store, pin="4321") == 1  # disabled
    with pytest.raises(SystemExit):
        cloud_staff(url, "add", "--store", store, "--id", "b", "--name", "B", "--role", "owner")
    err = capsys.readouterr().err
    assert "a PIN is 4 to 8 digits" in err and "no PIN on stdin" in err
    assert "already" in err and "no store NOSUCH" in err and "is disabled" in err
    assert ANN_PIN not in err


def test_two_members_with_the_same_pin_get_different_hashes(cloud: Cloud) -> None:
    store, url = cloud.new_store(), db_url(cloud.db)
    add_staff(url, store, "a", "cashier", "2468")
    add_staff(url, store, "b", "cashier", "2468")
    changes = cloud.new_device(store).http.get("/v1/staff").json()["changes"]
    first, second = (c["pin_hash"] for c in changes)
    assert first != second
    assert PasswordHasher().verify(first, "2468") and PasswordHasher().verify(second, "2468")
