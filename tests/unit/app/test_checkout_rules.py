"""The till's checkout rules for cash sales, through ``CheckoutSession`` on a temporary
SQLite store with the demo catalog, without Qt: quantity, void, discounts, part payment,
change, cancel, scale labels, refusals.

Whole sales and what reaches the outbox are in tests/integration/test_checkout_session.py.
Refusals are checked by exception class and by what did not change, never by wording
(the words come from reason codes and the string catalog).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from terminal.app.checkout import CheckoutSession
from terminal.config import Settings
from terminal.domain.errors import CartError, IllegalTransition, PaymentError, UnknownItem
from terminal.domain.order import Order, OrderState
from terminal.domain.payment import PaymentMethod, PaymentState
from terminal.errors import TillError
from terminal.storage.orders import OrderRepository

WATER = "6910263003875"  # 2.00
COLA = "6979104402918"  # 3.50
BIG_MILK = "6951929701551"  # 19.90
NOT_IN_CATALOG = "4006381333931"  # a valid EAN-13 the demo catalog lacks
BANANAS = "00101"  # scale PLU, 11.90 a kg
NO_SUCH_PLU = "09999"

ROOT = Path(__file__).resolve().parents[3]


def current(session: CheckoutSession) -> Order:
    assert session.order is not None, "no sale in progress"
    return session.order


def on_disk(session: CheckoutSession, orders: OrderRepository) -> Order:
    """The open sale as the store has it: every rule must leave memory equal to disk."""
    stored = orders.load(current(session).order_no)
    assert stored.totals() == current(session).totals()
    assert stored.cart.lines == current(session).cart.lines
    return stored


def total(session: CheckoutSession) -> int:
    return current(session).totals().total_cents


# -- quantity ---------------------------------------------------------------------


def test_quantity_changes_the_last_line_and_reprices_the_sale(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(WATER)
    line = session.scan(COLA)
    changed = session.set_quantity(3)
    assert changed.line_no == line.line_no and changed.quantity == 3
    assert total(session) == 200 + 3 * 350
    assert [x.quantity for x in on_disk(session, orders).cart.active_lines] == [1, 3]


@pytest.mark.parametrize("quantity", [0, -1, 1000])
def test_a_refused_quantity_leaves_the_line_as_it_was(
    session: CheckoutSession, orders: OrderRepository, quantity: int
) -> None:
    session.scan(COLA)
    session.set_quantity(2)
    with pytest.raises(CartError):
        session.set_quantity(quantity)
    assert total(session) == 700
    assert [x.quantity for x in on_disk(session, orders).cart.lines] == [2]


def test_a_weighed_line_takes_no_quantity(session: CheckoutSession, settings: Settings) -> None:
    session.scan(settings.weighed_layout.build_code(BANANAS, 1470))
    with pytest.raises(CartError):
        session.set_quantity(2)
    assert total(session) == 1470


# -- void -------------------------------------------------------------------------


def test_a_voided_line_stays_on_the_order_but_leaves_the_total(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(WATER)
    session.scan(COLA)
    voided = session.void(1)
    assert voided.voided and voided.line_no == 1
    assert total(session) == 350
    assert [(x.line_no, x.voided) for x in on_disk(session, orders).cart.lines] == [
        (1, True),
        (2, False),
    ]


def test_void_without_a_line_number_takes_the_last_line_still_on_the_sale(
    session: CheckoutSession,
) -> None:
    session.scan(WATER)
    session.scan(COLA)
    assert session.void().line_no == 2
    assert session.void().line_no == 1
    with pytest.raises(CartError):
        session.void()
    with pytest.raises(CartError):
        session.void(7)
    assert current(session).state is OrderState.OPEN


def test_a_sale_whose_every_line_is_voided_cannot_be_paid(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(WATER)
    session.void()
    with pytest.raises(PaymentError):
        session.pay_cash(500)
    stored = on_disk(session, orders)
    assert stored.state is OrderState.OPEN and stored.payments == []
    assert orders.count(OrderState.PAID) == 0


# -- discounts --------------------------------------------------------------------


def test_a_line_discount_lowers_the_total_and_the_change_follows(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(BIG_MILK)
    assert session.discount_line(190).discount_cents == 190
    assert total(session) == 1800
    assert on_disk(session, orders).totals().line_discount_cents == 190
    assert session.pay_cash(2000).change_cents == 200


def test_a_line_discount_over_the_line_amount_is_refused(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(WATER)
    session.scan(COLA)
    with pytest.raises(CartError):
        session.discount_line(201, line_no=1)
    with pytest.raises(CartError):
        session.discount_line(-1)
    assert total(session) == 550
    assert on_disk(session, orders).totals().discount_cents == 0


def test_a_quantity_cannot_drop_below_the_line_discount(session: CheckoutSession) -> None:
    session.scan(COLA)
    session.set_quantity(3)
    session.discount_line(800)
    with pytest.raises(CartError):
        session.set_quantity(2)
    assert current(session).cart.active_lines[0].quantity == 3
    assert total(session) == 1050 - 800


def test_the_order_discount_comes_after_line_discounts_and_replaces_the_last_one(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(WATER)
    session.scan(COLA)
    session.discount_line(50, line_no=1)
    session.discount_order(100)
    assert total(session) == 550 - 50 - 100
    session.discount_order(300)  # replaces the 1.00, does not add to it
    assert total(session) == 550 - 50 - 300
    with pytest.raises(CartError):
        session.discount_order(501)  # more than what is left after the line discount
    stored = on_disk(session, orders)
    assert (stored.totals().line_discount_cents, stored.totals().order_discount_cents) == (50, 300)


# -- part payment and change ------------------------------------------------------


def test_part_payments_add_up_and_only_the_last_gives_change(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(BIG_MILK)
    first = session.pay_cash(1000)
    assert (first.paid, first.balance_due_cents, first.change_cents) == (False, 990, 0)
    assert current(session).state is OrderState.TENDERING
    second = session.pay_cash(500)
    assert (second.paid, second.balance_due_cents, second.change_cents) == (False, 490, 0)
    last = session.pay_cash(1000)
    assert (last.paid, last.balance_due_cents, last.change_cents) == (True, 0, 510)
    assert session.order is None
    stored = orders.load(last.order.order_no)
    assert stored.state is OrderState.PAID
    assert [(p.amount_cents, p.tendered_cents, p.change_cents) for p in stored.payments] == [
        (1000, 1000, 0),
        (500, 500, 0),
        (490, 1000, 510),
    ]
    assert stored.paid_cents == stored.totals().total_cents == 1990


def test_exact_cash_pays_with_no_change(session: CheckoutSession) -> None:
    session.scan(WATER)
    session.scan(COLA)
    result = session.pay_cash(550)
    assert result.paid and result.change_cents == 0 and result.balance_due_cents == 0


@pytest.mark.parametrize("tendered", [0, -100])
def test_no_cash_or_negative_cash_is_refused_and_takes_nothing(
    session: CheckoutSession, orders: OrderRepository, tendered: int
) -> None:
    session.scan(WATER)
    with pytest.raises(PaymentError):
        session.pay_cash(tendered)
    assert on_disk(session, orders).payments == []
    assert session.pay_cash(200).paid


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.scan(WATER),
        lambda s: s.set_quantity(2),
        lambda s: s.void(),
        lambda s: s.discount_line(100),
        lambda s: s.discount_order(100),
    ],
    ids=["scan", "quantity", "void", "line discount", "order discount"],
)
def test_once_cash_is_taken_the_cart_is_locked(
    session: CheckoutSession,
    orders: OrderRepository,
    change: Callable[[CheckoutSession], object],
) -> None:
    session.scan(BIG_MILK)
    session.pay_cash(1000)
    with pytest.raises(IllegalTransition):
        change(session)
    stored = on_disk(session, orders)
    assert stored.state is OrderState.TENDERING and stored.balance_due_cents == 990
    assert len(stored.cart.lines) == 1 and stored.totals().discount_cents == 0


# -- cancel -----------------------------------------------------------------------


def test_cancel_after_part_payments_records_all_the_cash_to_hand_back(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(BIG_MILK)
    session.pay_cash(1000)
    session.pay_cash(500)
    cancelled = session.cancel("customer left")
    assert session.order is None
    stored = orders.load(cancelled.order_no)
    assert stored.state is OrderState.CANCELLED
    assert stored.cancel_reason == "customer left"
    assert [(p.method, p.state, p.amount_cents) for p in stored.payments] == [
        (PaymentMethod.CASH, PaymentState.REFUNDED, 1000),
        (PaymentMethod.CASH, PaymentState.REFUNDED, 500),
    ]
    assert stored.paid_cents == 0  # nothing kept: 15.00 goes back to the customer


def test_cancel_before_any_money_closes_the_sale_and_the_next_scan_starts_a_new_one(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(WATER)
    cancelled = session.cancel()
    assert orders.load(cancelled.order_no).state is OrderState.CANCELLED
    assert cancelled.payments == []
    with pytest.raises(CartError):
        session.pay_cash(200)
    session.scan(COLA)
    assert current(session).order_no != cancelled.order_no
    assert total(session) == 350


# -- scale labels and unknown items -----------------------------------------------


def test_a_scale_label_is_paid_at_the_amount_printed_on_it(
    session: CheckoutSession, settings: Settings, orders: OrderRepository
) -> None:
    session.scan(WATER)
    line = session.scan(settings.weighed_layout.build_code(BANANAS, 1470))
    assert line.fixed_amount_cents == 1470 and line.quantity == 1
    assert total(session) == 200 + 1470
    assert on_disk(session, orders).cart.active_lines[-1].fixed_amount_cents == 1470
    assert session.pay_cash(2000).change_cents == 330


def test_a_scale_label_for_an_unknown_plu_is_refused_before_a_sale_opens(
    session: CheckoutSession, settings: Settings, orders: OrderRepository
) -> None:
    with pytest.raises(UnknownItem):
        session.scan(settings.weighed_layout.build_code(NO_SUCH_PLU, 500))
    assert session.order is None and orders.count() == 0


def test_an_unknown_item_mid_sale_leaves_the_sale_as_it_was(
    session: CheckoutSession, orders: OrderRepository
) -> None:
    session.scan(WATER)
    with pytest.raises(UnknownItem):
        session.scan(NOT_IN_CATALOG)
    stored = on_disk(session, orders)
    assert len(stored.cart.lines) == 1 and stored.state is OrderState.OPEN
    assert orders.count() == 1


# -- no Qt ------------------------------------------------------------------------


def test_the_checkout_use_cases_import_no_qt() -> None:
    """The till's rules run headless (the CLI, the tests, a future front end): importing
    them must not pull in PySide6. A fresh interpreter, so nothing else imported it first."""
    code = (
        "import sys\n"
        "import terminal.app.checkout, terminal.app.till, terminal.app.face_checkout\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]", f"Qt imported by the checkout use cases: {run.stdout}"


def test_only_a_sale_with_a_payment_in_flight_can_be_parked(session: CheckoutSession) -> None:
    """Parking sets aside a sale whose payment result is unknown; one with nothing in
    flight (or no sale at all) is refused and stays where it is."""
    with pytest.raises(CartError):
        session.park()
    session.scan(WATER)
    with pytest.raises(PaymentError) as refused:
        session.park()
    assert refused.value.code == "payment.none_in_flight"
    assert current(session).state is OrderState.OPEN


def test_a_wallet_code_is_refused_without_a_registered_till(session: CheckoutSession) -> None:
    session.scan(WATER)
    with pytest.raises(TillError):
        session.stage_code_payment("134567890123456781")
    assert current(session).payments == []
