"""The terminal's sync against the real reference server, over real sockets, on SQLite
and PostgreSQL: the happy path, the commands, a cloud down for a 10,000-order backlog,
slow answers and resets after commit through the fault proxy, and members both ways."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from deploy.cloud.erasure import erase_by_operator
from terminal.cli import exit_codes
from terminal.clock import utc_now
from terminal.storage import outbox
from terminal.storage.database import open_store
from terminal.sync.client import CloudClient
from terminal.sync.cycle import CycleReport, sync_once
from terminal.sync.status import read_status
from tests.support.cloud_process import CloudProcess
from tests.support.enrollments import MODEL, consents
from tests.support.fault_proxy import FaultProxy
from tests.support.orders import add_paid_orders
from tests.support.registered_till import Till

WATER = "6910263003875"
COLA = "6979104402918"


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "terminal", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


def cloud_orders(cloud: CloudDatabase, device_id: str) -> list[dict[str, object]]:
    return [d for d in admin.export_orders(cloud) if d["device_id"] == device_id]


def drain_until_empty(db: Database, till: Till, client: CloudClient, seconds: float) -> CycleReport:
    deadline = time.monotonic() + seconds
    members = till.members(db)
    while True:
        report = sync_once(db, client, members, pull=False, backoff_base_s=0.01)
        if outbox.stats(db).pending == 0:
            return report
        assert time.monotonic() < deadline, f"still {outbox.stats(db).pending} queued"
        time.sleep(0.02)


def assert_exactly_once(cloud: CloudDatabase, db: Database, device_id: str) -> None:
    local = {row["order_no"]: row["total_cents"] for row in db.query(
        "SELECT order_no, total_cents FROM orders WHERE state = 'paid'")}  # fmt: skip
    remote = cloud_orders(cloud, device_id)
    numbers = [str(d["order_no"]) for d in remote]
    assert len(numbers) == len(set(numbers)), "an order is stored twice"
    assert set(numbers) == set(local)
    totals = sum(int(d["totals"]["total_cents"]) for d in remote)  # type: ignore[index]
    paid = sum(int(d["paid_cents"]) for d in remote)  # type: ignore[arg-type]
    assert totals == paid == sum(local.values())


def test_register_sell_and_sync_with_the_commands(
    cloud_server: CloudProcess, cloud_admin: CloudDatabase, tmp_path: Path
) -> None:
    db = str(tmp_path / "till.db")
    code = admin.create_code(cloud_admin, "S001")
    assert cli("register", "--cloud", "http://127.0.0.1:9", "--code", code, "--db", db
               ).returncode == exit_codes.CLOUD  # fmt: skip
    assert cli("register", "--cloud", cloud_server.url, "--code", "WRONGCODE1", "--db", db
               ).returncode == exit_codes.BAD_INPUT  # fmt: skip
    done = cli("register", "--cloud", cloud_server.url, "--code", code, "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    device_id = json.loads(done.stdout)["device_id"]
    again = cli("register", "--cloud", cloud_server.url, "--code", code, "--db", db)
    assert again.returncode == 0 and "already registered" in again.stdout

    first = cli("sync", "--once", "--db", db)  # pulls the store's catalog
    assert first.returncode == 0, first.stderr
    assert "catalog changes 204" in first.stdout
    script = f"scan {WATER}\npay cash 500\nscan {COLA}\nqty 2\npay cash 700\n"
    sales = cli("checkout", "--headless", "--script", "-", "--db", db, stdin=script)
    assert sales.returncode == 0, sales.stderr
    assert [line.split()[1].split("-")[0] for line in sales.stdout.splitlines()] == [device_id] * 2
    status = json.loads(cli("sync", "status", "--json", "--db", db).stdout)
    assert status["queued"] == 2 and status["registered"]
    assert cli("sync", "--once", "--db", db).returncode == 0
    status = json.loads(cli("sync", "status", "--json", "--db", db).stdout)
    assert (status["queued"], status["dead"], status["online"]) == (0, 0, True)
    assert sorted(int(d["paid_cents"]) for d in cloud_orders(cloud_admin, device_id)) == [200, 700]


def test_a_backlog_built_while_the_cloud_is_down_is_delivered_exactly_once(
    cloud_server: CloudProcess, cloud_admin: CloudDatabase, till: Till
) -> None:
    cloud_server.kill()
    expected_total = add_paid_orders(till.db_path, till.registration.device_id, 10_000)
    db = open_store(till.db_path)
    with till.client(timeout_s=2) as client:
        down = sync_once(db, client, till.members(db), pull=False, backoff_base_s=0.01)
        assert down.error and outbox.stats(db).pending == 10_000
        assert read_status(db, utc_now(), registered=True).online is False
        cloud_server.start()
        started = time.monotonic()
        drain_until_empty(db, till, client, seconds=300)
        elapsed = time.monotonic() - started
    assert_exactly_once(cloud_admin, db, till.registration.device_id)
    delivered = cloud_orders(cloud_admin, till.registration.device_id)
    assert sum(int(d["paid_cents"]) for d in delivered) == expected_total  # type: ignore[arg-type]
    print(f"\n10,000 orders drained in {elapsed:.1f} s ({10_000 / elapsed:.0f}/s)")


def test_slow_answers_and_resets_after_commit_do_not_duplicate(
    cloud_server: CloudProcess, cloud_admin: CloudDatabase, till: Till
) -> None:
    add_paid_orders(till.db_path, till.registration.device_id, 200, seed=7)
    db = open_store(till.db_path)
    with (
        FaultProxy(cloud_server.port, seed=3) as proxy,
        till.client(proxy.url, timeout_s=0.5) as client,
    ):
        proxy.set("delay", delay_s=1.5)  # the server commits; the terminal has given up
        slow = sync_once(db, client, till.members(db), pull=False, backoff_base_s=0.01)
        assert slow.error and "Timeout" in slow.error
        proxy.set("blackhole")
        time.sleep(0.1)  # past the first entry's (shortened) backoff
        assert sync_once(db, client, till.members(db), pull=False, backoff_base_s=0.01).error
        proxy.set("reset", rate=0.4)  # committed, but the answer never arrives
        drain_until_empty(db, till, client, seconds=120)
        assert proxy.counts.answers_reset > 10
    assert_exactly_once(cloud_admin, db, till.registration.device_id)


def test_members_come_down_and_erasure_purges_them_at_once(
    cloud_server: CloudProcess, cloud_admin: CloudDatabase, till: Till
) -> None:
    other = CloudClient(cloud_server.url)
    answer = other.register(admin.create_code(cloud_admin, "S001"), "second till")
    other.close()
    vector = np.random.default_rng(5).standard_normal(128).astype("<f4")
    vector /= np.linalg.norm(vector)
    member_id = str(uuid.uuid4())
    encoded = base64.b64encode(vector.tobytes()).decode()
    with CloudClient(cloud_server.url, answer["token"]) as second_till:
        second_till.post_enrollment({
            "enrollment_id": str(uuid.uuid4()), "member_id": member_id,
            "display_name": "Zhang Wei", "phone_last4": "1234",
            "templates": [{"model": MODEL, "vector": encoded}],
            "consents": consents(answer["device_id"]),
        })  # fmt: skip
    db = open_store(till.db_path)
    members = till.members(db)
    with till.client() as client:
        assert sync_once(db, client, members).ok
        # Sealed for the store on the wire, opened with the gallery key from registration.
        [template] = list(members.templates(MODEL))
        assert template.member_id == member_id
        assert np.allclose(np.frombuffer(template.vector, "<f4"), vector, atol=1e-6)
        assert members.get(member_id).display_name == "Zhang**"  # type: ignore[union-attr]
        erase_by_operator(cloud_admin, member_id, "the member, at the service desk")
        assert sync_once(db, client, members).ok
    assert members.get(member_id) is None
    assert list(members.templates(MODEL)) == []


def test_a_revoked_token_stops_sync_and_keeps_everything(
    cloud_server: CloudProcess, till: Till
) -> None:
    add_paid_orders(till.db_path, till.registration.device_id, 3)
    db = open_store(till.db_path)
    with CloudClient(cloud_server.url, "not-the-token") as client:
        report = sync_once(db, client, till.members(db))
    assert report.drain.auth_failed
    stats = outbox.stats(db)
    assert (stats.pending, stats.dead) == (3, 0)
    assert "401" in (read_status(db, utc_now(), registered=True).last_error or "")
