"""Payment codes through ``CheckoutSession.pay_code`` against the real reference cloud and
its wallet simulator (outcome by the code's last digit), restarts mid-payment, and a
cloud that stops answering."""

from __future__ import annotations

import threading
import time

import pytest
from sqlite_utils import Database

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from terminal.app.recovery import Outcome, recover_unfinished
from terminal.clock import utc_now
from terminal.domain.order import OrderState
from terminal.domain.payment import Payment, PaymentMethod, PaymentState
from terminal.payments.errors import OfflineRefused
from terminal.payments.pending_queue import PendingPayments
from terminal.payments.wallet import PollSchedule, WalletPayments
from terminal.storage import outbox
from terminal.storage.orders import OrderRepository
from terminal.sync.client import CloudClient
from terminal.sync.cycle import sync_once
from tests.support.checkout_sessions import FAST, make_session
from tests.support.cloud_process import CloudProcess
from tests.support.fault_proxy import FaultProxy
from tests.support.registered_till import Till
from tests.support.water_order import WATER as WATER_ITEM

WATER = "6910263003875"  # 2.00


def wechat_code(last_digit: int) -> str:
    return f"13456789012345678{last_digit}"  # 18 digits, WeChat prefix 13


@pytest.mark.parametrize(
    "case",
    [
        (1, PaymentState.SUCCEEDED, True, "SUCCESS"),
        (6, PaymentState.SUCCEEDED, True, "SUCCESS"),  # USERPAYING, then SUCCESS
        (7, PaymentState.FAILED, False, "FAIL"),  # USERPAYING, then the customer cancels
        (8, PaymentState.FAILED, False, "FAIL"),
        (9, PaymentState.SUCCEEDED, True, "SUCCESS"),  # SYSTEMERROR -> query -> SUCCESS
    ],
)
def test_each_simulator_outcome_through_pay_code(
    till: Till,
    db: Database,
    client: CloudClient,
    cloud_admin: CloudDatabase,
    case: tuple[int, PaymentState, bool, str],
) -> None:
    digit, state, paid, trade_state = case
    session = make_session(till, db, client)
    session.scan(WATER)
    result = session.pay_code(wechat_code(digit))
    assert (result.payment.state, result.paid) == (state, paid)
    assert client.query_micropay(result.payment.payment_id)["trade_state"] == trade_state
    stored = OrderRepository(db).load(result.order.order_no)
    assert [p.state for p in stored.payments] == [state]
    entries = outbox.entries_for(db, stored.order_no)
    if paid:
        assert stored.state is OrderState.PAID and session.order is None
        assert stored.payments[0].trade_no
        assert [e["kind"] for e in entries] == ["order.paid"]
        sync_once(db, client, till.members(db), pull=False)
        [remote] = [d for d in admin.export_orders(cloud_admin) if d["order_no"] == stored.order_no]
        assert remote["paid_cents"] == 200
    else:
        # Declined: the sale stays open for another tender; nothing is queued yet.
        assert stored.state is OrderState.TENDERING and entries == []
        assert session.pay_cash(200).paid


def _pending_wallet_order(db: Database, device_id: str) -> tuple[str, str]:
    """An order left TENDERING with a PENDING code payment, as a crash leaves it."""
    orders = OrderRepository(db)
    now = utc_now()
    order = orders.open_order(device_id, now.date(), now)
    order.cart.add(WATER_ITEM, code=WATER)
    order.start_tender()
    payment = Payment(
        payment_id="restart-" + order.order_no,
        order_no=order.order_no,
        method=PaymentMethod.WALLET_CODE,
        amount_cents=200,
        state=PaymentState.PENDING,
        created_at=now,
        updated_at=now,
        provider="wechat",
    )
    order.add_payment(payment)
    orders.save(order, now)
    return order.order_no, payment.payment_id


@pytest.mark.parametrize("reached_wallet", [True, False])
def test_a_restart_between_pending_and_the_answer_is_resolved_by_recovery(
    till: Till, db: Database, client: CloudClient, reached_wallet: bool
) -> None:
    order_no, payment_id = _pending_wallet_order(db, till.registration.device_id)
    if reached_wallet:
        # The code went out and the wallet took the money; the till died before the answer.
        client.micropay(
            out_trade_no=payment_id, order_no=order_no, auth_code=wechat_code(9), amount_cents=200
        )
    # "Restart": a fresh repository and queue over the same file.
    orders = OrderRepository(db)
    wallet = WalletPayments(orders, client, utc_now, schedule=FAST, sleep=lambda _s: None)
    queue = PendingPayments(db, orders, wallet=wallet, face=None)
    assert queue.in_flight() == [(order_no, payment_id)]
    [report] = recover_unfinished(orders, utc_now(), queue)
    stored = orders.load(order_no)
    if reached_wallet:
        assert report.outcome is Outcome.COMPLETED and stored.state is OrderState.PAID
        assert stored.payments[0].state is PaymentState.SUCCEEDED
    else:
        # Never reached the wallet: reversed (a late pay cannot land), nothing was paid.
        assert report.outcome is Outcome.CANCELLED
        assert stored.payments[0].state is PaymentState.REVERSED
        assert client.query_micropay(payment_id)["trade_state"] == "REVOKED"
    assert len(outbox.entries_for(db, order_no)) == 1
    assert queue.in_flight() == []


def test_unknown_is_reversed_when_the_queries_keep_failing(
    till: Till, db: Database, client: CloudClient, cloud_server: CloudProcess
) -> None:
    schedule = PollSchedule(interval_s=0.01, total_s=0.03)  # 3 queries
    with FaultProxy(cloud_server.port) as proxy, till.client(proxy.url, timeout_s=0.5) as slow:
        proxy.set("blackhole")

        def open_the_way() -> None:
            # The pay and every query are swallowed; the reverse gets through.
            deadline = time.monotonic() + 20
            while proxy.counts.blackholed < 1 + schedule.checks and time.monotonic() < deadline:
                time.sleep(0.01)
            proxy.set("pass")

        watcher = threading.Thread(target=open_the_way, daemon=True)
        watcher.start()
        session = make_session(till, db, slow, schedule=schedule)
        session.scan(WATER)
        result = session.pay_code(wechat_code(1))
        watcher.join(5)
    assert result.payment.state is PaymentState.REVERSED and not result.paid
    assert "cancelled" in result.message
    # The wallet keeps the trade closed: the swallowed pay can never take the money now.
    assert client.query_micropay(result.payment.payment_id)["trade_state"] == "REVOKED"
    assert session.pay_cash(200).paid


def test_payment_codes_are_refused_offline(till: Till, db: Database, client: CloudClient) -> None:
    session = make_session(till, db, client, online=False)
    session.scan(WATER)
    with pytest.raises(OfflineRefused, match="payment codes cannot be taken"):
        session.pay_code(wechat_code(1))
    assert session.order is not None and session.order.payments == []
