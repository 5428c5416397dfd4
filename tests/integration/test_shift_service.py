"""The shift service on a real store with the real checkout session: no sale without an
open shift (the rule the till calls), X while the shift goes on, Z at the close."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from terminal.app.checkout import CheckoutSession
from terminal.app.shifts import ShiftService, require_open_shift
from terminal.domain.shift import ShiftError
from terminal.storage.orders import OrderRepository
from tests.support.fake_clock import FakeClock
from tests.support.shift_sales import cancelled_after_cash, paid_in, split_paid

WATER = "6910263003875"


@pytest.fixture
def shifts(db: Database, clock: FakeClock) -> ShiftService:
    return ShiftService(db, "T01", clock=clock)


def test_a_till_cannot_sell_without_an_open_shift(shifts: ShiftService) -> None:
    with pytest.raises(ShiftError) as refused:
        require_open_shift(shifts)
    assert refused.value.code == "shift.none_open"
    opened = shifts.open(20_000, "alice")
    assert require_open_shift(shifts) == opened == shifts.current()
    shifts.close(20_000, "alice")
    with pytest.raises(ShiftError):
        require_open_shift(shifts)


def test_nothing_moves_cash_or_reports_without_an_open_shift(shifts: ShiftService) -> None:
    for attempt in (
        lambda: shifts.pay_in(100, "coins", "alice"),
        lambda: shifts.pay_out(100, "milk", "alice"),
        shifts.x_report,
        lambda: shifts.close(0, "alice"),
    ):
        with pytest.raises(ShiftError) as refused:
            attempt()
        assert refused.value.code == "shift.none_open"
    with pytest.raises(ShiftError) as refused:
        shifts.z_document()
    assert refused.value.code == "shift.no_z"
    with pytest.raises(ShiftError) as refused:
        shifts.shift(7)
    assert refused.value.code == "shift.unknown" and refused.value.params == {"shift_no": 7}


def test_the_x_report_follows_the_sales_of_the_session_and_the_z_closes_them(
    shifts: ShiftService, session: CheckoutSession, orders: OrderRepository, clock: FakeClock
) -> None:
    shifts.open(20_000, "alice")
    session.scan(WATER)
    session.set_quantity(3)
    session.pay_cash(1_000)  # 6.00 kept, 4.00 change
    session.scan(WATER)
    session.pay_cash(150)  # part paid in cash ...
    session.cancel()  # ... and handed back
    wechat = paid_in(orders, "T01", clock, "wechat", quantity=2)
    split = split_paid(orders, "T01", clock, 300, "face")  # 3.00 cash + 7.00 face
    shifts.pay_in(5_000, "change from the bank", "alice")
    shifts.pay_out(1_200, "window cleaner", "alice")

    x = shifts.x_report().figures
    assert x.tender("cash").sales_cents == 600 + 150 + 300
    assert x.tender("cash").refunds_cents == 150
    assert x.tender("wechat").net_cents == wechat.totals().total_cents == 400
    assert x.tender("face").net_cents == 700 and split.totals().total_cents == 1_000
    assert x.net_cents == 600 + 400 + 1_000
    assert (x.orders_paid, x.orders_cancelled) == (3, 1)
    assert x.cash_expected_cents == 20_000 + 600 + 300 + 5_000 - 1_200
    assert shifts.x_report().figures == x  # a query: nothing changed

    z = shifts.close(24_600, "bob")
    assert (z.z_number, z.figures.cash_expected_cents, z.variance_cents) == (1, 24_700, -100)
    stored = shifts.z_document()
    assert stored["z_number"] == 1 and stored["counted_cents"] == 24_600
    assert stored["variance_cents"] == -100 and stored["closed_by"] == "bob"
    assert shifts.z_document(1) == stored
    assert shifts.current() is None


def test_a_sale_with_money_taken_keeps_the_shift_open_one_without_carries_over(
    shifts: ShiftService, session: CheckoutSession, orders: OrderRepository
) -> None:
    shifts.open(0, "alice")
    session.scan(WATER)
    session.set_quantity(2)
    session.pay_cash(100)  # part paid: the cash is in the drawer, in no closed order
    with pytest.raises(ShiftError) as refused:
        shifts.close(0, "alice")
    assert refused.value.code == "shift.sale_open"
    assert refused.value.params == {"order_no": session.order.order_no}  # type: ignore[union-attr]
    session.cancel()
    session.scan(WATER)  # scanned, nothing paid: no money to count
    assert shifts.close(0, "alice").figures.orders_cancelled == 1
    shifts.open(0, "bob")
    paid = session.pay_cash(200).order
    assert shifts.x_report().figures.order_nos == (paid.order_no,)


def test_a_second_shift_starts_from_nothing(
    shifts: ShiftService, orders: OrderRepository, clock: FakeClock
) -> None:
    shifts.open(10_000, "alice")
    cancelled_after_cash(orders, "T01", clock, 500)
    paid_in(orders, "T01", clock, "alipay")
    shifts.close(10_000, "alice")
    second = shifts.open(8_000, "bob")
    assert second.shift_no == 2
    figures = shifts.x_report().figures
    assert figures.sales_cents == 0 and figures.cash_expected_cents == 8_000
    assert shifts.report_of(shifts.shift(1)).figures.tender("alipay").net_cents == 200
