"""Staff of a store in the cloud's database: added, listed, disabled, given a new PIN, and
the change stream the store's tills pull by cursor.

Every change takes the next number of the store's staff counter (``staff_counters``,
beside ``stores``, whose columns are not ours to add): the UPDATE locks the counter's row
until commit, so numbers are committed in order and a pull never skips one (the first
number of a store is an INSERT; two at once collide on the key and ``run_write`` retries
the loser). PINs are hashed here (``terminal.pin_hashes``), never stored, never returned.

What must not live here: HTTP (``routes/staff.py``), printing and prompting
(``staff_commands.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud.database import Database
from deploy.cloud.schema import staff, staff_counters
from deploy.cloud.stores import store_exists
from terminal.domain.errors import DomainError
from terminal.domain.staff import Role, check_name, check_role, check_staff_id
from terminal.pin_hashes import hash_pin


class StaffRecordError(ValueError):
    """What an operator asked of the staff list cannot be done; the message says why."""


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A staff member as an operator sees it: never the PIN's hash."""

    store_id: str
    staff_id: str
    name: str
    role: str
    disabled: bool
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class StaffChangeRow:
    seq: int
    staff_id: str
    name: str
    role: str
    pin_hash: str = field(repr=False)
    disabled: bool


@dataclass(frozen=True, slots=True)
class Done:
    member: StaffMember
    already: bool = False  # nothing changed (disabled twice)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def next_seq(conn: Connection, store_id: str) -> int:
    """The store's next staff change number, inside the caller's write transaction."""
    bumped = conn.execute(
        sa.update(staff_counters)
        .where(staff_counters.c.store_id == store_id)
        .values(last_seq=staff_counters.c.last_seq + 1)
        .returning(staff_counters.c.last_seq)
    ).scalar_one_or_none()
    if bumped is not None:
        return int(bumped)
    conn.execute(sa.insert(staff_counters).values(store_id=store_id, last_seq=1))
    return 1


def _checked(staff_id: str, name: str | None, role: str | None) -> tuple[str, str]:
    try:
        check_staff_id(staff_id)
        return (
            check_name(name) if name is not None else "",
            str(check_role(role)) if role is not None else "",
        )
    except DomainError as error:
        raise StaffRecordError(str(error)) from None


def _row(conn: Connection, store_id: str, staff_id: str) -> sa.Row[tuple[object, ...]] | None:
    return conn.execute(
        sa.select(staff).where(staff.c.store_id == store_id, staff.c.staff_id == staff_id)
    ).first()


def _member(row: sa.Row[tuple[object, ...]]) -> StaffMember:
    return StaffMember(
        store_id=row.store_id,
        staff_id=row.staff_id,
        name=row.name,
        role=row.role,
        disabled=bool(row.disabled),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _require(conn: Connection, store_id: str, staff_id: str) -> sa.Row[tuple[object, ...]]:
    row = _row(conn, store_id, staff_id)
    if row is None:
        raise StaffRecordError(
            f"no staff member {staff_id} in store {store_id}; "
            "'facepay-cloud staff list --store STORE' shows who there is"
        )
    return row


def _pin_hash(pin: str) -> str:
    try:
        return hash_pin(pin)
    except DomainError:
        raise StaffRecordError("a PIN is 4 to 8 digits") from None


def add(
    db: Database, store_id: str, staff_id: str, *, name: str, role: str, pin: str
) -> StaffMember:
    cleaned, checked_role = _checked(staff_id, name, role)
    pin_hash = _pin_hash(pin)  # before the transaction: ~0.1 s of work, no lock held

    def work(conn: Connection) -> StaffMember:
        if not store_exists(conn, store_id):
            raise StaffRecordError(f"no store {store_id}")
        found = _row(conn, store_id, staff_id)
        if found is not None:
            state = " (disabled; ids are not reused)" if found.disabled else ""
            raise StaffRecordError(
                f"store {store_id} has a staff member {staff_id} already{state}; "
                "'facepay-cloud staff set-pin' gives a new PIN"
            )
        now = _now()
        conn.execute(
            sa.insert(staff).values(
                store_id=store_id,
                staff_id=staff_id,
                name=cleaned,
                role=checked_role,
                pin_hash=pin_hash,
                disabled=False,
                change_seq=next_seq(conn, store_id),
                created_at=now,
                updated_at=now,
            )
        )
        return _member(_require(conn, store_id, staff_id))

    return db.run_write(work)


def set_pin(db: Database, store_id: str, staff_id: str, pin: str) -> StaffMember:
    _checked(staff_id, None, None)
    pin_hash = _pin_hash(pin)

    def work(conn: Connection) -> StaffMember:
        row = _require(conn, store_id, staff_id)
        if row.disabled:
            raise StaffRecordError(f"staff member {staff_id} of store {store_id} is disabled")
        _update(conn, store_id, staff_id, pin_hash=pin_hash)
        return _member(_require(conn, store_id, staff_id))

    return db.run_write(work)


def disable(db: Database, store_id: str, staff_id: str) -> Done:
    """Disable a staff member: the tills drop them at their next pull."""
    _checked(staff_id, None, None)

    def work(conn: Connection) -> Done:
        row = _require(conn, store_id, staff_id)
        if row.disabled:
            return Done(_member(row), already=True)
        _update(conn, store_id, staff_id, disabled=True)
        return Done(_member(_require(conn, store_id, staff_id)))

    return db.run_write(work)


def _update(conn: Connection, store_id: str, staff_id: str, **values: object) -> None:
    conn.execute(
        sa.update(staff)
        .where(staff.c.store_id == store_id, staff.c.staff_id == staff_id)
        .values(change_seq=next_seq(conn, store_id), updated_at=_now(), **values)
    )


def list_staff(db: Database, store_id: str | None = None) -> list[StaffMember]:
    query = sa.select(staff).order_by(staff.c.store_id, staff.c.staff_id)
    if store_id is not None:
        query = query.where(staff.c.store_id == store_id)
    with db.read() as conn:
        return [_member(row) for row in conn.execute(query)]


def changes(conn: Connection, store_id: str, cursor: int, limit: int) -> list[StaffChangeRow]:
    """Up to ``limit`` changes of the store's staff after ``cursor``, oldest first."""
    rows = conn.execute(
        sa.select(
            staff.c.change_seq,
            staff.c.staff_id,
            staff.c.name,
            staff.c.role,
            staff.c.pin_hash,
            staff.c.disabled,
        )
        .where(staff.c.store_id == store_id, staff.c.change_seq > cursor)
        .order_by(staff.c.change_seq)
        .limit(limit)
    ).all()
    return [
        StaffChangeRow(
            seq=row.change_seq,
            staff_id=row.staff_id,
            name=row.name,
            role=row.role,
            pin_hash=row.pin_hash,
            disabled=bool(row.disabled),
        )
        for row in rows
    ]


ROLES = tuple(str(role) for role in Role)
