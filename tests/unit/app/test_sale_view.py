"""``view_of``: what the screens are told about money handed back on a cancel."""

from __future__ import annotations

from terminal.app.sale_view import SaleState, view_of
from terminal.domain.payment import PaymentState
from tests.support.domain_builders import (
    LATER,
    new_order,
    order_with_items,
    pay_cash,
    piece_item,
    wallet_payment,
)


def test_cash_refunded_on_a_cancel_is_handed_back() -> None:
    order = order_with_items(1000)
    order.start_tender()
    first = pay_cash(order, 300, payment_id="cash-1")
    second = pay_cash(order, 200, payment_id="cash-2")
    for payment in (first, second):
        payment.transition(PaymentState.REFUNDED, LATER)
    order.cancel("cancelled by cashier", LATER)
    view = view_of(order)
    assert view.state is SaleState.CANCELLED
    assert view.handed_back_cents == 500
    assert view.paid_cents == 0


def test_nothing_is_handed_back_while_the_cash_is_kept() -> None:
    order = order_with_items(1000)
    order.start_tender()
    pay_cash(order, 300)
    assert view_of(order).handed_back_cents == 0


def test_a_refunded_wallet_payment_is_not_cash_to_hand_back() -> None:
    order = order_with_items(1000)
    order.start_tender()
    wallet = wallet_payment(order, 400, state=PaymentState.SUCCEEDED)
    order.add_payment(wallet)
    wallet.transition(PaymentState.REFUNDED, LATER)
    assert view_of(order).handed_back_cents == 0


def test_member_prices_show_as_a_saving_on_the_line_and_in_the_totals() -> None:
    order = new_order(member_id="m-1")
    order.cart.add(piece_item(1990, member_price_cents=1790), code="milk")
    order.cart.add(piece_item(350, sku="06901234567908"), code="bread")
    view = view_of(order)
    milk, bread = view.lines
    assert (milk.unit_price_cents, milk.gross_cents) == (1990, 1990)  # the shelf price
    assert (milk.member_saving_cents, milk.amount_cents) == (200, 1790)
    assert (bread.member_saving_cents, bread.amount_cents) == (0, 350)
    assert (view.subtotal_cents, view.discount_cents, view.total_cents) == (2340, 200, 2140)
    assert view.member_savings_cents == 200
    guest = view_of(new_order(order.cart))
    assert (guest.discount_cents, guest.total_cents, guest.lines[0].amount_cents) == (0, 2340, 1990)
