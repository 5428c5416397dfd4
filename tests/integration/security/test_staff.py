"""The attack suite, staff PINs. A device of another store gets none of a store's staff; the
staff stream carries salted slow hashes, never a PIN; guessing at a till is stopped by the
lockout, per id and across ids; and a hash built to stall the till is not accepted."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import Type, extract_parameters

from deploy.cloud.schema import staff
from terminal.app.staff_login import LoginRefused, LoginService
from terminal.storage import staff as staff_store
from terminal.storage.database import open_store
from tests.support.cloud_api import Cloud
from tests.support.fake_clock import FakeClock
from tests.support.staff_admin import add_staff, db_url, pull_into

BOSS_PIN = "7391"  # 4 digits: the weakest PIN there is, and still not guessed


def test_a_device_of_another_store_gets_none_of_its_staff(cloud: Cloud) -> None:
    store, url = cloud.new_store(), db_url(cloud.db)
    add_staff(url, store, "boss", "manager", BOSS_PIN)
    thief = cloud.new_device(cloud.new_store())
    for params in ({}, {"cursor": 0, "limit": 1000}):
        page = thief.http.get("/v1/staff", params=params).json()
        assert page == {"changes": [], "next_cursor": params.get("cursor", 0), "has_more": False}
    # Its own store's stream numbers start at 1: a cursor cannot reach into another's.
    assert thief.http.get("/v1/staff", params={"cursor": -1}).status_code == 422
    assert cloud.client("not-a-token").get("/v1/staff").status_code == 401


def test_the_stream_carries_salted_slow_hashes_never_a_pin(cloud: Cloud) -> None:
    store, url = cloud.new_store(), db_url(cloud.db)
    pins = {"boss": BOSS_PIN, "ann": "55512345", "bob": "55512345"}
    for staff_id, pin in pins.items():
        add_staff(url, store, staff_id, "cashier", pin)
    answer = cloud.new_device(store).http.get("/v1/staff")
    for pin in pins.values():
        assert pin not in answer.text
    hashes = {c["staff_id"]: c["pin_hash"] for c in answer.json()["changes"]}
    assert hashes["ann"] != hashes["bob"]  # the same PIN, salted apart
    for pin_hash in hashes.values():
        found = extract_parameters(pin_hash)
        assert found.type is Type.ID and found.memory_cost >= 64 * 1024
        assert re.fullmatch(r"\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[\w+/]+\$[\w+/]+", pin_hash)


def test_guessing_a_managers_pin_at_the_till_is_stopped_by_the_lockout(
    cloud: Cloud, tmp_path: Path
) -> None:
    store, url = cloud.new_store(), db_url(cloud.db)
    add_staff(url, store, "boss", "manager", BOSS_PIN)
    till = open_store(tmp_path / "till.db")
    pull_into(till, cloud.base_url, cloud.new_device(store).token)
    clock = FakeClock()
    service = LoginService(till, clock)
    start = clock.now

    # Every PIN in order, one a second, for half an hour of the thief's time: the right
    # one (7391) is far down the list.
    for guess in range(10_000):
        if clock.now - start > timedelta(minutes=30):
            break
        with pytest.raises(LoginRefused):
            service.login("boss", f"{guess:04d}")
    # Only a PIN that was checked is recorded; the rest were refused before any check.
    checked = staff_store.attempts_since(till, start)
    assert guess > 1_700 and len(checked) <= 35  # 5 a lock of 5 minutes: ~30, not 1,800
    assert service.current is None
    till.close()


def test_guessing_across_ids_locks_the_whole_till(cloud: Cloud, tmp_path: Path) -> None:
    store, url = cloud.new_store(), db_url(cloud.db)
    for n in range(4):
        add_staff(url, store, f"staff{n}", "cashier", f"{n}{n}{n}{n}1234")
    till = open_store(tmp_path / "till.db")
    pull_into(till, cloud.base_url, cloud.new_device(store).token)
    service = LoginService(till, FakeClock())
    codes = []
    for n in range(4):  # 3 guesses on each id: under the 5 that lock one id
        for guess in ("0000", "1111", "2222"):
            with pytest.raises(LoginRefused) as refused:
                service.login(f"staff{n}", guess)
            codes.append(refused.value.code)
    assert codes[9] == "staff.locked"  # the tenth wrong PIN on the till
    with pytest.raises(LoginRefused) as locked:
        service.login("staff0", "00001234")  # the right PIN waits too
    assert locked.value.code == "staff.locked"


def test_a_hash_built_to_stall_the_till_is_not_taken(cloud: Cloud, tmp_path: Path) -> None:
    # Someone with write access to the cloud's staff table sets a hash that would cost
    # 4 GiB and minutes per check: the till skips the record instead of hanging on it.
    store, url = cloud.new_store(), db_url(cloud.db)
    add_staff(url, store, "boss", "manager", BOSS_PIN)
    with cloud.db.write() as conn:
        stalling = re.sub(r"m=\d+,t=\d+", "m=4194304,t=1000", _stored_hash(conn, store))
        conn.execute(sa.update(staff).where(staff.c.store_id == store).values(pin_hash=stalling))
    till = open_store(tmp_path / "till.db")
    pull_into(till, cloud.base_url, cloud.new_device(store).token)
    assert staff_store.all_staff(till) == []


def _stored_hash(conn: sa.Connection, store: str) -> str:
    return str(conn.execute(sa.select(staff.c.pin_hash).where(staff.c.store_id == store)).scalar())
