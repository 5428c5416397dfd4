"""Opening the terminal's SQLite file: WAL, durability level, migrations, transactions.

One connection per thread (SQLite connections are not shared across threads here).
Writes go through ``write_transaction``, which takes the write lock up front
(``BEGIN IMMEDIATE``) so two writers queue on ``busy_timeout`` instead of failing halfway.
``synchronous=FULL`` is the default: each commit is on disk before the till says PAID
(see the benchmark in tests/bench and the README for what it costs). The file and its
-wal and -shm are owner-only (0600), in a folder made 0700 when the store makes it: they
hold members' personal data and face templates.

What must not live here: tables and queries (the migrations and the repositories).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from sqlite_utils import Database

from terminal.private_files import create_private_file, make_private_folder, restrict_sqlite_files
from terminal.storage.errors import StoreError
from terminal.storage.migrations import MIGRATIONS, check_schema_not_newer

log = logging.getLogger(__name__)

Synchronous = Literal["FULL", "NORMAL", "OFF"]
BUSY_TIMEOUT_MS = 5_000


def open_store(path: Path | str, *, synchronous: Synchronous = "FULL") -> Database:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date."""
    if synchronous not in ("FULL", "NORMAL", "OFF"):
        raise StoreError(f"synchronous must be FULL, NORMAL or OFF, not {synchronous!r}")
    memory = str(path) == ":memory:"
    if not memory:
        path = Path(path)
        try:
            make_private_folder(path.parent)
            create_private_file(path)
        except OSError as exc:
            raise StoreError(f"cannot create the store {path}: {exc}") from exc
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not memory:
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"the store {path} cannot use WAL mode (got {mode})")
        db.execute(f"PRAGMA synchronous = {synchronous}")
        db.execute("PRAGMA foreign_keys = ON")
        # Deleted rows (an erased member's templates) are overwritten, not left in free pages.
        db.execute("PRAGMA secure_delete = ON")
        check_schema_not_newer(db)
        MIGRATIONS.apply(db)
        if not memory:
            restrict_sqlite_files(Path(path))
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"the store {path} is not a usable database ({exc}); "
            "restore it from backup or move it aside to start a new one"
        ) from exc
    log.debug("store opened", extra={"path": str(path), "synchronous": synchronous})
    return db


def checkpoint(db: Database) -> None:
    """Copy the WAL into the store and empty it: after an erasure, the old pages (which
    ``secure_delete`` zeroes in the main file) do not linger in ``-wal`` either."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """All-or-nothing writes. Nested sqlite-utils calls inside become savepoints."""
    conn = db.conn
    if conn.in_transaction:
        raise StoreError("write_transaction cannot be nested")
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
