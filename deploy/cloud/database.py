"""The one database handle of the server: an SQLAlchemy engine for SQLite or PostgreSQL,
the schema created at start, and the two kinds of transaction every caller uses.

SQLite (the default, a file path) runs in WAL mode with ``synchronous=FULL`` so a crash
or power cut never loses a committed write nor keeps half of one, its file and -wal/-shm
owner-only (0600); PostgreSQL (``postgresql://`` URLs) goes through the psycopg 3 driver.
There is one code path for both: only the connection set-up below knows which one is in
use.

A database error never carries the row's values: the engines hide SQL parameters, and
PostgreSQL's errors keep their primary message only (DETAIL and CONTEXT repeat values),
before anyone logs them.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Connection, Engine, ExceptionContext, make_url
from sqlalchemy.pool import StaticPool

from deploy.cloud.schema import SCHEMA_VERSION, metadata, schema_version
from terminal.private_files import (
    create_private_file,
    restrict_sqlite_files,
    warn_if_open_to_others,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
Dialect = Literal["sqlite", "postgresql"]

# SQLite waits this long for the write lock before giving up with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 10_000
_READ_ONLY = "facepay_read_only"
# PostgreSQL's class 22 errors quote the offending value in their message.
_DATA_EXCEPTION = "22"
_QUOTED = re.compile(r'"[^"]*"')


class DatabaseError(Exception):
    """The database cannot be opened or used; the message says which one and why."""


def normalise_url(db: str) -> URL:
    """Turn ``--db`` into an SQLAlchemy URL: a path means SQLite, postgresql:// psycopg 3."""
    text = db.strip()
    if not text:
        raise DatabaseError("--db is empty: give a file path or a postgresql:// URL")
    if text == ":memory:":
        return make_url("sqlite://")
    if text.startswith(("postgresql://", "postgres://")):
        return make_url("postgresql+psycopg://" + text.split("://", 1)[1])
    if "://" in text:
        url = make_url(text)
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise DatabaseError(f"unsupported database {url.get_backend_name()!r}")
        if url.get_backend_name() == "postgresql" and url.get_driver_name() != "psycopg":
            url = url.set(drivername="postgresql+psycopg")
        return url
    path = Path(text).expanduser()
    if not path.parent.is_dir():
        raise DatabaseError(f"cannot create the database {path}: folder {path.parent} is missing")
    return URL.create("sqlite+pysqlite", database=str(path.resolve()))


def describe(url: URL) -> str:
    """The URL for messages and logs, never with its password."""
    return url.render_as_string(hide_password=True)


class Database:
    """The engine plus ``read()``/``write()`` transactions; open once per process."""

    def __init__(self, db: str):
        self.url = normalise_url(db)
        self.dialect: Dialect = (
            "postgresql" if self.url.get_backend_name() == "postgresql" else "sqlite"
        )
        file = _sqlite_file(self.url)
        if file is not None:
            _create_owner_only(file)
        self.engine = _make_engine(self.url)
        try:
            self._create_schema()
        except exc.SQLAlchemyError as error:
            self.engine.dispose()
            raise DatabaseError(
                f"cannot open the database {describe(self.url)}: {_reason(error)}"
            ) from None
        if file is not None:
            # The first connection made the -wal and -shm (with the file's mode).
            restrict_sqlite_files(file)

    def _create_schema(self) -> None:
        with self.write() as conn:
            metadata.create_all(conn)
            found = conn.execute(sa.select(schema_version.c.version)).scalar_one_or_none()
            if found is None:
                conn.execute(sa.insert(schema_version).values(version=SCHEMA_VERSION))
            elif found != SCHEMA_VERSION:
                raise DatabaseError(
                    f"the database {describe(self.url)} has schema version {found}; this server "
                    f"knows version {SCHEMA_VERSION} only"
                )

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A transaction that only reads: on SQLite it does not take the write lock."""
        with self.engine.connect() as conn:
            conn.execution_options(**{_READ_ONLY: True})
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: all of it is committed, or none of it."""
        with self.engine.begin() as conn:
            yield conn

    def run_write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a write transaction; run it once more after a lost race.

        Two terminals (or one resending) may insert the same idempotency key at once: on
        PostgreSQL the loser gets a unique violation. Its retry, in a new transaction, sees
        the winner's row and answers as for a repeat.
        """
        try:
            with self.write() as conn:
                return work(conn)
        except exc.IntegrityError:
            log.info("write lost a race on a unique key; retrying once")
            with self.write() as conn:
                return work(conn)

    def ping(self) -> bool:
        try:
            with self.read() as conn:
                conn.execute(sa.text("SELECT 1"))
        except exc.SQLAlchemyError as error:
            log.warning("database ping failed: %s", _reason(error))
            return False
        return True

    def scrub(self, tables: tuple[sa.Table, ...]) -> None:
        """After an erasure has committed, push the deleted bytes out of the files: on
        SQLite fold the WAL into the (secure_delete) main file and truncate it; on
        PostgreSQL VACUUM ``tables`` and CHECKPOINT if the role may. Failures are logged,
        not raised: the erasure itself (the shredded key) has already committed."""
        if self.dialect == "sqlite":
            # Outside any transaction (the raw connection is in autocommit), or SQLite
            # refuses to checkpoint.
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                row = cursor.fetchone()
                cursor.close()
            except sqlite3.Error as error:
                log.error("the WAL checkpoint after an erasure failed: %s", error)
                return
            finally:
                raw.close()
            if row is None or row[0]:
                log.warning("the WAL checkpoint after an erasure was blocked by a reader")
            return
        try:
            names = ", ".join(
                self.engine.dialect.identifier_preparer.format_table(t) for t in tables
            )
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql(f"VACUUM {names}")
                try:
                    conn.exec_driver_sql("CHECKPOINT")
                except exc.DBAPIError as error:
                    log.warning("no CHECKPOINT after an erasure: %s", _reason(error))
        except exc.SQLAlchemyError as error:
            log.error("scrubbing the files after an erasure failed: %s", _reason(error))

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_file(url: URL) -> Path | None:
    """The database file of an SQLite URL; None for PostgreSQL and in-memory SQLite."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if str(url.database).startswith("file:"):
        return None  # an SQLite URI names its file (and mode) itself
    return Path(str(url.database))


def _create_owner_only(file: Path) -> None:
    warn_if_open_to_others(file.parent)
    try:
        create_private_file(file)
    except OSError as error:
        raise DatabaseError(f"cannot create the database {file}: {error}") from None


def _make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "postgresql":
        engine = sa.create_engine(
            url,
            pool_size=8,
            max_overflow=8,
            pool_timeout=30,
            pool_pre_ping=True,  # a restarted PostgreSQL leaves dead connections in the pool
            connect_args={"connect_timeout": 5},
            hide_parameters=True,  # parameters are personal data and face templates
        )
        _drop_error_details(engine)
        return engine
    memory = url.database in (None, "", ":memory:")
    engine = sa.create_engine(
        url,
        # An in-memory database exists once per connection: share a single one.
        poolclass=StaticPool if memory else None,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        hide_parameters=True,
        **({} if memory else {"pool_size": 8, "max_overflow": 8, "pool_timeout": 30}),
    )
    _configure_sqlite(engine, memory=memory)
    return engine


def _drop_error_details(engine: Engine) -> None:
    @event.listens_for(engine, "handle_error")
    def _primary_message_only(context: ExceptionContext) -> None:
        # PostgreSQL's DETAIL ("Key (member_id)=(...) already exists", "Failing row
        # contains (...)") and CONTEXT ("portal parameter $1 = '...'") repeat values that
        # hide_parameters hides. The driver's ``diag`` keeps them for code that needs them.
        original = context.original_exception
        diag = getattr(original, "diag", None)
        primary = getattr(diag, "message_primary", None)
        if not primary or not original.args or not isinstance(original.args[0], str):
            return
        if str(getattr(diag, "sqlstate", "")).startswith(_DATA_EXCEPTION):
            # 'invalid input syntax for type integer: "<the value>"'
            primary = _QUOTED.sub('"..."', primary)
        full = original.args[0]
        original.args = (primary,)
        wrapped = context.sqlalchemy_exception
        if wrapped is not None and wrapped.args and isinstance(wrapped.args[0], str):
            text = wrapped.args[0]
            wrapped.args = (text.replace(full, primary, 1) if full in text else primary,)


def _configure_sqlite(engine: Engine, *, memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" below issue BEGIN itself (pysqlite's own is deferred
        # and too late for the lock).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            # Deleted rows are overwritten with zeros, so an erasure leaves no bytes in a
            # free page once ``scrub`` has folded the WAL in.
            cursor.execute("PRAGMA secure_delete=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write takes the lock at BEGIN, so two writers queue instead of one failing
        # with "database is locked" when it upgrades a read lock half-way.
        read_only = conn.get_execution_options().get(_READ_ONLY, False)
        conn.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")


def _reason(error: exc.SQLAlchemyError) -> str:
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__
