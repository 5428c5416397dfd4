"""Small named values of the store: sync cursors, the cloud's configuration, sync status.

What must not live here: what the values mean (the key names and their parsing belong to
their owners, e.g. ``terminal/sync/inbound.py`` and ``terminal/sync/status.py``).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlite_utils import Database

from terminal.storage.database import write_transaction


def get(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def put_in_transaction(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def put(db: Database, key: str, value: str) -> None:
    with write_transaction(db):
        put_in_transaction(db, key, value)


def put_all(db: Database, values: Mapping[str, str]) -> None:
    """Several values in one transaction, written in the mapping's order."""
    with write_transaction(db):
        for key, value in values.items():
            put_in_transaction(db, key, value)
