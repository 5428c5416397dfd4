"""The sync tests run the killable cloud (its fixtures are in tests/conftest.py) on
SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.support.postgres_cluster import PostgresCluster


@pytest.fixture(params=["sqlite", "postgresql"])
def cloud_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "cloud.db")
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database(f"sync_{uuid.uuid4().hex[:12]}")
