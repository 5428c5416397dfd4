"""The outbox: records waiting to go to the cloud, written in the same transaction as the
business change they describe, so nothing is committed locally without its way out.

Each entry carries an idempotency key (the order number for orders), which the cloud
dedupes on: sending an entry twice is always safe. The sync worker (terminal/sync) drains
this table through ``due`` and the ``mark_*`` functions; the till enqueues and reports.

What must not live here: what an entry means to the cloud and how it is sent, the backoff
policy (``terminal/sync/outbound.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from terminal.storage.database import write_transaction


@dataclass(frozen=True, slots=True)
class OutboxStats:
    pending: int
    dead: int
    oldest_pending_at: str | None


def enqueue(
    db: Database,
    *,
    kind: str,
    aggregate_type: str,
    aggregate_id: str,
    idempotency_key: str,
    payload: dict[str, Any],
    now: datetime,
) -> int:
    """Add an entry. Call inside the transaction that commits the change it describes."""
    if not db.conn.in_transaction:
        raise RuntimeError("outbox entries must be written inside the business transaction")
    cursor = db.execute(
        "INSERT INTO outbox (kind, aggregate_type, aggregate_id, idempotency_key, payload,"
        " created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            kind,
            aggregate_type,
            aggregate_id,
            idempotency_key,
            _dumps(payload),
            now.isoformat(),
            now.isoformat(),
        ],
    )
    return int(cursor.lastrowid or 0)


def replace_payload_in_transaction(db: Database, entry_id: int, payload: dict[str, Any]) -> None:
    """Rewrite what an entry carries (a delivered enrollment loses its templates); call
    inside a write transaction."""
    db.execute("UPDATE outbox SET payload = ? WHERE id = ?", [_dumps(payload), entry_id])


# What an enrollment entry says about a person, beyond ids and consent facts.
PERSONAL_FIELDS = ("display_name", "phone_last4", "phone")


def without_personal_data(payload: dict[str, Any]) -> dict[str, Any]:
    """An enrollment's payload once the cloud has it: ids and consents only."""
    return dict(payload, templates=[], **dict.fromkeys(PERSONAL_FIELDS))


def scrub_member_in_transaction(db: Database, member_id: str) -> int:
    """Clear an erased member's personal data (and templates) from every enrollment entry
    that names them; call inside a write transaction. How many entries changed."""
    rows = db.execute(
        "SELECT id, payload FROM outbox WHERE aggregate_type = 'enrollment'"
        " AND json_extract(payload, '$.member_id') = ?",
        [member_id],
    ).fetchall()
    for entry_id, payload in rows:
        replace_payload_in_transaction(db, entry_id, without_personal_data(json.loads(payload)))
    return len(rows)


def _dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def stats(db: Database) -> OutboxStats:
    row = db.execute(
        "SELECT"
        " SUM(state = 'pending'), SUM(state = 'dead'),"
        " MIN(CASE WHEN state = 'pending' THEN created_at END)"
        " FROM outbox"
    ).fetchone()
    return OutboxStats(pending=row[0] or 0, dead=row[1] or 0, oldest_pending_at=row[2])


def entries_for(db: Database, aggregate_id: str) -> list[dict[str, Any]]:
    rows = db.query("SELECT * FROM outbox WHERE aggregate_id = ? ORDER BY id", [aggregate_id])
    return [dict(row, payload=json.loads(row["payload"])) for row in rows]


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    kind: str
    aggregate_type: str
    aggregate_id: str
    idempotency_key: str
    payload: dict[str, Any]
    attempts: int
    created_at: str


def due(db: Database, now: datetime, limit: int) -> list[OutboxEntry]:
    """Pending entries in the order they were written, up to the first one not yet due.

    Stopping at the first entry still backing off keeps per-aggregate order (an
    enrollment goes before the order that names its member) without tracking
    dependencies: the queue is delivered strictly in order, dead entries aside.
    """
    rows = db.execute(
        "SELECT id, kind, aggregate_type, aggregate_id, idempotency_key, payload, attempts,"
        " created_at, next_attempt_at FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?",
        [limit],
    ).fetchall()
    entries = []
    for row in rows:
        if row[8] is not None and datetime.fromisoformat(row[8]) > now:
            break
        entries.append(
            OutboxEntry(
                id=row[0],
                kind=row[1],
                aggregate_type=row[2],
                aggregate_id=row[3],
                idempotency_key=row[4],
                payload=json.loads(row[5]),
                attempts=row[6],
                created_at=row[7],
            )
        )
    return entries


def mark_sent(db: Database, entry_ids: list[int], now: datetime) -> None:
    """One transaction for a batch: a crash before it only means a (harmless) resend."""
    if not entry_ids:
        return
    with write_transaction(db):
        db.conn.executemany(
            "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1,"
            " last_error = NULL WHERE id = ?",
            [(now.isoformat(), entry_id) for entry_id in entry_ids],
        )


def mark_retry(db: Database, entry_id: int, error: str, next_attempt_at: datetime) -> None:
    with write_transaction(db):
        db.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
            " WHERE id = ?",
            [error[:500], next_attempt_at.isoformat(), entry_id],
        )


def mark_dead(db: Database, entry_id: int, error: str) -> None:
    """Park an entry the cloud refused for good: kept and shown, never silently dropped."""
    with write_transaction(db):
        db.execute(
            "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?"
            " WHERE id = ?",
            [error[:500], entry_id],
        )


def requeue_dead(db: Database, now: datetime) -> int:
    """Put parked entries back in line (after a technician fixed the cause)."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE state = 'dead'",
            [now.isoformat()],
        )
    return int(cursor.rowcount)


def dead_entries(db: Database) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in db.query(
            "SELECT id, kind, aggregate_id, attempts, last_error, created_at FROM outbox"
            " WHERE state = 'dead' ORDER BY id"
        )
    ]
