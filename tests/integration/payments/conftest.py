"""The payment tests use the killable cloud and registered till of tests/conftest.py on
SQLite only (its default): the payment routes share every line of SQL with the PostgreSQL
runs of tests/integration/sync, and one server start per test keeps these under a minute
and a half."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlite_utils import Database

from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.clock import utc_now
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import open_store
from terminal.sync.client import CloudClient
from tests.support.registered_till import Till


@pytest.fixture
def db(till: Till) -> Iterator[Database]:
    database = open_store(till.db_path)
    CatalogRepository(database).upsert(read_catalog(DEMO_CATALOG), utc_now())
    yield database
    database.close()


@pytest.fixture
def client(till: Till) -> Iterator[CloudClient]:
    with till.client(timeout_s=5) as c:
        yield c
