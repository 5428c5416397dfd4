"""Staff as the tests make them: ``facepay-cloud staff ...`` run in-process with the PIN on
stdin (never an argument), and a till's store filled from the cloud's staff stream."""

from __future__ import annotations

import io
import sys
from unittest import mock

from sqlite_utils import Database

from deploy.cloud.cli import main as cloud_main
from deploy.cloud.database import Database as CloudDatabase
from terminal.sync.client import CloudClient
from terminal.sync.inbound import pull_staff


def db_url(cloud_db: CloudDatabase) -> str:
    """What ``--db`` takes for the database behind ``cloud_db`` (with its password)."""
    return cloud_db.url.render_as_string(hide_password=False)


def cloud_staff(url: str, *argv: str, pin: str | None = None) -> int:
    """``facepay-cloud staff ARGV --db URL`` with ``pin`` as stdin's first line."""
    stdin = io.StringIO("" if pin is None else f"{pin}\n")
    with mock.patch.object(sys, "stdin", stdin):
        return cloud_main(["staff", *argv, "--db", url])


def add_staff(url: str, store: str, staff_id: str, role: str, pin: str) -> None:
    added = cloud_staff(url, "add", "--store", store, "--id", staff_id, "--name",
                        staff_id.title(), "--role", role, pin=pin)  # fmt: skip
    assert added == 0, f"facepay-cloud staff add {staff_id} exited {added}"


def pull_into(db: Database, base_url: str, token: str) -> int:
    """One pull of the staff stream into the till's store ``db``: changes read."""
    with CloudClient(base_url, token) as client:
        return pull_staff(db, client)
