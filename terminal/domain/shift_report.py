"""The X and Z reports of a shift: what came in and went out, per tender, and the cash the
drawer should hold.

The input is plain data, so any source of money can feed it: ``TenderLine``s (method,
provider, sales and refunds in cents) in a ``ShiftSales``. ``sales_of_orders`` makes one
from the shift's closed orders; refunds kept as their own records later join with
``ShiftSales.plus``. From orders, per payment:
- SUCCEEDED: a sale of its amount (cash: the amount kept, change already given back);
- REFUNDED: a sale and a refund of its amount (cash handed back when a sale was
  cancelled, or money refunded after settlement);
- REVERSED, FAILED, PENDING, UNKNOWN: no money moved (a reversed trade never settled).

The figures: per tender ``net = sales - refunds``; the totals are the sums over tenders;
``cash_expected = float + cash sales - cash refunds + pay-ins - pay-outs``; at close
``variance = counted - expected`` (negative: cash short). An X report is the figures so
far (the shift goes on); a Z report is the figures at close with the count, numbered per
device, and never changes once written.

What must not live here: which orders belong to a shift and the stored reports
(``terminal/storage/shifts.py``), words for the screens, the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from terminal.domain.order import Order, OrderState
from terminal.domain.payment import PaymentMethod, PaymentState
from terminal.domain.shift import DOCUMENT_VERSION, MovementKind, Shift, movement_to_document


class Tender(StrEnum):
    """The ways money reaches a till, as a report groups them."""

    CASH = "cash"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    FACE = "face"  # face pay, charged to the member's stored value


# Always listed, in this order, even at zero; any other tender follows by name.
MAIN_TENDERS: tuple[str, ...] = tuple(t.value for t in Tender)


def tender_of(method: str, provider: str | None) -> str:
    """The report's tender of a payment: wallet codes by their wallet (the provider the
    code's prefix named, ``domain/codes/wallet.py``), face pay as stored value."""
    if method == PaymentMethod.CASH:
        return Tender.CASH.value
    if method == PaymentMethod.WALLET_CODE:
        return str(provider) if provider in (Tender.WECHAT, Tender.ALIPAY) else "wallet"
    if method == PaymentMethod.FACE:
        return Tender.FACE.value
    return str(method)  # a tender this release does not know keeps its own name


@dataclass(frozen=True, slots=True)
class TenderLine:
    """Money through one tender, one way or both: the report's input."""

    method: str
    provider: str | None
    sales_cents: int = 0
    refunds_cents: int = 0
    sales_count: int = 0
    refunds_count: int = 0

    @property
    def tender(self) -> str:
        return tender_of(self.method, self.provider)


@dataclass(frozen=True, slots=True)
class ShiftSales:
    """What the shift's sales (and later its refund records) add up to, as plain data."""

    lines: tuple[TenderLine, ...] = ()
    order_nos: tuple[str, ...] = ()
    orders_paid: int = 0
    orders_cancelled: int = 0
    discounts_cents: int = 0
    refund_nos: tuple[str, ...] = ()  # the refunds whose money is in ``lines``

    def plus(self, lines: Iterable[TenderLine], refund_nos: Iterable[str] = ()) -> ShiftSales:
        """These figures with more money lines (refunds kept as their own records)."""
        return replace(
            self,
            lines=self.lines + tuple(lines),
            refund_nos=self.refund_nos + tuple(refund_nos),
        )


def sales_of_orders(orders: Iterable[Order]) -> ShiftSales:
    """The money of closed orders (see the module docstring); open ones count nothing."""
    lines: list[TenderLine] = []
    order_nos: list[str] = []
    paid = cancelled = discounts = 0
    for order in orders:
        if order.state is OrderState.PAID:
            paid += 1
            discounts += order.totals().discount_cents
        elif order.state is OrderState.CANCELLED:
            cancelled += 1
        else:
            continue
        order_nos.append(order.order_no)
        for p in order.payments:
            line = payment_line(p.method, p.provider, p.state, p.amount_cents)
            if line is not None:
                lines.append(line)
    return ShiftSales(tuple(lines), tuple(order_nos), paid, cancelled, discounts)


def payment_line(
    method: str, provider: str | None, state: str, amount_cents: int
) -> TenderLine | None:
    """What one payment of a closed order did to the till's money (the module docstring's
    rules), or None when it moved none. Plain values, so an order document (the cloud's
    check of a Z report) is read by the same rule as an ``Order``."""
    if state == PaymentState.SUCCEEDED:
        return TenderLine(str(method), provider, amount_cents, 0, 1, 0)
    if state == PaymentState.REFUNDED:
        return TenderLine(str(method), provider, amount_cents, amount_cents, 1, 1)
    return None


@dataclass(frozen=True, slots=True)
class TenderTotal:
    tender: str
    sales_cents: int = 0
    refunds_cents: int = 0
    sales_count: int = 0
    refunds_count: int = 0

    @property
    def net_cents(self) -> int:
        return self.sales_cents - self.refunds_cents


def tender_totals(lines: Iterable[TenderLine]) -> tuple[TenderTotal, ...]:
    """The lines summed per tender: the main tenders first (even at zero), then others."""
    totals: dict[str, TenderTotal] = {tender: TenderTotal(tender) for tender in MAIN_TENDERS}
    for line in lines:
        known = totals.get(line.tender, TenderTotal(line.tender))
        totals[line.tender] = TenderTotal(
            line.tender,
            known.sales_cents + line.sales_cents,
            known.refunds_cents + line.refunds_cents,
            known.sales_count + line.sales_count,
            known.refunds_count + line.refunds_count,
        )
    others = sorted(set(totals) - set(MAIN_TENDERS))
    return tuple(totals[tender] for tender in (*MAIN_TENDERS, *others))


@dataclass(frozen=True, slots=True)
class ShiftFigures:
    float_cents: int
    tenders: tuple[TenderTotal, ...]
    pay_ins_cents: int = 0
    pay_ins_count: int = 0
    pay_outs_cents: int = 0
    pay_outs_count: int = 0
    orders_paid: int = 0
    orders_cancelled: int = 0
    discounts_cents: int = 0
    order_nos: tuple[str, ...] = field(default=(), repr=False)
    refund_nos: tuple[str, ...] = field(default=(), repr=False)

    def tender(self, name: str) -> TenderTotal:
        return next((t for t in self.tenders if t.tender == name), TenderTotal(name))

    @property
    def sales_cents(self) -> int:
        return sum(t.sales_cents for t in self.tenders)

    @property
    def refunds_cents(self) -> int:
        return sum(t.refunds_cents for t in self.tenders)

    @property
    def net_cents(self) -> int:
        return sum(t.net_cents for t in self.tenders)

    @property
    def cash_expected_cents(self) -> int:
        cash = self.tender(Tender.CASH)
        return (
            self.float_cents
            + cash.sales_cents
            - cash.refunds_cents
            + self.pay_ins_cents
            - self.pay_outs_cents
        )


def shift_figures(shift: Shift, sales: ShiftSales) -> ShiftFigures:
    pay_ins = [m.cents for m in shift.movements if m.kind is MovementKind.PAY_IN]
    pay_outs = [m.cents for m in shift.movements if m.kind is MovementKind.PAY_OUT]
    return ShiftFigures(
        float_cents=shift.float_cents,
        tenders=tender_totals(sales.lines),
        pay_ins_cents=sum(pay_ins),
        pay_ins_count=len(pay_ins),
        pay_outs_cents=sum(pay_outs),
        pay_outs_count=len(pay_outs),
        orders_paid=sales.orders_paid,
        orders_cancelled=sales.orders_cancelled,
        discounts_cents=sales.discounts_cents,
        order_nos=sales.order_nos,
        refund_nos=sales.refund_nos,
    )


@dataclass(frozen=True, slots=True)
class XReport:
    """The figures of a shift so far, at ``at``; the shift goes on."""

    shift: Shift
    figures: ShiftFigures
    at: datetime


@dataclass(frozen=True, slots=True)
class ZReport:
    """The figures of a closed shift with the cash counted: numbered, never changed."""

    z_number: int
    shift: Shift
    figures: ShiftFigures

    def __post_init__(self) -> None:
        if self.shift.is_open or self.shift.counted_cents is None:
            raise ValueError(f"shift {self.shift.shift_no} is open: a Z report needs it closed")
        if self.z_number < 1:
            raise ValueError(f"Z numbers start at 1, got {self.z_number}")

    @property
    def counted_cents(self) -> int:
        assert self.shift.counted_cents is not None  # checked when made
        return self.shift.counted_cents

    @property
    def variance_cents(self) -> int:
        """Counted minus expected: negative when the drawer is short."""
        return self.counted_cents - self.figures.cash_expected_cents


def x_report(shift: Shift, sales: ShiftSales, at: datetime) -> XReport:
    return XReport(shift, shift_figures(shift, sales), at)


def z_report(shift: Shift, sales: ShiftSales, z_number: int) -> ZReport:
    return ZReport(z_number, shift, shift_figures(shift, sales))


def _figures_document(figures: ShiftFigures) -> dict[str, Any]:
    return {
        "float_cents": figures.float_cents,
        "pay_ins_cents": figures.pay_ins_cents,
        "pay_ins_count": figures.pay_ins_count,
        "pay_outs_cents": figures.pay_outs_cents,
        "pay_outs_count": figures.pay_outs_count,
        "tenders": [
            {
                "tender": t.tender,
                "sales_cents": t.sales_cents,
                "refunds_cents": t.refunds_cents,
                "net_cents": t.net_cents,
                "sales_count": t.sales_count,
                "refunds_count": t.refunds_count,
            }
            for t in figures.tenders
        ],
        "sales_cents": figures.sales_cents,
        "refunds_cents": figures.refunds_cents,
        "net_cents": figures.net_cents,
        "orders_paid": figures.orders_paid,
        "orders_cancelled": figures.orders_cancelled,
        "discounts_cents": figures.discounts_cents,
        "cash_expected_cents": figures.cash_expected_cents,
    }


def _shift_header(shift: Shift) -> dict[str, Any]:
    return {
        "version": DOCUMENT_VERSION,
        "device_id": shift.device_id,
        "shift_id": shift.shift_id,
        "shift_no": shift.shift_no,
        "opened_at": shift.opened_at.isoformat(),
        "opened_by": shift.opened_by,
        "closed_at": shift.closed_at.isoformat() if shift.closed_at else None,
        "closed_by": shift.closed_by,
    }


def x_report_document(report: XReport) -> dict[str, Any]:
    return {
        "kind": "X",
        **_shift_header(report.shift),
        "at": report.at.isoformat(),
        **_figures_document(report.figures),
        "movements": [movement_to_document(m) for m in report.shift.movements],
        "order_nos": list(report.figures.order_nos),
        "refund_nos": list(report.figures.refund_nos),
    }


def z_report_document(report: ZReport) -> dict[str, Any]:
    """The Z as stored and sent to the cloud: written once, never changed."""
    return {
        "kind": "Z",
        "z_number": report.z_number,
        **_shift_header(report.shift),
        **_figures_document(report.figures),
        "counted_cents": report.counted_cents,
        "variance_cents": report.variance_cents,
        "movements": [movement_to_document(m) for m in report.shift.movements],
        "order_nos": list(report.figures.order_nos),
        "refund_nos": list(report.figures.refund_nos),
    }
