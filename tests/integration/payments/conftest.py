"""The sync tests' real cloud process and registered till, on SQLite only here: the
payment routes share every line of SQL with the PostgreSQL runs of tests/integration/sync,
and one server start per test keeps these under a minute and a half."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.app.checkout import CheckoutSession
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.payments.wallet import PollSchedule
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from terminal.sync.client import CloudClient
from tests.integration.sync import conftest as sync_fixtures
from tests.integration.sync.conftest import Till

# The sync tests' fixtures, re-exported so pytest finds them for this folder.
cloud_admin = sync_fixtures.cloud_admin
cloud_server = sync_fixtures.cloud_server
till = sync_fixtures.till

FAST = PollSchedule(interval_s=0.01, total_s=0.05)


@pytest.fixture
def cloud_db_url(tmp_path: Path) -> str:
    return str(tmp_path / "cloud.db")


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


def make_session(
    till: Till,
    db: Database,
    client: CloudClient | None,
    *,
    online: bool = True,
    schedule: PollSchedule = FAST,
) -> CheckoutSession:
    return CheckoutSession(
        orders=OrderRepository(db),
        catalog=CatalogRepository(db),
        settings=Settings(device_id=till.registration.device_id, db_path=till.db_path),
        members=till.members(db),
        cloud=client,
        online=lambda: online,
        wallet_schedule=schedule,
        sleep=lambda _s: None,
    )
