"""Whole sales through the checkout session, on a real SQLite store with the demo catalog."""

from __future__ import annotations

import pytest

from terminal.app.checkout import CheckoutSession
from terminal.config import Settings
from terminal.domain.codes import WeighedCodeLayout
from terminal.domain.errors import (
    CartError,
    IllegalTransition,
    InvalidCode,
    PaymentError,
    UnknownItem,
)
from terminal.domain.order import OrderState
from terminal.domain.payment import PaymentState
from terminal.storage import outbox
from terminal.storage.catalog import CatalogRepository
from terminal.storage.orders import OrderRepository
from tests.support.fake_clock import FakeClock

WATER = "6910263003875"  # 2.00
COLA = "6979104402918"  # 3.50
BIG_MILK = "6951929701551"  # 19.90, member 17.90, 9 % VAT


def test_a_cash_sale_commits_order_payment_and_outbox_together(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(WATER)
    session.scan(COLA)
    session.set_quantity(2)
    result = session.pay_cash(1000)
    assert result.paid and result.change_cents == 100
    assert session.order is None
    stored = orders.load(result.order.order_no)
    assert stored.state is OrderState.PAID
    assert stored.totals().total_cents == 900
    assert [
        (p.state, p.amount_cents, p.tendered_cents, p.change_cents) for p in stored.payments
    ] == [(PaymentState.SUCCEEDED, 900, 1000, 100)]
    [entry] = outbox.entries_for(orders.db, stored.order_no)
    assert entry["kind"] == "order.paid" and entry["idempotency_key"] == stored.order_no
    assert entry["payload"]["totals"]["total_cents"] == 900
    assert entry["payload"]["paid_cents"] == 900


def test_every_scan_is_on_disk_before_the_call_returns(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(WATER)
    session.scan(COLA)
    session.void()
    assert session.order is not None
    on_disk = orders.load(session.order.order_no)
    assert [(line.sku[-13:], line.voided) for line in on_disk.cart.lines] == [
        (WATER, False),
        (COLA, True),
    ]
    assert on_disk.state is OrderState.OPEN


def test_an_unknown_or_broken_code_does_not_open_an_order(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    with pytest.raises(UnknownItem, match="not in the catalog"):
        session.scan("4006381333931")
    with pytest.raises(InvalidCode, match="check digit"):
        session.scan("6910263003876")
    assert session.order is None and orders.count() == 0


def test_a_payment_code_at_the_product_scanner_is_refused_without_showing_it(
    session: CheckoutSession,
) -> None:
    with pytest.raises(PaymentError) as error:
        session.scan("134567890123456789")
    assert "wechat" in str(error.value)
    assert "134567890123456789" not in str(error.value)
    assert session.order is None


def test_scale_labels_with_price_and_with_weight(
    session: CheckoutSession,
    settings: Settings,
    orders: OrderRepository,
    catalog: CatalogRepository,
    clock: FakeClock,
) -> None:
    line = session.scan(settings.weighed_layout.build_code("00101", 1470))
    assert line.fixed_amount_cents == 1470
    assert session.order is not None and session.order.totals().total_cents == 1470

    weight_labels = Settings(
        device_id="T01",
        db_path=settings.db_path,
        weighed_layout=WeighedCodeLayout.from_config("FFIIIIIVVVVVC", ["28"], "weight"),
    )
    other_store = CheckoutSession(
        orders=orders, catalog=catalog, settings=weight_labels, clock=clock
    )
    line = other_store.scan(weight_labels.weighed_layout.build_code("00101", 1235))
    assert line.weight_grams == 1235
    assert other_store.order is not None
    # 1.235 kg x 11.90 = 14.6965 -> 14.70, rounded half up to the fen.
    assert other_store.order.totals().total_cents == 1470


def test_part_payment_then_cancel_hands_the_cash_back(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(BIG_MILK)
    part = session.pay_cash(1000)
    assert not part.paid and part.balance_due_cents == 990
    with pytest.raises(IllegalTransition, match="money taken"):
        session.scan(WATER)
    cancelled = session.cancel()
    stored = orders.load(cancelled.order_no)
    assert stored.state is OrderState.CANCELLED
    assert [p.state for p in stored.payments] == [PaymentState.REFUNDED]
    [entry] = outbox.entries_for(orders.db, stored.order_no)
    assert entry["kind"] == "order.cancelled"


def test_changing_the_cart_before_money_is_taken_reopens_the_order(
    session: CheckoutSession,
) -> None:
    session.scan(WATER)
    with pytest.raises(PaymentError):
        session.pay_cash(0)
    session.scan(COLA)
    assert session.order is not None and session.order.state is OrderState.OPEN
    assert session.pay_cash(550).paid


def test_a_failed_disk_write_leaves_memory_equal_to_disk(
    session: CheckoutSession, orders: OrderRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    session.scan(WATER)
    order_no = session.order.order_no if session.order else ""

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(orders, "close", full_disk)
    with pytest.raises(OSError):
        session.pay_cash(500)
    assert session.order is not None
    assert session.order.state is OrderState.OPEN and session.order.payments == []
    monkeypatch.undo()
    assert session.pay_cash(500).order.order_no == order_no


def test_order_discount_cannot_exceed_the_order(session: CheckoutSession) -> None:
    session.scan(WATER)
    with pytest.raises(CartError, match="more than the order total"):
        session.discount_order(201)
    session.discount_order(200)
    assert session.order is not None and session.order.totals().total_cents == 0


def test_actions_without_a_sale_say_so(session: CheckoutSession) -> None:
    for action in (session.void, lambda: session.pay_cash(100), session.cancel):
        with pytest.raises(CartError, match="no sale in progress"):
            action()


def test_a_sale_with_nothing_to_pay_closes_with_a_zero_tender(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(WATER)
    session.discount_order(200)
    result = session.pay_cash(0)  # what "exact cash" tenders when nothing is due
    assert result.paid
    stored = orders.load(result.order.order_no)
    assert stored.state is OrderState.PAID and stored.totals().total_cents == 0
    assert [(p.amount_cents, p.tendered_cents) for p in stored.payments] == [(0, 0)]


def test_a_tender_far_above_the_amount_due_is_refused_and_nothing_taken(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(WATER)
    with pytest.raises(PaymentError) as refused:
        session.pay_cash(999_999_900)
    assert refused.value.code == "payment.tender_too_large"
    assert session.order is not None and session.order.payments == []
    assert session.pay_cash(10_000).change_cents == 9_800  # a ¥100 note is fine


def test_the_same_item_scanned_again_joins_its_line(session: CheckoutSession) -> None:
    for _ in range(3):
        session.scan(WATER)
    session.scan(COLA)
    session.scan(WATER)
    assert session.order is not None
    assert [(line.line_no, line.quantity) for line in session.order.cart.lines] == [(1, 4), (2, 1)]
