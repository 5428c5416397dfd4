"""Staff on this till and the record of PINs checked: all their SQL.

A staff row comes from the cloud (``source = 'cloud'``: the staff stream, replaced or
deleted by each change) or was added on this till (``source = 'local'``): a cloud change
never touches a local row that is still enabled. Disabling a local row hands its id over
to the cloud: the staff cursor goes back to 0 in the same transaction, so the next pull
reads the whole (small) stream again and the cloud's entry for that id, if any, replaces
it.

``login_attempts`` keeps every PIN checked (the id as typed, never the PIN) for
``LockoutPolicy.history``; the lockout is computed from it, so it survives a restart.

What must not live here: the lockout rules (``terminal/domain/staff.py``), hashing
(``terminal/pin_hashes.py``), pulling from the cloud (``terminal/sync/inbound.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlite_utils import Database

from terminal.domain.staff import Attempt, Role
from terminal.storage import meta
from terminal.storage.database import write_transaction

Source = Literal["cloud", "local"]
Purpose = Literal["login", "approve"]
STAFF_CURSOR = "sync.cursor.staff"  # the meta key of the staff stream's cursor

_COLUMNS = "staff_id, name, role, pin_hash, source, disabled"


@dataclass(frozen=True, slots=True)
class StaffRecord:
    staff_id: str
    name: str
    role: Role
    pin_hash: str
    source: Source
    disabled: bool = False

    def __repr__(self) -> str:  # never the hash, not even in a traceback
        return (
            f"StaffRecord(staff_id={self.staff_id!r}, name={self.name!r}, role={self.role!s}, "
            f"source={self.source!r}, disabled={self.disabled})"
        )


class StaffExists(Exception):
    """``add_local``: the id is already on this till."""

    def __init__(self, record: StaffRecord):
        super().__init__(record.staff_id)
        self.record = record


def _iso(moment: datetime) -> str:
    # One fixed width, so stored times compare as text.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _record(row: tuple[object, ...]) -> StaffRecord:
    staff_id, name, role, pin_hash, source, disabled = row
    return StaffRecord(
        staff_id=str(staff_id),
        name=str(name),
        role=Role(str(role)),
        pin_hash=str(pin_hash),
        source="local" if source == "local" else "cloud",
        disabled=bool(disabled),
    )


def get(db: Database, staff_id: str) -> StaffRecord | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM staff WHERE staff_id = ?", [staff_id]).fetchone()
    return None if row is None else _record(row)


def all_staff(db: Database) -> list[StaffRecord]:
    return [_record(row) for row in db.execute(f"SELECT {_COLUMNS} FROM staff ORDER BY staff_id")]


def count_enabled(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM staff WHERE disabled = 0").fetchone()[0])


def add_local(db: Database, record: StaffRecord, now: datetime) -> None:
    """Add a staff member on this till; ``StaffExists`` if the id is taken (by anyone)."""
    with write_transaction(db):
        found = get(db, record.staff_id)
        if found is not None:
            raise StaffExists(found)
        db.execute(
            "INSERT INTO staff (staff_id, name, role, pin_hash, source, disabled, updated_at)"
            " VALUES (?, ?, ?, ?, 'local', 0, ?)",
            [record.staff_id, record.name, str(record.role), record.pin_hash, _iso(now)],
        )


def disable_local(db: Database, staff_id: str, now: datetime) -> bool:
    """Disable a local staff member; False if it was disabled already. The id is handed
    over to the cloud: the staff stream is read again from its start at the next pull."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE staff SET disabled = 1, updated_at = ?"
            " WHERE staff_id = ? AND source = 'local' AND disabled = 0",
            [_iso(now), staff_id],
        )
        changed = bool(cursor.rowcount)
        if changed:
            meta.put_in_transaction(db, STAFF_CURSOR, "0")
    return changed


def apply_cloud_changes_in_transaction(
    db: Database, upserts: Iterable[StaffRecord], deletes: Iterable[str], now: datetime
) -> list[str]:
    """Apply a page of the cloud's staff stream; call inside a write transaction. Returns
    the ids left alone because an enabled local staff member holds them."""
    held: list[str] = []
    for record in upserts:
        cursor = db.execute(
            "INSERT INTO staff (staff_id, name, role, pin_hash, source, disabled, updated_at)"
            " VALUES (?, ?, ?, ?, 'cloud', 0, ?) ON CONFLICT (staff_id) DO UPDATE SET"
            " name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,"
            " source = 'cloud', disabled = 0, updated_at = excluded.updated_at"
            " WHERE staff.source = 'cloud' OR staff.disabled = 1",
            [record.staff_id, record.name, str(record.role), record.pin_hash, _iso(now)],
        )
        if not cursor.rowcount:
            held.append(record.staff_id)
    for staff_id in deletes:
        db.execute("DELETE FROM staff WHERE staff_id = ? AND source = 'cloud'", [staff_id])
    return held


def staff_cursor(db: Database) -> int:
    value = meta.get(db, STAFF_CURSOR)
    return int(value) if value else 0


def record_attempt(
    db: Database,
    staff_id: str,
    *,
    ok: bool,
    at: datetime,
    purpose: Purpose = "login",
    keep_since: datetime | None = None,
) -> None:
    """Record that a PIN for ``staff_id`` was checked; attempts older than ``keep_since``
    go at the same time."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO login_attempts (staff_id, purpose, ok, at) VALUES (?, ?, ?, ?)",
            [staff_id, purpose, int(ok), _iso(at)],
        )
        if keep_since is not None:
            db.execute("DELETE FROM login_attempts WHERE at < ?", [_iso(keep_since)])


def attempts_since(db: Database, since: datetime) -> list[Attempt]:
    """Every PIN checked on this till since ``since``, oldest first."""
    return [
        Attempt(str(staff_id), datetime.fromisoformat(str(at)), bool(ok))
        for staff_id, at, ok in db.execute(
            "SELECT staff_id, at, ok FROM login_attempts WHERE at >= ? ORDER BY id",
            [_iso(since)],
        )
    ]
