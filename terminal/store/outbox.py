"""The outbox: records waiting to go to the cloud, written in the same transaction as the
business change they describe, so nothing is committed locally without its way out.

Each entry carries an idempotency key (the order number for orders), which the cloud
dedupes on: sending an entry twice is always safe. The sync worker (terminal/sync) drains
this table; here is only what the till needs to enqueue and to report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database


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
            json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
            now.isoformat(),
            now.isoformat(),
        ],
    )
    return int(cursor.lastrowid or 0)


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
