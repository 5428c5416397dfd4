"""The X/Z arithmetic: per tender, the totals, the cash the drawer should hold and the
variance of the count; properties over random money lines and random orders."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.order import Order
from terminal.domain.payment import Payment, PaymentMethod, PaymentState, cash_payment
from terminal.domain.shift import MovementKind, Shift, cash_movement, open_shift
from terminal.domain.shift_report import (
    MAIN_TENDERS,
    ShiftSales,
    TenderLine,
    payment_line,
    sales_of_orders,
    shift_figures,
    tender_of,
    tender_totals,
    x_report,
    x_report_document,
    z_report,
    z_report_document,
)
from tests.support.water_order import WATER

OPENED = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
CENTS = st.integers(0, 10_000_000)

# (method, provider) pairs a till records, and one tender this release does not know.
SOURCES = [
    ("cash", None),
    ("wallet_code", "wechat"),
    ("wallet_code", "alipay"),
    ("face", "stored_value"),
    ("points", None),
]


@st.composite
def tender_lines(draw: st.DrawFn) -> TenderLine:
    method, provider = draw(st.sampled_from(SOURCES))
    sales = draw(CENTS)
    refunds = draw(st.integers(0, sales))
    return TenderLine(method, provider, sales, refunds, draw(st.integers(0, 50)),
                      draw(st.integers(0, 50)))  # fmt: skip


movements = st.lists(st.tuples(st.sampled_from(list(MovementKind)), st.integers(1, 1_000_000)))


def shift_with(float_cents: int, moves: list[tuple[MovementKind, int]]) -> Shift:
    shift = open_shift(shift_id="s-1", device_id="T01", shift_no=1, float_cents=float_cents,
                       staff_id="alice", now=OPENED)  # fmt: skip
    for n, (kind, cents) in enumerate(moves):
        shift.add_movement(
            cash_movement(
                movement_id=f"m-{n}",
                kind=kind,
                cents=cents,
                reason="till float",
                staff_id="alice",
                at=OPENED + timedelta(minutes=n),
            )
        )
    return shift


@given(CENTS, st.lists(tender_lines()), movements)
def test_expected_cash_is_the_float_plus_the_cash_that_moved(
    float_cents: int, lines: list[TenderLine], moves: list[tuple[MovementKind, int]]
) -> None:
    figures = shift_figures(shift_with(float_cents, moves), ShiftSales(tuple(lines)))
    cash_net = sum(line.sales_cents - line.refunds_cents for line in lines if line.method == "cash")
    movement_net = sum(c if k is MovementKind.PAY_IN else -c for k, c in moves)
    assert figures.cash_expected_cents == float_cents + cash_net + movement_net
    assert figures.pay_ins_cents - figures.pay_outs_cents == movement_net
    assert figures.pay_ins_count + figures.pay_outs_count == len(moves)


@given(st.lists(tender_lines()))
def test_the_tenders_add_up_to_the_totals(lines: list[TenderLine]) -> None:
    figures = shift_figures(shift_with(0, []), ShiftSales(tuple(lines)))
    assert figures.sales_cents == sum(line.sales_cents for line in lines)
    assert figures.refunds_cents == sum(line.refunds_cents for line in lines)
    assert figures.net_cents == figures.sales_cents - figures.refunds_cents
    for total in figures.tenders:
        assert total.net_cents == total.sales_cents - total.refunds_cents
        mine = [line for line in lines if line.tender == total.tender]
        assert total.sales_cents == sum(line.sales_cents for line in mine)
        assert total.sales_count == sum(line.sales_count for line in mine)
        assert total.refunds_count == sum(line.refunds_count for line in mine)
    names = [t.tender for t in figures.tenders]
    assert names[:4] == list(MAIN_TENDERS) and len(names) == len(set(names))


@given(st.lists(tender_lines()), st.randoms(use_true_random=False))
def test_the_order_of_the_lines_does_not_matter(lines: list[TenderLine], rng: Random) -> None:
    shuffled = list(lines)
    rng.shuffle(shuffled)
    assert tender_totals(lines) == tender_totals(shuffled)


@given(CENTS, st.lists(tender_lines()), movements, CENTS)
def test_the_variance_is_the_count_less_what_was_expected(
    float_cents: int, lines: list[TenderLine], moves: list[tuple[MovementKind, int]], extra: int
) -> None:
    shift = shift_with(float_cents, moves)
    expected = shift_figures(shift, ShiftSales(tuple(lines))).cash_expected_cents
    counted = max(expected, 0) + extra
    shift.close(counted_cents=counted, staff_id="bob", now=OPENED + timedelta(hours=8))
    report = z_report(shift, ShiftSales(tuple(lines)), 1)
    assert report.variance_cents == counted - expected
    document = z_report_document(report)
    counted, expected = document["counted_cents"], document["cash_expected_cents"]
    assert document["variance_cents"] == counted - expected


# -- from orders ---------------------------------------------------------------------


def _order(n: int, quantity: int) -> Order:
    order = Order(order_no=f"T01-20261122-{n:04d}", device_id="T01",
                  business_date=date(2026, 11, 22), opened_at=OPENED)  # fmt: skip
    order.cart.add(WATER, code=WATER.barcode or "", quantity=quantity)
    order.start_tender()
    return order


def _remote(order: Order, method: str, provider: str, amount: int) -> Payment:
    return Payment(payment_id=str(uuid.uuid4()), order_no=order.order_no,
                   method=PaymentMethod(method), amount_cents=amount,
                   state=PaymentState.SUCCEEDED, created_at=OPENED, updated_at=OPENED,
                   provider=provider)  # fmt: skip


sale = st.tuples(
    st.integers(1, 30),  # quantity of 2.00 water
    st.sampled_from(SOURCES[1:4]),  # the tender paying what cash leaves
    st.integers(0, 10_000),  # cash tendered first (0: none)
    st.booleans(),  # cancelled instead, cash handed back
)


@given(st.lists(sale, max_size=12))
def test_orders_paid_in_several_tenders_add_up_to_their_totals(
    sales: list[tuple[int, tuple[str, str | None], int, bool]],
) -> None:
    orders, totals, cash_kept = [], 0, 0
    for n, (quantity, (method, provider), cash, cancel) in enumerate(sales, start=1):
        order = _order(n, quantity)
        if cash:
            order.add_payment(cash_payment(payment_id=f"c{n}", order_no=order.order_no,
                                           balance_due=order.balance_due_cents,
                                           tendered_cents=cash, now=OPENED))  # fmt: skip
        if cancel:
            for payment in order.payments:
                payment.transition(PaymentState.REFUNDED, OPENED)
            order.cancel("customer left", OPENED)
        else:
            if order.balance_due_cents > 0:
                order.add_payment(_remote(order, method, str(provider), order.balance_due_cents))
            order.complete(OPENED)
            totals += order.totals().total_cents
            cash_kept += sum(p.tendered_cents or 0 for p in order.payments) - order.change_cents
        orders.append(order)
    figures = shift_figures(shift_with(10_000, []), sales_of_orders(orders))
    assert figures.net_cents == totals
    assert figures.tender("cash").net_cents == cash_kept
    assert figures.cash_expected_cents == 10_000 + cash_kept
    assert figures.orders_paid + figures.orders_cancelled == len(sales)
    assert figures.refunds_cents == figures.tender("cash").refunds_cents


def test_a_payment_counts_by_its_state() -> None:
    assert payment_line("cash", None, "succeeded", 500) == TenderLine("cash", None, 500, 0, 1, 0)
    assert payment_line("cash", None, "refunded", 500) == TenderLine("cash", None, 500, 500, 1, 1)
    for state in ("reversed", "failed", "pending", "unknown"):
        assert payment_line("wallet_code", "wechat", state, 500) is None


@pytest.mark.parametrize(
    ("method", "provider", "tender"),
    [
        ("cash", None, "cash"),
        ("wallet_code", "wechat", "wechat"),
        ("wallet_code", "alipay", "alipay"),
        ("wallet_code", None, "wallet"),
        ("face", "stored_value", "face"),
        ("points", None, "points"),
    ],
)
def test_the_tender_of_a_payment(method: str, provider: str | None, tender: str) -> None:
    assert tender_of(method, provider) == tender


def test_refund_records_join_the_figures_of_the_orders() -> None:
    order = _order(1, 3)
    order.add_payment(_remote(order, "wallet_code", "alipay", order.balance_due_cents))
    order.complete(OPENED)
    sales = sales_of_orders([order]).plus([TenderLine("wallet_code", "alipay", 0, 200, 0, 1)])
    figures = shift_figures(shift_with(0, []), sales)
    alipay = figures.tender("alipay")
    assert (alipay.sales_cents, alipay.refunds_cents, alipay.net_cents) == (600, 200, 400)
    assert figures.orders_paid == 1 and figures.cash_expected_cents == 0


def test_discounts_are_those_of_paid_orders() -> None:
    order = _order(1, 5)
    order.cart.discount_order(150, 1000)
    order.add_payment(_remote(order, "face", "stored_value", order.balance_due_cents))
    order.complete(OPENED)
    figures = shift_figures(shift_with(0, []), sales_of_orders([order]))
    assert figures.discounts_cents == 150 and figures.tender("face").net_cents == 850


def test_an_x_report_document_has_the_figures_so_far_without_a_count() -> None:
    document = x_report_document(x_report(shift_with(500, []), ShiftSales(), OPENED))
    assert document["kind"] == "X" and document["cash_expected_cents"] == 500
    assert "counted_cents" not in document and document["closed_at"] is None


def test_a_z_report_needs_a_closed_shift() -> None:
    with pytest.raises(ValueError, match="open"):
        z_report(shift_with(0, []), ShiftSales(), 1)
