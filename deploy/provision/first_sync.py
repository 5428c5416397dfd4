"""The first pull of catalog, member gallery and store config: one cycle of the
terminal's own sync (``sync_once``), so the till can sell from the first boot even if the
network is down by then."""

from __future__ import annotations

import sqlite3

from deploy.provision import exit_codes
from deploy.provision.errors import ProvisionError
from deploy.provision.options import Options
from deploy.provision.report import Status, StepResult
from terminal.storage.database import open_store
from terminal.storage.errors import StoreError
from terminal.storage.members import MemberRepository
from terminal.storage.template_cipher import TemplateCipher
from terminal.sync.client import CloudClient
from terminal.sync.cycle import sync_once
from terminal.sync.registration import Registration
from terminal.sync.status import LAST_SUCCESS


def run(options: Options, registration: Registration) -> StepResult:
    path = options.layout.db_path
    if options.check:
        return _check(options)
    try:
        db = open_store(path)
    except StoreError as exc:
        raise ProvisionError(f"the store cannot be opened: {exc}", exit_codes.HARDWARE) from None
    try:
        members = MemberRepository(db, TemplateCipher(registration.template_key))
        with CloudClient(registration.cloud_url, registration.token) as client:
            report = sync_once(db, client, members)
        items = db.execute("SELECT COUNT(*) FROM catalog_items").fetchone()[0]
        people = db.execute("SELECT COUNT(*) FROM members").fetchone()[0]
    finally:
        db.close()
    if report.error:
        raise ProvisionError(f"the first sync failed: {report.error}", exit_codes.CLOUD)
    changes = report.catalog_changes + report.member_changes
    detail = (
        f"{report.catalog_changes} catalog and {report.member_changes} member change(s); "
        f"{items} items, {people} members in {path}"
    )
    return StepResult(
        "sync",
        Status.CHANGED if changes else Status.UNCHANGED,
        detail,
        data={"catalog_items": items, "members": people},
    )


def _check(options: Options) -> StepResult:
    """Read-only: whether a first pull ever happened (opening the store would migrate it)."""
    path = options.layout.db_path
    if not path.exists():
        return StepResult("sync", Status.DRIFT, f"no store at {path}")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", [LAST_SUCCESS]).fetchone()
    except sqlite3.DatabaseError as exc:
        return StepResult("sync", Status.DRIFT, f"store unreadable: {exc}")
    finally:
        conn.close()
    if row is None:
        return StepResult("sync", Status.DRIFT, "never synced")
    return StepResult("sync", Status.UNCHANGED, f"last synced {row[0]}")
