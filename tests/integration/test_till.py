"""The ``Till`` facade without Qt: intents on its store thread, snapshots, recovery."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import TypeVar

import pytest

from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.app.recovery import Outcome
from terminal.app.sale_view import SaleState, SaleView
from terminal.app.tasks import Pending
from terminal.app.till import Till
from terminal.config import Settings
from terminal.domain.errors import UnknownItem
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from tests.support.fake_clock import FakeClock
from tests.support.water_order import tendering_water_order

T = TypeVar("T")
WATER, COLA = "6910263003875", "6979104402918"


def wait(pending: Pending[T], timeout_s: float = 5.0) -> Pending[T]:
    deadline = time.monotonic() + timeout_s
    while not pending.done:
        assert time.monotonic() < deadline, f"{pending.name} did not finish"
        time.sleep(0.002)
    return pending


@pytest.fixture
def till(settings: Settings, clock: FakeClock) -> Iterator[Till]:
    db = open_store(settings.db_path)
    CatalogRepository(db).upsert(read_catalog(DEMO_CATALOG), clock())
    db.close()
    till = Till(settings.db_path, settings, clock=clock)
    yield till
    till.stop()


def test_intents_run_on_one_store_thread_and_publish_snapshots(till: Till) -> None:
    seen: list[tuple[str, SaleView]] = []
    till.on_sale_changed(lambda v: seen.append((threading.current_thread().name, v)))
    assert wait(till.start()).value() == []
    wait(till.scan(WATER))
    wait(till.scan(COLA))
    view = wait(till.set_quantity(2)).value()
    assert [(line.quantity, line.net_cents) for line in view.lines] == [(1, 200), (2, 700)]
    assert view.total_cents == 900
    assert view.preview_cash(1000).change_cents == 100
    result = wait(till.pay_cash(1000)).value()
    assert result.paid and result.change_cents == 100
    assert till.view.state is SaleState.PAID
    assert {name for name, _ in seen} == {"till-store"}
    recent = wait(till.recent_orders()).value()
    assert [r.order_no for r in recent] == [result.order_no]
    assert "Change" in wait(till.receipt(result.order_no, "en")).value()
    assert "找零" in wait(till.receipt(result.order_no, "zh_CN")).value()


def test_a_refused_scan_fails_its_pending_and_leaves_the_sale_as_on_disk(till: Till) -> None:
    wait(till.start())
    wait(till.scan(WATER))
    errors: list[BaseException] = []
    failed = wait(till.scan("6901234567892").failure(errors.append))
    assert isinstance(failed.error, UnknownItem)
    assert errors == [failed.error]
    assert len(till.view.lines) == 1


def test_unhandled_failures_reach_the_error_listeners(till: Till) -> None:
    errors: list[BaseException] = []
    till.on_error(errors.append)
    wait(till.start())
    wait(till.void())
    assert len(errors) == 1 and "no sale in progress" in str(errors[0])


def test_start_recovers_what_a_crash_left_before_any_sale(
    settings: Settings, clock: FakeClock
) -> None:
    db = open_store(settings.db_path)
    stuck = tendering_water_order(OrderRepository(db), clock)
    db.close()
    till = Till(settings.db_path, settings, clock=clock)
    try:
        report = wait(till.start()).value()
    finally:
        till.stop()
    assert [(r.order_no, r.outcome) for r in report] == [(stuck.order_no, Outcome.CANCELLED)]


def test_a_mutation_always_publishes_and_a_query_never_does(till: Till) -> None:
    published: list[SaleView] = []
    till.on_sale_changed(published.append)
    till.on_error(lambda _error: None)
    till.start().wait(5)
    published.clear()
    till.scan(WATER).wait(5)
    assert len(published) == 1 and published[-1].item_count == 1
    # A refused mutation still publishes, so the screens show what is on disk.
    with pytest.raises(UnknownItem):
        till.scan("6901234567892").wait(5)
    assert len(published) == 2 and published[-1].item_count == 1
    for query in (till.recent_orders(), till.catalog_size(), till.sync_status()):
        query.wait(5)
    assert len(published) == 2


def test_the_sale_that_closed_stays_on_screen_until_the_next_starts(till: Till) -> None:
    till.start().wait(5)
    till.scan(WATER).wait(5)
    paid = till.pay_cash(500).wait(5)
    assert till.view.state is SaleState.PAID and till.view.order_no == paid.order_no
    assert paid.total_cents == 200 and paid.change_cents == 300
    till.scan(COLA).wait(5)
    assert till.view.state is SaleState.OPEN and till.view.order_no != paid.order_no


def test_a_cancelled_sale_shows_the_cash_to_hand_back(till: Till) -> None:
    till.start().wait(5)
    till.scan(COLA).wait(5)
    part = till.pay_cash(100).wait(5)
    assert not part.paid and part.balance_due_cents == 250
    view = till.cancel().wait(5)
    assert view.state is SaleState.CANCELLED and view.order_no == part.order_no
