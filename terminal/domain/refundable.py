"""What an order can still give back: the sold side of a refund, as plain numbers.

``SoldOrder`` is a paid order reduced to what a refund needs: each line's net (what the
line actually charged, after its own discount and its share of the order discount, from
``pricing.price_cart``), how many pieces or grams it sold, and the payments that
succeeded. It is made from an ``Order`` on this till or from an order document (another
till's order, fetched from the cloud), so a refund is computed the same way for both.

``RefundLedger`` sums what earlier refunds of the order already took: per line (pieces
or grams, cents), per original payment (cents sent back to it, pending or done) and in
cash. Two rules live here and nowhere else:

- **A line's amount** (``line_amount``) is pro rata to the pieces or grams returned,
  rounded down on the running total: after this refund the line has given back
  ``floor(net * returned / sold)`` cents, and the refund that returns the last piece takes
  exactly what is left. Partial refunds never add up to more than the line charged.
- **Back to the tenders that paid** (``split_to_tenders``): non-cash first, each wallet
  trade and each face payment (stored value) in the order they were paid, up to what it
  paid minus what earlier refunds already sent back to it; the remainder in cash. Money
  paid from a wallet or a member's balance goes back there, never out of the drawer.

What must not live here: the refund record and its states (``refund.py``), I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from terminal.domain.order import Order, OrderState
from terminal.domain.payment import PaymentMethod, PaymentState


@dataclass(frozen=True, slots=True)
class SoldLine:
    """One line as it was sold: ``sold`` pieces, or grams when ``by_weight``."""

    line_no: int
    sku: str
    name_zh: str
    name_en: str
    sold: int
    by_weight: bool
    paid_cents: int


@dataclass(frozen=True, slots=True)
class SoldPayment:
    """A payment that succeeded: where refunded money goes back to."""

    payment_id: str
    method: PaymentMethod
    amount_cents: int
    provider: str | None = None


@dataclass(frozen=True, slots=True)
class SoldOrder:
    order_no: str
    device_id: str
    member_id: str | None
    lines: tuple[SoldLine, ...]
    payments: tuple[SoldPayment, ...]

    @property
    def paid_cents(self) -> int:
        return sum(p.amount_cents for p in self.payments)

    @property
    def sold_cents(self) -> int:
        return sum(line.paid_cents for line in self.lines)

    def line(self, line_no: int) -> SoldLine | None:
        return next((line for line in self.lines if line.line_no == line_no), None)


def sold_order(order: Order) -> SoldOrder | None:
    """The sold side of a paid ``order``; None when it is not paid (nothing to refund)."""
    if order.state is not OrderState.PAID:
        return None
    nets = {total.line_no: total.net_cents for total in order.totals().lines}
    lines = tuple(
        SoldLine(
            line_no=line.line_no,
            sku=line.sku,
            name_zh=line.name_zh,
            name_en=line.name_en,
            sold=line.weight_grams if line.weight_grams is not None else line.quantity,
            by_weight=line.weight_grams is not None,
            paid_cents=nets.get(line.line_no, 0),
        )
        for line in order.cart.active_lines
    )
    payments = tuple(
        SoldPayment(p.payment_id, p.method, p.amount_cents, p.provider)
        for p in order.payments
        if p.state is PaymentState.SUCCEEDED
    )
    return SoldOrder(order.order_no, order.device_id, order.member_id, lines, payments)


def sold_order_from_document(document: Mapping[str, Any]) -> SoldOrder | None:
    """The same from an order document (``order_document.py``, e.g. as the cloud stored
    it); None when the order is not paid. Raises ``KeyError``/``ValueError`` on a
    document that is not one."""
    if document["state"] != str(OrderState.PAID):
        return None
    lines = tuple(
        SoldLine(
            line_no=int(line["line_no"]),
            sku=str(line["sku"]),
            name_zh=str(line.get("name_zh") or ""),
            name_en=str(line.get("name_en") or ""),
            sold=int(
                line["weight_grams"] if line.get("weight_grams") is not None else line["quantity"]
            ),
            by_weight=line.get("weight_grams") is not None,
            paid_cents=int(line["net_cents"]),
        )
        for line in document["lines"]
        if not line.get("voided")
    )
    payments = tuple(
        SoldPayment(
            str(p["payment_id"]),
            PaymentMethod(p["method"]),
            int(p["amount_cents"]),
            p.get("provider"),
        )
        for p in document["payments"]
        if p["state"] == str(PaymentState.SUCCEEDED)
    )
    return SoldOrder(
        str(document["order_no"]),
        str(document["device_id"]),
        document.get("member_id"),
        lines,
        payments,
    )


@dataclass(frozen=True, slots=True)
class Taken:
    """What earlier refunds took from one line: pieces or grams, and cents."""

    measure: int = 0
    cents: int = 0


@dataclass(slots=True)
class RefundLedger:
    """What earlier refunds of one order already took; see the module docstring."""

    lines: dict[int, Taken] = field(default_factory=dict)
    tenders: dict[str, int] = field(default_factory=dict)  # original payment id -> cents
    cash_cents: int = 0
    total_cents: int = 0

    def take_line(self, line_no: int, measure: int, cents: int) -> None:
        before = self.lines.get(line_no, Taken())
        self.lines[line_no] = Taken(before.measure + measure, before.cents + cents)

    def take_tender(self, original_payment_id: str | None, cents: int) -> None:
        if original_payment_id is None:
            self.cash_cents += cents
        else:
            self.tenders[original_payment_id] = self.tenders.get(original_payment_id, 0) + cents

    def taken(self, line_no: int) -> Taken:
        return self.lines.get(line_no, Taken())

    def left(self, line: SoldLine) -> Taken:
        """What is still refundable on ``line``: pieces or grams, and cents."""
        taken = self.taken(line.line_no)
        return Taken(max(0, line.sold - taken.measure), max(0, line.paid_cents - taken.cents))


def line_amount(line: SoldLine, taken: Taken, measure: int) -> int:
    """The cents that returning ``measure`` more of ``line`` gives back (module docstring)."""
    after = taken.measure + measure
    if after >= line.sold:
        return max(0, line.paid_cents - taken.cents)
    return max(0, line.paid_cents * after // line.sold - taken.cents)


@dataclass(frozen=True, slots=True)
class TenderShare:
    """Part of a refund going back to one original tender (``payment_id`` None: cash)."""

    method: PaymentMethod
    amount_cents: int
    payment_id: str | None = None
    provider: str | None = None


def split_to_tenders(amount_cents: int, sold: SoldOrder, ledger: RefundLedger) -> list[TenderShare]:
    """``amount_cents`` spread back over the order's tenders, non-cash first and the
    remainder in cash (module docstring). Raises ``ValueError`` when the cash paid cannot
    take the remainder: the ledger disagrees with the order."""
    left = amount_cents
    shares: list[TenderShare] = []
    for payment in sold.payments:
        if payment.method is PaymentMethod.CASH or left == 0:
            continue
        room = payment.amount_cents - ledger.tenders.get(payment.payment_id, 0)
        take = min(room, left)
        if take > 0:
            shares.append(TenderShare(payment.method, take, payment.payment_id, payment.provider))
            left -= take
    if left > 0:
        cash_paid = sum(p.amount_cents for p in sold.payments if p.method is PaymentMethod.CASH)
        if left > cash_paid - ledger.cash_cents:
            raise ValueError(
                f"order {sold.order_no}: {left} cents have no tender left to go back to"
            )
        shares.append(TenderShare(PaymentMethod.CASH, left))
    return shares
