"""Paid orders to refund, made with the terminal's own domain code: random carts paid with
a mix of cash, wallet codes and face pay (hypothesis strategies), and a plain one for the
storage, crash and cloud tests; plus refund helpers shared by those tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from hypothesis import assume
from hypothesis import strategies as st

from terminal.domain.cart import Cart
from terminal.domain.order import Order
from terminal.domain.payment import Payment, PaymentMethod, PaymentState, cash_payment
from terminal.domain.refund import Refund
from terminal.domain.refund_request import LineRequest
from terminal.domain.refundable import SoldOrder, sold_order
from terminal.storage.orders import OrderRepository
from tests.support.domain_builders import LATER, carts, new_order, piece_item, weighed_item

MEMBER = "6b9e1a52-3c1f-4d0e-9a55-0c2f6f0d9a11"
CASHIER = "C001"
MANAGER = "M001"
DAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def pay_with(order: Order, tenders: Sequence[PaymentMethod], now: datetime = LATER) -> Order:
    """Pay ``order`` in full: each tender takes an even share of what is due, the last one
    the rest (wallet and face payments as they stand once the cloud said SUCCESS)."""
    order.start_tender()
    due = order.balance_due_cents
    for index, method in enumerate(tenders, start=1):
        left = order.balance_due_cents
        amount = left if index == len(tenders) else min(left, due // len(tenders))
        if amount <= 0:
            continue
        payment_id = f"{order.order_no}-p{index}"
        if method is PaymentMethod.CASH:
            order.add_payment(
                cash_payment(
                    payment_id=payment_id,
                    order_no=order.order_no,
                    balance_due=left,
                    tendered_cents=amount,
                    now=now,
                )
            )
        else:
            order.add_payment(Payment(payment_id=payment_id, order_no=order.order_no,
                                      method=method, amount_cents=amount,
                                      state=PaymentState.SUCCEEDED, created_at=now,
                                      updated_at=now,
                                      provider="wechat" if method is PaymentMethod.WALLET_CODE
                                      else "stored_value"))  # fmt: skip
    order.complete(now)
    return order


@st.composite
def paid_orders(draw: st.DrawFn) -> Order:
    """A random cart (pieces, weighed labels, discounts, voids), paid with one to three
    tenders of any kind, by a member when face pay is among them."""
    cart: Cart = draw(carts())
    assume(not cart.is_empty())
    tenders = draw(st.lists(st.sampled_from(list(PaymentMethod)), min_size=1, max_size=3))
    member = MEMBER if PaymentMethod.FACE in tenders or draw(st.booleans()) else None
    return pay_with(new_order(cart, member_id=member), tenders)


def sold(order: Order) -> SoldOrder:
    result = sold_order(order)
    assert result is not None, f"{order.order_no} is not paid"
    return result


def everything(order: Order) -> list[LineRequest]:
    return [LineRequest(line.line_no) for line in order.cart.active_lines]


def mixed_order(orders: OrderRepository, device_id: str, now: datetime = NOW) -> Order:
    """A paid order on disk: 3 waters (2.00), 500 g of apples (19.98/kg), 1.00 off the
    order; paid with a wallet code, face pay (by ``MEMBER``) and cash, queued for the cloud."""
    order = orders.open_order(device_id, DAY, now)
    order.member_id = MEMBER
    order.cart.add(piece_item(200, sku="06910263003875"), code="6910263003875", quantity=3)
    order.cart.add_weighed(weighed_item(1998), code="2800042", weight_grams=500)
    order.cart.discount_order(100, order.totals().total_cents)
    pay_with(order, [PaymentMethod.WALLET_CODE, PaymentMethod.FACE, PaymentMethod.CASH], now)
    orders.close(order, now)
    return order


def cash_order(orders: OrderRepository, device_id: str, now: datetime = NOW) -> Order:
    """A paid cash order on disk: 4 waters, queued for the cloud."""
    order = orders.open_order(device_id, DAY, now)
    order.cart.add(piece_item(200, sku="06910263003875"), code="6910263003875", quantity=4)
    pay_with(order, [PaymentMethod.CASH], now)
    orders.close(order, now)
    return order


def later(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def totals_by_line(refunds: Sequence[Refund]) -> dict[int, tuple[int, int]]:
    """(pieces or grams, cents) given back per original line over ``refunds``."""
    taken: dict[int, tuple[int, int]] = {}
    for refund in refunds:
        for line in refund.lines:
            assert line.line_no is not None
            measure, cents = taken.get(line.line_no, (0, 0))
            taken[line.line_no] = (measure + line.measure, cents + line.amount_cents)
    return taken
