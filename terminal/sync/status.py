"""What the cashier sees of sync: online or not, how much waits, since when, what failed.

Kept in the store's meta table, so ``sync status`` in another process (or after a
restart) shows the same thing the worker last knew.

What must not live here: SQL (``terminal/storage/meta.py``, ``outbox.stats``), running
the sync (``cycle.py``), words for the cashier (the UI's string catalog).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from terminal.storage import meta, outbox

LAST_SUCCESS = "sync.last_success_at"
LAST_ERROR = "sync.last_error"
LAST_ERROR_AT = "sync.last_error_at"
ONLINE = "sync.online"


@dataclass(frozen=True, slots=True)
class SyncStatus:
    registered: bool
    online: bool | None  # None: never tried
    queued: int
    dead: int
    oldest_queued_at: str | None
    oldest_queued_age_s: int | None
    last_success_at: str | None
    last_error: str | None
    last_error_at: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def record_success(db: Database, now: datetime) -> None:
    meta.put_all(db, {LAST_SUCCESS: now.isoformat(), ONLINE: "1"})


def record_failure(db: Database, error: str, now: datetime, *, reached_cloud: bool) -> None:
    meta.put_all(
        db,
        {
            LAST_ERROR: error[:500],
            LAST_ERROR_AT: now.isoformat(),
            ONLINE: "1" if reached_cloud else "0",
        },
    )


def read_status(db: Database, now: datetime, *, registered: bool) -> SyncStatus:
    stats = outbox.stats(db)
    online = meta.get(db, ONLINE)
    age = None
    if stats.oldest_pending_at:
        age = max(0, int((now - datetime.fromisoformat(stats.oldest_pending_at)).total_seconds()))
    return SyncStatus(
        registered=registered,
        online=None if online is None else online == "1",
        queued=stats.pending,
        dead=stats.dead,
        oldest_queued_at=stats.oldest_pending_at,
        oldest_queued_age_s=age,
        last_success_at=meta.get(db, LAST_SUCCESS),
        last_error=meta.get(db, LAST_ERROR),
        last_error_at=meta.get(db, LAST_ERROR_AT),
    )
