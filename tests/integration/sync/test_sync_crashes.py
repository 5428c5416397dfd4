"""SIGKILL in the middle of sync, 20+ times, on either side, on SQLite and PostgreSQL.

Whatever instant a process dies at (before the cloud commits, after it commits but before
the terminal hears, while the terminal marks a batch sent), the cloud must end with every
order exactly once and the payments it holds must add up to the order totals.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time

from deploy.cloud.database import Database as CloudDatabase
from terminal.storage import outbox
from terminal.storage.database import open_store
from terminal.sync.cycle import sync_once
from tests.integration.sync.test_sync_with_cloud import assert_exactly_once, drain_until_empty
from tests.support.cloud_process import CloudProcess
from tests.support.orders import add_paid_orders
from tests.support.registered_till import Till

KILLS = 22


def test_killing_the_terminal_mid_sync_never_loses_or_doubles(
    cloud_server: CloudProcess, cloud_admin: CloudDatabase, till: Till
) -> None:
    rng = random.Random(11)
    add_paid_orders(till.db_path, till.registration.device_id, 3000, seed=11)
    killed_running = 0
    for _ in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-m", "terminal", "sync", "--once", "--db", str(till.db_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.5, 1.2))  # start-up is ~0.4 s; then it is sending
        if proc.poll() is None:
            killed_running += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    db = open_store(till.db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with till.client() as client:
        drain_until_empty(db, till, client, seconds=120)
    assert killed_running >= 20
    assert_exactly_once(cloud_admin, db, till.registration.device_id)


def test_killing_the_cloud_mid_sync_never_loses_or_doubles(
    cloud_server: CloudProcess, cloud_admin: CloudDatabase, till: Till
) -> None:
    rng = random.Random(12)
    add_paid_orders(till.db_path, till.registration.device_id, 3000, seed=12)
    stop = threading.Event()
    errors: list[BaseException] = []

    def keep_syncing() -> None:
        db = open_store(till.db_path)
        try:
            with till.client(timeout_s=2) as client:
                while not stop.is_set() and outbox.stats(db).pending:
                    sync_once(db, client, till.members(db), pull=False, backoff_base_s=0.01)
                    time.sleep(0.01)
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            db.close()

    syncer = threading.Thread(target=keep_syncing, daemon=True)
    syncer.start()
    for _ in range(KILLS):
        time.sleep(rng.uniform(0.1, 0.8))
        cloud_server.kill()
        time.sleep(rng.uniform(0.0, 0.3))
        cloud_server.start()
    stop.set()
    syncer.join(30)
    assert not errors, errors
    db = open_store(till.db_path)
    with till.client() as client:
        drain_until_empty(db, till, client, seconds=120)
    assert_exactly_once(cloud_admin, db, till.registration.device_id)
