"""How the server opens its database: SQLite settings for durability, URLs, versions."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from deploy.cloud.database import Database, DatabaseError, normalise_url
from deploy.cloud.schema import SCHEMA_VERSION, schema_version


def test_sqlite_is_opened_in_wal_with_full_sync_and_a_busy_timeout(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "cloud.db"))
    try:
        with db.read() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
            }
            version = conn.execute(sa.select(schema_version.c.version)).scalar_one()
    finally:
        db.close()
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "busy_timeout": 10000,
                      "foreign_keys": 1}  # fmt: skip
    assert version == SCHEMA_VERSION


def test_a_database_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "cloud.db")
    db = Database(path)
    with db.write() as conn:
        conn.execute(sa.update(schema_version).values(version=SCHEMA_VERSION + 1))
    db.close()
    with pytest.raises(DatabaseError, match="schema version"):
        Database(path)


def test_urls_pick_the_driver() -> None:
    url = normalise_url("postgresql://u:p@db.example:5432/chain")
    assert url.drivername == "postgresql+psycopg" and url.database == "chain"
    assert normalise_url("postgres://h/x").drivername == "postgresql+psycopg"
    assert normalise_url("cloud.db").drivername == "sqlite+pysqlite"
    with pytest.raises(DatabaseError, match="unsupported"):
        normalise_url("mysql://h/x")
