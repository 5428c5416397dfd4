"""The order state machine: OPEN -> TENDERING -> PAID, cancelling, and editing mid-tender."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import product

import pytest

from terminal.domain.errors import IllegalTransition, PaymentError
from terminal.domain.order import Order, OrderState
from terminal.domain.payment import MONEY_AT_RISK, PaymentState
from tests.support.domain_builders import (
    LATER,
    ORDER_NO,
    order_with_items,
    pay_cash,
    piece_item,
    wallet_payment,
)

OS = OrderState


# -- orders in each state, reached the way the till reaches them ---------------------


def open_order() -> Order:
    return order_with_items(1000)


def tendering_order() -> Order:
    order = open_order()
    order.start_tender()
    return order


def paid_order() -> Order:
    order = tendering_order()
    pay_cash(order, 1000)
    order.complete(LATER)
    return order


def cancelled_order() -> Order:
    order = open_order()
    order.cancel("customer left", LATER)
    return order


REACH: dict[OrderState, Callable[[], Order]] = {
    OS.OPEN: open_order,
    OS.TENDERING: tendering_order,
    OS.PAID: paid_order,
    OS.CANCELLED: cancelled_order,
}

# The public move that asks for each target state.
MOVE_TO: dict[OrderState, Callable[[Order], None]] = {
    OS.OPEN: lambda order: order.ensure_editable(),
    OS.TENDERING: lambda order: order.start_tender(),
    OS.PAID: lambda order: order.complete(LATER),
    OS.CANCELLED: lambda order: order.cancel("by test", LATER),
}

LEGAL = {
    (OS.OPEN, OS.TENDERING),
    (OS.OPEN, OS.CANCELLED),
    (OS.TENDERING, OS.OPEN),
    (OS.TENDERING, OS.PAID),
    (OS.TENDERING, OS.CANCELLED),
}
# Asking OPEN to be editable, or TENDERING to start tendering, is a no-op by design.
STAY = {(OS.OPEN, OS.OPEN), (OS.TENDERING, OS.TENDERING)}


def illegal_pairs() -> Sequence[object]:
    pairs = []
    for start, end in product(OrderState, OrderState):
        if (start, end) in LEGAL | STAY:
            continue
        pairs.append(pytest.param(start, end, id=f"{start}->{end}"))
    return pairs


def test_the_helpers_reach_every_state() -> None:
    for state, reach in REACH.items():
        assert reach().state is state


def test_every_state_pair_is_covered() -> None:
    assert len(LEGAL) + len(STAY) + len(illegal_pairs()) == len(OrderState) ** 2


@pytest.mark.parametrize(("start", "end"), illegal_pairs())
def test_illegal_transition_is_refused_and_changes_nothing(
    start: OrderState, end: OrderState
) -> None:
    order = REACH[start]()
    closed_at = order.closed_at
    with pytest.raises(IllegalTransition, match=f"order {ORDER_NO} is {start}"):
        MOVE_TO[end](order)
    assert order.state is start
    assert order.closed_at == closed_at


@pytest.mark.parametrize(("start", "end"), sorted(STAY))
def test_asking_for_the_current_open_state_is_a_no_op(start: OrderState, end: OrderState) -> None:
    order = REACH[start]()
    MOVE_TO[end](order)
    assert order.state is start


# -- legal moves ---------------------------------------------------------------------


def test_open_order_starts_tendering() -> None:
    order = open_order()
    order.start_tender()
    assert order.state is OS.TENDERING
    assert not order.is_final


def test_open_order_can_be_cancelled_with_a_reason() -> None:
    order = open_order()
    order.cancel("customer left", LATER)
    assert order.state is OS.CANCELLED
    assert (order.cancel_reason, order.closed_at) == ("customer left", LATER)
    assert order.is_final


def test_tendering_order_goes_back_to_open_when_edited_before_any_money() -> None:
    order = tendering_order()
    order.ensure_editable()
    assert order.state is OS.OPEN
    order.cart.add(piece_item(500), code="scan")
    order.start_tender()
    assert order.state is OS.TENDERING


def test_tendering_order_is_paid_once_cash_covers_the_total() -> None:
    order = tendering_order()
    pay_cash(order, 5000)
    order.complete(LATER)
    assert order.state is OS.PAID
    assert order.closed_at == LATER
    assert (order.paid_cents, order.change_cents, order.balance_due_cents) == (1000, 4000, 0)
    assert order.is_final


def test_tendering_order_without_money_can_be_cancelled() -> None:
    order = tendering_order()
    order.cancel("changed mind", LATER)
    assert order.state is OS.CANCELLED


# -- editing while tendering ---------------------------------------------------------


@pytest.mark.parametrize("state", [PaymentState.FAILED, PaymentState.REVERSED])
def test_editing_after_a_failed_or_reversed_payment_goes_back_to_open(
    state: PaymentState,
) -> None:
    order = tendering_order()
    order.add_payment(wallet_payment(order, 1000, state))
    order.ensure_editable()
    assert order.state is OS.OPEN


def test_editing_with_cash_taken_is_refused() -> None:
    order = tendering_order()
    pay_cash(order, 400)
    with pytest.raises(IllegalTransition, match="with money taken: finish the payment or cancel"):
        order.ensure_editable()
    assert order.state is OS.TENDERING


@pytest.mark.parametrize("state", sorted(MONEY_AT_RISK))
def test_editing_with_money_possibly_taken_is_refused(state: PaymentState) -> None:
    order = tendering_order()
    order.add_payment(wallet_payment(order, 1000, state))
    with pytest.raises(IllegalTransition, match="with money taken"):
        order.ensure_editable()
    assert order.state is OS.TENDERING


def test_editing_a_cancelled_order_says_it_is_closed_not_that_money_was_taken() -> None:
    order = cancelled_order()
    with pytest.raises(IllegalTransition) as raised:
        order.ensure_editable()
    if "money taken" in str(raised.value):
        pytest.fail(f"misleading message: {raised.value}")


# -- tendering -----------------------------------------------------------------------


def test_tendering_an_empty_cart_is_refused() -> None:
    order = open_order()
    order.cart.void()
    with pytest.raises(PaymentError, match="the cart is empty: scan an item first"):
        order.start_tender()
    assert order.state is OS.OPEN


def test_payment_is_refused_while_the_order_is_open() -> None:
    order = open_order()
    with pytest.raises(IllegalTransition, match="is open: not taking payment"):
        order.add_payment(wallet_payment(order, 1000))
    assert order.payments == []


def test_payment_for_another_order_is_refused() -> None:
    order = tendering_order()
    stranger = replace(wallet_payment(order, 1000), order_no="T01-20261122-0002")
    with pytest.raises(PaymentError, match="belongs to T01-20261122-0002"):
        order.add_payment(stranger)
    assert order.payments == []


def test_only_succeeded_payments_count_as_paid() -> None:
    order = tendering_order()
    order.add_payment(wallet_payment(order, 1000, PaymentState.FAILED, "face-1"))
    order.add_payment(wallet_payment(order, 1000, PaymentState.PENDING, "face-2"))
    pay_cash(order, 300)
    assert order.paid_cents == 300
    assert order.balance_due_cents == 700


def test_member_order_is_priced_at_member_prices() -> None:
    order = open_order()
    order.cart.add(piece_item(500, member_price_cents=400, sku="06900000000001"), code="scan")
    assert order.balance_due_cents == 1500
    order.member_id = "M0001"
    assert order.totals().total_cents == 1400
    assert order.balance_due_cents == 1400


# -- completing ----------------------------------------------------------------------


def test_part_payments_add_up_to_paid() -> None:
    order = tendering_order()
    pay_cash(order, 400, "cash-1")
    pay_cash(order, 600, "cash-2")
    order.complete(LATER)
    assert order.state is OS.PAID
    assert order.paid_cents == 1000


def test_complete_refuses_while_a_balance_is_due() -> None:
    order = tendering_order()
    pay_cash(order, 400)
    with pytest.raises(PaymentError, match=rf"order {ORDER_NO} still has 6\.00 to pay"):
        order.complete(LATER)
    assert order.state is OS.TENDERING
    assert order.closed_at is None


@pytest.mark.parametrize("state", [PaymentState.PENDING, PaymentState.UNKNOWN])
def test_complete_refuses_while_a_payment_result_is_not_known(state: PaymentState) -> None:
    order = tendering_order()
    pay_cash(order, 1000)  # even with the total covered
    order.add_payment(wallet_payment(order, 1000, state))
    with pytest.raises(PaymentError, match="has a payment whose result is unknown"):
        order.complete(LATER)
    assert order.state is OS.TENDERING


def test_order_discounted_to_zero_is_paid_without_money() -> None:
    order = open_order()
    order.cart.discount_order(1000, undiscounted_total=1000)
    order.start_tender()
    order.complete(LATER)
    assert order.state is OS.PAID
    assert order.paid_cents == 0


def test_open_order_with_nothing_due_still_must_tender_before_it_is_paid() -> None:
    order = open_order()
    order.cart.discount_order(1000, undiscounted_total=1000)
    with pytest.raises(IllegalTransition, match="is open; it cannot become paid"):
        order.complete(LATER)


# -- cancelling ----------------------------------------------------------------------


def test_cancel_refuses_with_cash_taken() -> None:
    order = tendering_order()
    pay_cash(order, 400)
    with pytest.raises(PaymentError, match="has money taken: refund it first"):
        order.cancel("customer left", LATER)
    assert order.state is OS.TENDERING
    assert order.cancel_reason is None


@pytest.mark.parametrize("state", [PaymentState.PENDING, PaymentState.UNKNOWN])
def test_cancel_refuses_while_a_payment_result_is_not_known(state: PaymentState) -> None:
    order = tendering_order()
    order.add_payment(wallet_payment(order, 1000, state))
    with pytest.raises(PaymentError, match="has a payment whose result is unknown: query it"):
        order.cancel("customer left", LATER)
    assert order.state is OS.TENDERING


def test_cancel_after_the_cash_was_handed_back() -> None:
    order = tendering_order()
    cash = pay_cash(order, 400)
    cash.transition(PaymentState.REFUNDED, LATER)
    order.cancel("customer left", LATER)
    assert order.state is OS.CANCELLED
    assert order.paid_cents == 0


@pytest.mark.parametrize("state", [PaymentState.FAILED, PaymentState.REVERSED])
def test_cancel_after_a_failed_or_reversed_payment(state: PaymentState) -> None:
    order = tendering_order()
    order.add_payment(wallet_payment(order, 1000, state))
    order.cancel("wallet declined", LATER)
    assert order.state is OS.CANCELLED
