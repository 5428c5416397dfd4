"""The one database handle of the server: an SQLAlchemy engine for SQLite or PostgreSQL,
the schema created at start, and the two kinds of transaction every caller uses.

SQLite (the default, a file path) runs in WAL mode with ``synchronous=FULL`` so a crash
or power cut never loses a committed write nor keeps half of one; PostgreSQL
(``postgresql://`` URLs) goes through the psycopg 3 driver. There is one code path for
both: only the connection set-up below knows which one is in use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

from deploy.cloud.schema import SCHEMA_VERSION, metadata, schema_version

log = logging.getLogger(__name__)

T = TypeVar("T")
Dialect = Literal["sqlite", "postgresql"]

# SQLite waits this long for the write lock before giving up with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 10_000
_READ_ONLY = "facepay_read_only"


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
        self.engine = _make_engine(self.url)
        try:
            self._create_schema()
        except exc.SQLAlchemyError as error:
            self.engine.dispose()
            raise DatabaseError(
                f"cannot open the database {describe(self.url)}: {_reason(error)}"
            ) from None

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

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "postgresql":
        return sa.create_engine(
            url,
            pool_size=8,
            max_overflow=8,
            pool_timeout=30,
            pool_pre_ping=True,  # a restarted PostgreSQL leaves dead connections in the pool
            connect_args={"connect_timeout": 5},
        )
    memory = url.database in (None, "", ":memory:")
    engine = sa.create_engine(
        url,
        # An in-memory database exists once per connection: share a single one.
        poolclass=StaticPool if memory else None,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        **({} if memory else {"pool_size": 8, "max_overflow": 8, "pool_timeout": 30}),
    )
    _configure_sqlite(engine, memory=memory)
    return engine


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
