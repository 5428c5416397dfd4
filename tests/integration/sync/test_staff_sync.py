"""Staff reach a registered till through its ordinary sync cycle (the cloud in its own
process, on SQLite and PostgreSQL): added by the operator, signed in at the till, dropped
at the next sync once disabled; the till's local staff are left alone, and disabling one
hands its id to the cloud."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from deploy.cloud.database import Database as CloudDatabase
from terminal.app.staff_login import LoginRefused, LoginService, StaffDirectory
from terminal.storage import staff as staff_store
from terminal.storage.database import open_store
from terminal.sync.client import CloudClient
from terminal.sync.cycle import sync_once
from terminal.sync.inbound import pull_staff
from tests.support.registered_till import Till
from tests.support.staff_admin import add_staff, cloud_staff, db_url

PIN = "80604020"


def sync(till: Till) -> None:
    db = open_store(till.db_path)
    with till.client() as client:
        report = sync_once(db, client, till.members(db))
    db.close()
    assert report.ok, report.error


def test_staff_come_with_the_sync_and_go_when_disabled(
    till: Till, cloud_admin: CloudDatabase
) -> None:
    url = db_url(cloud_admin)
    add_staff(url, "S001", "ann", "cashier", PIN)
    sync(till)
    db = open_store(till.db_path)
    assert LoginService(db).login("ann", PIN).staff_id == "ann"

    assert cloud_staff(url, "disable", "ann", "--store", "S001") == 0
    # The command a technician runs pulls staff too.
    done = subprocess.run(
        [sys.executable, "-m", "terminal", "sync", "--once", "--db", str(till.db_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert staff_store.get(db, "ann") is None
    with pytest.raises(LoginRefused):
        LoginService(db).login("ann", PIN)
    assert PIN not in done.stdout + done.stderr
    db.close()


def test_local_staff_outlive_registration_until_disabled(
    till: Till, cloud_admin: CloudDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    # Staff the till had before it was registered.
    db = open_store(till.db_path)
    StaffDirectory(db).add_local("ann", "Ann (local)", "manager", "11223344")
    db.close()
    url = db_url(cloud_admin)
    add_staff(url, "S001", "ann", "cashier", PIN)
    add_staff(url, "S001", "bob", "cashier", "55667788")

    sync(till)
    db = open_store(till.db_path)
    ann = staff_store.get(db, "ann")
    assert ann is not None and (ann.source, ann.role) == ("local", "manager")
    assert "a local staff member holds this id" in caplog.text
    assert LoginService(db).login("bob", "55667788").staff_id == "bob"

    # Disabling the local one hands the id to the cloud at the next sync.
    assert StaffDirectory(db).disable_local("ann")
    db.close()
    sync(till)
    db = open_store(till.db_path)
    ann = staff_store.get(db, "ann")
    assert ann is not None and (ann.source, ann.role, ann.disabled) == ("cloud", "cashier", False)
    assert LoginService(db).login("ann", PIN).role == "cashier"
    db.close()


def test_a_cloud_older_than_the_staff_stream_is_not_an_error(tmp_path: Path) -> None:
    # A network-edge fake: a cloud that answers 404 for the route it does not have.
    old_cloud = httpx.MockTransport(
        lambda request: httpx.Response(404, json={"error": "not_found", "message": "Not Found"})
    )
    db = open_store(tmp_path / "till.db")
    with CloudClient("http://127.0.0.1:9", "token", transport=old_cloud) as client:
        assert pull_staff(db, client) == 0
    assert staff_store.all_staff(db) == [] and staff_store.staff_cursor(db) == 0
