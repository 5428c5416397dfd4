"""Shared fixtures: a real SQLite store in a temp folder, the demo catalog, a fixed clock,
a throw-away PostgreSQL cluster, and the reference cloud in its own process with a till
registered with it.

Helpers live in tests/support, never here: tests import those, not this file. The
reference cloud's modules are imported inside the fixtures that use them, so the tests
that need no cloud run without the server's packages.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlite_utils import Database

from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.app.checkout import CheckoutSession
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from tests.support.cloud_keys import VAULT
from tests.support.cloud_process import CloudProcess
from tests.support.fake_clock import FakeClock
from tests.support.postgres_cluster import PostgresCluster, find_bin_dir
from tests.support.registered_till import Till, register_till

if TYPE_CHECKING:
    from deploy.cloud.database import Database as CloudDatabase


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(device_id="T01", db_path=tmp_path / "terminal.db")


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = open_store(settings.db_path)
    yield database
    database.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def catalog(db: Database, clock: FakeClock) -> CatalogRepository:
    repo = CatalogRepository(db)
    repo.upsert(read_catalog(DEMO_CATALOG), clock())
    return repo


@pytest.fixture
def orders(db: Database) -> OrderRepository:
    return OrderRepository(db)


@pytest.fixture
def session(
    orders: OrderRepository, catalog: CatalogRepository, settings: Settings, clock: FakeClock
) -> CheckoutSession:
    return CheckoutSession(orders=orders, catalog=catalog, settings=settings, clock=clock)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no PostgreSQL server binaries (initdb) were found")
        pytest.skip("no PostgreSQL server binaries (initdb) in /usr/lib/postgresql/*/bin")
    cluster = PostgresCluster.start(bin_dir)
    yield cluster
    cluster.stop()


@pytest.fixture
def cloud_db_url(tmp_path: Path) -> str:
    """The killable cloud's database: SQLite in the test's folder (tests/integration/sync
    overrides this to run on PostgreSQL as well)."""
    return str(tmp_path / "cloud.db")


@pytest.fixture
def cloud_admin(cloud_db_url: str) -> Iterator[CloudDatabase]:
    """The cloud's database, seeded with store S001, as an operator reaches it."""
    from deploy.cloud import admin
    from deploy.cloud.database import Database as CloudDatabase

    database = CloudDatabase(cloud_db_url)
    admin.seed(database, "S001", vault=VAULT)
    yield database
    database.close()


@pytest.fixture
def cloud_server(
    cloud_db_url: str, cloud_admin: CloudDatabase, tmp_path: Path
) -> Iterator[CloudProcess]:
    """The reference cloud in its own process: a test may kill it and start it again."""
    server = CloudProcess(cloud_db_url, tmp_path / "cloud.log")
    server.start()
    yield server
    server.kill()


@pytest.fixture
def till(cloud_server: CloudProcess, cloud_admin: CloudDatabase, tmp_path: Path) -> Till:
    """A terminal registered with the seeded store, through the real API."""
    from deploy.cloud import admin

    code = admin.create_code(cloud_admin, "S001")
    return register_till(cloud_server.url, code, tmp_path / "till.db", utc_now())
