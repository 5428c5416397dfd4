"""``SaleView``: a read-only snapshot of the sale in progress, as the screens show it.

Plain frozen dataclasses built on the till's store thread from the ``Order`` and its
priced totals, so a front end (Qt or otherwise) can hold and show one on any thread
without touching the domain objects the session keeps changing. What must not live here:
pricing rules (``terminal.domain.pricing``) or anything that writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from terminal.domain.catalog import Unit
from terminal.domain.order import Order, OrderState
from terminal.domain.payment import PaymentMethod, PaymentState


class SaleState(StrEnum):
    IDLE = "idle"  # no sale: the customer screen welcomes the next customer
    OPEN = "open"
    TENDERING = "tendering"  # part paid, or a payment under way
    PAID = "paid"  # the sale just closed; shown until the next scan
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class LineView:
    line_no: int
    name_zh: str
    name_en: str
    unit: Unit
    quantity: int
    weight_grams: int | None
    unit_price_cents: int  # the shelf (guest) price
    gross_cents: int  # at the shelf price, before discounts (voided: what it would cost)
    discount_cents: int  # the line's own discount
    net_cents: int  # after the member price, line and order discounts
    voided: bool
    member_saving_cents: int = 0  # what the member price takes off the shelf price

    @property
    def amount_cents(self) -> int:
        """What the line comes to before the order discount: shown in the cart."""
        return self.gross_cents - self.member_saving_cents - self.discount_cents

    def name(self, language: str) -> str:
        """The item name for ``language`` ("zh_CN" or "en"), falling back to the other."""
        if language.startswith("zh"):
            return self.name_zh or self.name_en
        return self.name_en or self.name_zh


@dataclass(frozen=True, slots=True)
class MemberView:
    """Who the customer is (part 2: face recognition). ``masked_name`` is safe to show."""

    member_id: str
    masked_name: str
    points: int = 0


@dataclass(frozen=True, slots=True)
class TenderPreview:
    """What a cash amount would do: the change, or what would still be due."""

    tendered_cents: int
    change_cents: int
    short_cents: int


@dataclass(frozen=True, slots=True)
class SaleView:
    state: SaleState
    order_no: str | None = None
    lines: tuple[LineView, ...] = ()
    subtotal_cents: int = 0  # at shelf prices
    discount_cents: int = 0  # member savings, line and order discounts: subtotal - total
    total_cents: int = 0
    tax_cents: int = 0
    paid_cents: int = 0
    balance_due_cents: int = 0
    change_cents: int = 0
    # Cash taken on this sale and given back (a cancel after a part cash payment): the
    # cashier must hand it to the customer, so both screens say so.
    handed_back_cents: int = 0
    member: MemberView | None = None
    last_line_no: int | None = None  # the line the last intent touched, to highlight
    closed_at: datetime | None = None
    member_savings_cents: int = 0  # the member prices' part of ``discount_cents``

    @property
    def active_lines(self) -> tuple[LineView, ...]:
        return tuple(line for line in self.lines if not line.voided)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.active_lines)

    @property
    def in_progress(self) -> bool:
        return self.state in (SaleState.OPEN, SaleState.TENDERING)

    def preview_cash(self, tendered_cents: int) -> TenderPreview:
        """Change for ``tendered_cents`` against what is due now (the cashier's live hint)."""
        due = self.balance_due_cents if self.in_progress else 0
        return TenderPreview(
            tendered_cents, max(tendered_cents - due, 0), max(due - tendered_cents, 0)
        )


IDLE = SaleView(SaleState.IDLE)

_STATES = {
    OrderState.OPEN: SaleState.OPEN,
    OrderState.TENDERING: SaleState.TENDERING,
    OrderState.PAID: SaleState.PAID,
    OrderState.CANCELLED: SaleState.CANCELLED,
}


def view_of(
    order: Order, last_line_no: int | None = None, member: MemberView | None = None
) -> SaleView:
    totals = order.totals()
    is_member = order.member_id is not None
    per_line = {t.line_no: t for t in totals.lines}
    lines = []
    for line in order.cart.lines:
        priced = per_line.get(line.line_no)
        shelf = line.gross_cents(False)
        saving = shelf - line.gross_cents(is_member) if not line.voided else 0
        lines.append(
            LineView(
                line_no=line.line_no,
                name_zh=line.name_zh,
                name_en=line.name_en,
                unit=line.unit,
                quantity=line.quantity,
                weight_grams=line.weight_grams,
                unit_price_cents=line.unit_price_cents,
                gross_cents=shelf,
                discount_cents=priced.line_discount_cents if priced else line.discount_cents,
                net_cents=priced.net_cents if priced else 0,
                voided=line.voided,
                member_saving_cents=saving,
            )
        )
    paid = sum(p.amount_cents for p in order.payments if p.state is PaymentState.SUCCEEDED)
    handed_back = sum(
        p.amount_cents
        for p in order.payments
        if p.state is PaymentState.REFUNDED and p.method is PaymentMethod.CASH
    )
    return SaleView(
        state=_STATES[order.state],
        order_no=order.order_no,
        lines=tuple(lines),
        subtotal_cents=totals.subtotal_cents + totals.member_savings_cents,
        discount_cents=totals.discount_cents + totals.member_savings_cents,
        total_cents=totals.total_cents,
        tax_cents=totals.tax_cents,
        paid_cents=paid,
        balance_due_cents=max(totals.total_cents - paid, 0),
        change_cents=order.change_cents,
        handed_back_cents=handed_back,
        member=member if order.member_id is not None else None,
        last_line_no=last_line_no,
        closed_at=order.closed_at,
        member_savings_cents=totals.member_savings_cents,
    )
