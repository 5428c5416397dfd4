"""The till's cloud calls run on its cloud thread, against the reference cloud in its own
process and a fault proxy in front of it:
- a payment code that cannot be sent fails at once, and cash closes the same sale (the
  headless command, cloud killed);
- a black-holed cloud holds up only the sale whose payment is out: its changes are refused
  at once, the offline flag flips after the first failed call, the sale can be parked
  and the next customer served while the payment is unresolved;
- once the cloud is back, the queue settles the parked sale exactly once.
"""

from __future__ import annotations

import dataclasses
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.app.sale_view import SaleState
from terminal.app.till import Till as AppTill
from terminal.clock import utc_now
from terminal.config import Settings, SyncSection
from terminal.domain.order import OrderState
from terminal.domain.payment import PaymentMethod, PaymentState
from terminal.errors import TillError
from terminal.payments.errors import PaymentRefused
from terminal.payments.wallet import PollSchedule
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from terminal.sync.status import SyncStatus, record_success
from tests.support.cloud_process import CloudProcess
from tests.support.fault_proxy import FaultProxy
from tests.support.registered_till import Till

WATER, COLA, NOODLES = "6910263003875", "6979104402918", "6910263003905"


def wechat_code(last_digit: int) -> str:
    return f"13456789012345678{last_digit}"


@pytest.fixture
def stocked(till: Till) -> Till:
    db = open_store(till.db_path)
    CatalogRepository(db).upsert(read_catalog(DEMO_CATALOG), utc_now())
    db.close()
    return till


def stored_order(till: Till, order_no: str) -> tuple[OrderState, list[tuple[str, str]]]:
    db = open_store(till.db_path)
    try:
        order = OrderRepository(db).load(order_no)
    finally:
        db.close()
    return order.state, [(str(p.method), str(p.state)) for p in order.payments]


def test_headless_code_that_cannot_be_sent_fails_at_once_and_cash_pays(
    stocked: Till, cloud_server: CloudProcess
) -> None:
    cloud_server.kill()  # refused connections: nothing can leave the till
    script = f"scan {WATER}\npay code {wechat_code(1)}\npay cash 500\n"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "terminal", "checkout", "--headless", "--script", "-",
         "--db", str(stocked.db_path)],
        input=script, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr  # the one refused line: the code
    assert "not sent" in result.stderr and ":2:" in result.stderr
    paid = [line.split() for line in result.stdout.splitlines() if line.startswith("PAID")]
    assert len(paid) == 1 and paid[0][2] == "200"
    state, payments = stored_order(stocked, paid[0][1])
    assert state is OrderState.PAID
    assert payments == [("wallet_code", "failed"), ("cash", "succeeded")]
    # Start-up and a refused connection: no timeout, no polling, no reverse.
    assert elapsed < 10, f"the headless run took {elapsed:.1f} s"


@pytest.fixture
def proxied(stocked: Till, cloud_server: CloudProcess, tmp_path: Path):  # type: ignore[no-untyped-def]
    with FaultProxy(cloud_server.port) as proxy:
        registration = dataclasses.replace(stocked.registration, cloud_url=proxy.url)
        settings = Settings(
            device_id=registration.device_id,
            db_path=stocked.db_path,
            sync=SyncSection(timeout_s=1.0),
        )
        app = AppTill(
            stocked.db_path,
            settings,
            registration=registration,
            wallet_schedule=PollSchedule(interval_s=0.05, total_s=0.1),
        )
        app.on_error(lambda _error: None)  # each test waits on what it asked for
        yield app, proxy
        app.stop()


def test_a_black_holed_cloud_holds_up_only_the_sale_whose_payment_is_out(
    proxied: tuple[AppTill, FaultProxy], stocked: Till
) -> None:
    app, proxy = proxied
    statuses: list[SyncStatus] = []
    app.on_sync_status(statuses.append)
    app.start().wait(5)
    app.scan(WATER).wait(5)
    order_no = app.view.order_no
    assert order_no is not None
    proxy.set("blackhole")
    started = time.monotonic()
    paying = app.pay_code(wechat_code(1))

    # The store thread answers at once: this sale's changes wait for the payment.
    answered = []
    for code in (COLA, COLA, COLA):
        asked = time.monotonic()
        with pytest.raises(TillError) as refused:
            app.scan(code).wait(5)
        answered.append(time.monotonic() - asked)
        assert refused.value.code == "till.payment_in_progress"
    assert max(answered) < 0.1, answered

    # The first call that timed out marks the till offline, long before the flow ends.
    deadline = time.monotonic() + 5
    while not any(s.online is False for s in statuses) and time.monotonic() < deadline:
        time.sleep(0.01)
    offline_after = time.monotonic() - started
    assert any(s.online is False for s in statuses)
    assert offline_after < 2.5, offline_after

    # Pay, queries and the reverse all swallowed: the result stays unknown.
    with pytest.raises(PaymentRefused) as unresolved:
        paying.wait(30)
    assert unresolved.value.code == "pay.unresolved"
    assert app.view.state is SaleState.TENDERING

    # Park it: the next customer is served while the payment is unresolved.
    app.park().wait(5)
    assert app.view.state is SaleState.IDLE
    latencies = []
    for code in [NOODLES, COLA] * 10:
        asked = time.monotonic()
        app.scan(code).wait(5)
        latencies.append((time.monotonic() - asked) * 1000)
    assert app.view.item_count == 20 and app.view.order_no != order_no
    assert statistics.quantiles(latencies, n=100)[98] < 100, latencies
    cash = app.pay_cash(None).wait(5)
    assert cash.paid

    # Offline, the queue does nothing; once the cloud is back, it settles the parked sale.
    assert app.resolve_pending().wait(5) == []
    proxy.set("pass")
    db = open_store(stocked.db_path)
    record_success(db, utc_now())  # what the sync worker's next cycle records
    db.close()
    resolved = app.resolve_pending().wait(20)
    assert [(r.order_no, r.state) for r in resolved] == [(order_no, PaymentState.REVERSED)]
    state, payments = stored_order(stocked, order_no)
    assert state is OrderState.CANCELLED  # nothing was paid: cancelled, not left tendering
    assert payments == [(str(PaymentMethod.WALLET_CODE), "reversed")]
    # Asked again: nothing left to settle, nothing sent twice.
    assert app.resolve_pending().wait(5) == []


def test_a_cloud_that_takes_the_call_and_says_nothing_shows_offline_in_2_s(
    stocked: Till, cloud_server: CloudProcess
) -> None:
    """The read timeout stays 10 s (a slow answer is still an answer), yet the screens
    say offline 2 s into the silence, and online again when the answer comes."""
    with FaultProxy(cloud_server.port) as proxy:
        registration = dataclasses.replace(stocked.registration, cloud_url=proxy.url)
        settings = Settings(device_id=registration.device_id, db_path=stocked.db_path,
                            sync=SyncSection(timeout_s=10.0))  # fmt: skip
        app = AppTill(stocked.db_path, settings, registration=registration,
                      wallet_schedule=PollSchedule(interval_s=0.05, total_s=0.1))  # fmt: skip
        app.on_error(lambda _error: None)
        statuses: list[tuple[float, SyncStatus]] = []
        app.on_sync_status(lambda status: statuses.append((time.monotonic(), status)))
        try:
            app.start().wait(5)
            app.scan(WATER).wait(5)
            proxy.set("delay", delay_s=4.0)
            started = time.monotonic()
            paying = app.pay_code(wechat_code(1))
            result = paying.wait(30)
            assert result.paid  # slow, not lost
            offline = [at - started for at, s in statuses if s.online is False]
            assert offline and 1.9 <= offline[0] < 2.6, offline
            after = [s for at, s in statuses if at - started > offline[0]]
            assert after and after[-1].online is not False  # not offline once it answered
        finally:
            app.stop()
