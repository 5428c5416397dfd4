"""Face payments approved while the cloud could not be reached, and member aliases.

``offline_face_payments`` is the flag that a SUCCEEDED face payment was approved locally:
the per-day cap sums it, the member's spendable balance subtracts what is not yet
forwarded, and the outbox sender records what the cloud said when it got there.
``member_aliases`` maps a locally enrolled member id to the id the cloud merged it into.

What must not live here: the offline policy itself (``terminal/payments/offline.py``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlite_utils import Database

from terminal.storage.database import write_transaction


def record_in_transaction(
    db: Database,
    *,
    payment_id: str,
    order_no: str,
    member_id: str,
    amount_cents: int,
    business_date: date,
    now: datetime,
) -> None:
    db.execute(
        "INSERT INTO offline_face_payments (payment_id, order_no, member_id, amount_cents,"
        " business_date, approved_at) VALUES (?, ?, ?, ?, ?, ?)",
        [payment_id, order_no, member_id, amount_cents, business_date.isoformat(), now.isoformat()],
    )


def total_for_day(db: Database, business_date: date) -> int:
    row = db.execute(
        "SELECT COALESCE(SUM(amount_cents), 0) FROM offline_face_payments WHERE business_date = ?",
        [business_date.isoformat()],
    ).fetchone()
    return int(row[0])


def unforwarded_for_member(db: Database, member_id: str) -> int:
    """Offline spending the member's pulled balance does not reflect yet."""
    row = db.execute(
        "SELECT COALESCE(SUM(amount_cents), 0) FROM offline_face_payments"
        " WHERE member_id = ? AND forwarded_at IS NULL",
        [member_id],
    ).fetchone()
    return int(row[0])


def mark_forwarded(
    db: Database, payment_id: str, state: str, reason: str | None, now: datetime
) -> None:
    with write_transaction(db):
        mark_forwarded_in_transaction(db, payment_id, state, reason, now)


def mark_forwarded_in_transaction(
    db: Database, payment_id: str, state: str, reason: str | None, now: datetime
) -> None:
    db.execute(
        "UPDATE offline_face_payments SET forwarded_at = ?, cloud_state = ?,"
        " cloud_reason = ? WHERE payment_id = ?",
        [now.isoformat(), state, reason, payment_id],
    )


def forwarded(db: Database, payment_id: str) -> tuple[str | None, str | None] | None:
    """(cloud_state, forwarded_at) of an offline payment, or None if it is not one."""
    row = db.execute(
        "SELECT cloud_state, forwarded_at FROM offline_face_payments WHERE payment_id = ?",
        [payment_id],
    ).fetchone()
    return None if row is None else (row[0], row[1])


def record_alias_in_transaction(
    db: Database, local_id: str, canonical_id: str, now: datetime
) -> None:
    db.execute(
        "INSERT INTO member_aliases (local_id, canonical_id, merged_at) VALUES (?, ?, ?)"
        " ON CONFLICT (local_id) DO UPDATE SET canonical_id = excluded.canonical_id",
        [local_id, canonical_id, now.isoformat()],
    )


def canonical_member_id(db: Database, member_id: str) -> str:
    """The id the cloud knows a member by (a merged local enrollment maps to its target)."""
    row = db.execute(
        "SELECT canonical_id FROM member_aliases WHERE local_id = ?", [member_id]
    ).fetchone()
    return member_id if row is None else str(row[0])
