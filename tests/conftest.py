"""Shared fixtures: a real SQLite store in a temp folder, the demo catalog, a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.app.checkout import CheckoutSession
from terminal.config import Settings
from terminal.domain.catalog import CatalogItem
from terminal.domain.order import Order
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from tests.support.postgres_cluster import PostgresCluster, find_bin_dir

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"


class FakeClock:
    """A UTC clock that moves one second per reading, so every event has its own time."""

    def __init__(self, start: datetime = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


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


WATER = CatalogItem(
    sku="06910263003875",
    barcode="6910263003875",
    name_zh="农夫山泉 550ml",
    name_en="Nongfu Spring 550ml",
    price_cents=200,
    tax_rate_bp=1300,
)


def tendering_water_order(orders: OrderRepository, clock: FakeClock) -> Order:
    """An order on disk with one 2.00 water, tendering, no payment yet."""
    order = orders.open_order("T01", date(2026, 11, 22), clock())
    order.cart.add(WATER, code=WATER.barcode or "")
    order.start_tender()
    orders.save(order, clock())
    return order


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
