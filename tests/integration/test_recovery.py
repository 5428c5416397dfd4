"""Start-up recovery of orders that a crash left open or half-paid."""

from __future__ import annotations

from terminal.app.checkout import CheckoutSession
from terminal.app.recovery import INTERRUPTED, Outcome, recover_unfinished
from terminal.domain.order import OrderState
from terminal.domain.payment import Payment, PaymentMethod, PaymentState, cash_payment
from terminal.storage import outbox
from terminal.storage.orders import OrderRepository
from tests.support.fake_clock import FakeClock
from tests.support.water_order import tendering_water_order

WATER = "6910263003875"
BIG_MILK = "6951929701551"


def test_an_open_order_is_cancelled_and_reported(
    session: CheckoutSession, orders: OrderRepository, clock: FakeClock
) -> None:
    session.scan(WATER)
    [recovered] = recover_unfinished(orders, clock())
    assert recovered.outcome is Outcome.CANCELLED
    stored = orders.load(recovered.order_no)
    assert stored.state is OrderState.CANCELLED and stored.cancel_reason == INTERRUPTED
    assert [e["kind"] for e in outbox.entries_for(orders.db, stored.order_no)] == [
        "order.cancelled"
    ]
    assert recover_unfinished(orders, clock()) == []


def test_cash_taken_before_the_crash_is_to_be_handed_back(
    session: CheckoutSession, orders: OrderRepository, clock: FakeClock
) -> None:
    session.scan(BIG_MILK)
    session.pay_cash(1000)
    [recovered] = recover_unfinished(orders, clock())
    assert recovered.outcome is Outcome.CANCELLED
    assert recovered.cash_to_return_cents == 1000
    assert [p.state for p in orders.load(recovered.order_no).payments] == [PaymentState.REFUNDED]


def test_an_order_paid_in_full_but_not_closed_is_completed(
    orders: OrderRepository, clock: FakeClock
) -> None:
    order = tendering_water_order(orders, clock)
    order.add_payment(
        cash_payment(
            payment_id="p",
            order_no=order.order_no,
            balance_due=200,
            tendered_cents=200,
            now=clock(),
        )
    )
    orders.save(order, clock())  # the crash came between this save and the close
    [recovered] = recover_unfinished(orders, clock())
    assert recovered.outcome is Outcome.COMPLETED
    assert orders.load(order.order_no).state is OrderState.PAID
    assert [e["kind"] for e in outbox.entries_for(orders.db, order.order_no)] == ["order.paid"]


def test_a_wallet_payment_in_flight_is_left_for_the_payments_queue(
    orders: OrderRepository, clock: FakeClock
) -> None:
    order = tendering_water_order(orders, clock)
    now = clock()
    order.add_payment(
        Payment(
            payment_id="w1",
            order_no=order.order_no,
            method=PaymentMethod.WALLET_CODE,
            amount_cents=200,
            state=PaymentState.PENDING,
            created_at=now,
            updated_at=now,
            provider="wechat",
        )
    )
    orders.save(order, clock())
    [recovered] = recover_unfinished(orders, clock())
    assert recovered.outcome is Outcome.NEEDS_ATTENTION
    assert "unknown" in recovered.detail
    assert orders.load(order.order_no).state is OrderState.TENDERING
    assert outbox.entries_for(orders.db, order.order_no) == []
