"""Fixtures of the attack suite. ``cloud`` (the session's real server on SQLite and
PostgreSQL) comes from tests/integration/conftest.py; here:

- ``database_files``: the files that server's database lives in, as someone holding a copy
  of the disk would search them;
- ``guarded``: a second real server of the suite's own, whose rate limits a test may
  tighten (small limits on a manual clock) without touching the shared server; every
  test gets it with its limits wide open.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.cloud.app import create_app
from deploy.cloud.database import Database
from tests.support.cloud_api import Cloud
from tests.support.cloud_keys import MASTER_KEY
from tests.support.cloud_server import serving
from tests.support.database_files import sqlite_files
from tests.support.guarded_cloud import GuardedCloud
from tests.support.postgres_cluster import PostgresCluster


@pytest.fixture
def database_files(cloud: Cloud, request: pytest.FixtureRequest) -> list[Path]:
    """SQLite's main file, -wal, -shm and -journal; or the PostgreSQL cluster's whole data
    directory (base/, pg_wal/, ...)."""
    if cloud.kind == "sqlite":
        return sqlite_files(Path(str(cloud.db.url.database)))
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    return [cluster.base / "data"]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def guarded_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GuardedCloud]:
    if request.param == "postgresql":
        cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
        db_url = cluster.new_database("guarded")
    else:
        db_url = str(tmp_path_factory.mktemp("guarded-cloud") / "cloud.db")
    app = create_app(db_url, master_key=MASTER_KEY)
    with serving(app, f"guarded-cloud-{request.param}") as base_url:
        cloud = Cloud(kind=request.param, base_url=base_url, db=Database(db_url))
        try:
            yield GuardedCloud(cloud, app, db_url)
        finally:
            for client in cloud.clients:
                client.close()
            cloud.db.close()


@pytest.fixture
def guarded(guarded_server: GuardedCloud) -> GuardedCloud:
    guarded_server.open_limits()
    return guarded_server
