"""What the cashier asks back, turned into a ``Refund`` (``refund.py``): which lines and
how much of each (``LineRequest``), items without a receipt (``NoReceiptItem``), and the
manager's approval an exchange or a no-receipt return needs (``ManagerApproval``; the
till checks who the manager is, this module that it is not the cashier).

``new_return`` takes the order as sold (``refundable.SoldOrder``) and its earlier refunds:
each line gives back its pro-rata share of what it charged, and the money goes back to the
tenders that paid it, non-cash first (``refundable.py`` holds both rules); an exchange is
paid out in cash for the replacement sale. ``new_no_receipt_return`` prices the items as
the till looked them up and pays cash or store credit to a member. Refund payment ids are
``<refund_no>-<n>``.

What must not live here: the refund's states (``refund.py``), I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from terminal.domain.payment import PaymentMethod
from terminal.domain.refund import (
    THROUGH_THE_CLOUD,
    Refund,
    RefundError,
    RefundKind,
    RefundLine,
    RefundMethod,
    RefundPayment,
    RefundPaymentState,
    parse_refund_number,
)
from terminal.domain.refundable import (
    RefundLedger,
    SoldOrder,
    TenderShare,
    line_amount,
    split_to_tenders,
)

MAX_REASON = 200

NEEDS_APPROVAL = frozenset({RefundKind.EXCHANGE, RefundKind.NO_RECEIPT})


@dataclass(frozen=True, slots=True)
class ManagerApproval:
    """A manager's yes to a refund that needs one; the till has checked who they are."""

    manager_id: str


@dataclass(frozen=True, slots=True)
class LineRequest:
    """A line to take back: ``quantity`` pieces or ``grams``; neither: all that is left."""

    line_no: int
    quantity: int | None = None
    grams: int | None = None


@dataclass(frozen=True, slots=True)
class NoReceiptItem:
    """An item returned without a receipt, at the price the till looked up."""

    sku: str
    name_zh: str
    name_en: str
    quantity: int
    unit_price_cents: int


def ledger_of(refunds: Iterable[Refund]) -> RefundLedger:
    """What ``refunds`` (of one order) took. Every refund counts its lines in full, a
    failed one too (the goods came back); a tender counts what was sent or is on its way
    back to it, not what a wallet refused."""
    ledger = RefundLedger()
    for refund in refunds:
        ledger.total_cents += refund.total_cents
        for line in refund.lines:
            if line.line_no is not None:
                ledger.take_line(line.line_no, line.measure, line.amount_cents)
        for payment in refund.payments:
            if payment.state is not RefundPaymentState.FAILED:
                ledger.take_tender(payment.original_payment_id, payment.amount_cents)
    return ledger


@dataclass(frozen=True, slots=True)
class PricedReturn:
    """What a return gives back before it is a refund: each line's amount and where the
    money goes (the cashier's preview, and what ``new_return`` records)."""

    lines: tuple[RefundLine, ...]
    shares: tuple[TenderShare, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


def price_return(
    sold: SoldOrder,
    earlier: Sequence[Refund],
    requests: Sequence[LineRequest],
    *,
    exchange: bool = False,
) -> PricedReturn:
    """The amounts and tenders of returning ``requests`` of ``sold`` after its
    ``earlier`` refunds (module docstring)."""
    if any(refund.order_no != sold.order_no for refund in earlier):
        raise ValueError(f"earlier refunds must all be of order {sold.order_no}")
    ledger = ledger_of(earlier)
    lines = _lines(sold, ledger, requests)
    total = sum(line.amount_cents for line in lines)
    if exchange:
        shares = [TenderShare(PaymentMethod.CASH, total)] if total else []
    else:
        try:
            shares = split_to_tenders(total, sold, ledger)
        except ValueError:
            raise RefundError(
                "refund.no_tender", order_no=sold.order_no, amount_cents=total
            ) from None
    if sold.member_id is None and any(s.method is PaymentMethod.FACE for s in shares):
        raise RefundError("refund.no_member", order_no=sold.order_no)
    return PricedReturn(lines, tuple(shares))


def new_return(
    *,
    refund_no: str,
    now: datetime,
    sold: SoldOrder,
    earlier: Sequence[Refund],
    requests: Sequence[LineRequest],
    reason: str,
    cashier_id: str,
    approval: ManagerApproval | None = None,
    exchange: bool = False,
) -> Refund:
    """A refund of ``sold``'s lines, given the order's ``earlier`` refunds (see the module
    docstring for the amounts and the tenders)."""
    kind = RefundKind.EXCHANGE if exchange else RefundKind.RETURN
    device_id, business_date, _ = parse_refund_number(refund_no)
    approver = _check_people(kind, reason, cashier_id, approval)
    priced = price_return(sold, earlier, requests, exchange=exchange)
    refund = Refund(
        refund_no=refund_no,
        device_id=device_id,
        business_date=business_date,
        created_at=now,
        kind=kind,
        order_no=sold.order_no,
        lines=priced.lines,
        reason=reason.strip(),
        cashier_id=cashier_id,
        approver_id=approver,
    )
    shares = priced.shares
    for index, share in enumerate(shares, start=1):
        method = _METHOD_OF[share.method]
        refund.payments.append(
            _payment(
                refund_no,
                index,
                method,
                share.amount_cents,
                now,
                original_payment_id=share.payment_id,
                member_id=sold.member_id if method is RefundMethod.FACE else None,
                provider=share.provider,
            )
        )
    refund.finish_if_settled(now)
    return refund


def new_no_receipt_return(
    *,
    refund_no: str,
    now: datetime,
    items: Sequence[NoReceiptItem],
    reason: str,
    cashier_id: str,
    approval: ManagerApproval | None,
    store_credit_member: str | None = None,
) -> Refund:
    """Items back without a receipt: cash, or store credit to ``store_credit_member``."""
    device_id, business_date, _ = parse_refund_number(refund_no)
    approver = _check_people(RefundKind.NO_RECEIPT, reason, cashier_id, approval)
    if not items:
        raise RefundError("refund.no_items")
    lines = []
    for item in items:
        if not (_whole(item.quantity) and _whole(item.unit_price_cents)):
            raise RefundError("refund.bad_item", sku=item.sku)
        lines.append(
            RefundLine(None, item.sku, item.name_zh, item.name_en, item.quantity, None,
                       item.quantity * item.unit_price_cents)
        )  # fmt: skip
    refund = Refund(
        refund_no=refund_no,
        device_id=device_id,
        business_date=business_date,
        created_at=now,
        kind=RefundKind.NO_RECEIPT,
        order_no=None,
        lines=tuple(lines),
        reason=reason.strip(),
        cashier_id=cashier_id,
        approver_id=approver,
    )
    method = RefundMethod.CASH if store_credit_member is None else RefundMethod.STORE_CREDIT
    refund.payments.append(
        _payment(refund_no, 1, method, refund.total_cents, now, member_id=store_credit_member)
    )
    refund.finish_if_settled(now)
    return refund


_METHOD_OF = {
    PaymentMethod.CASH: RefundMethod.CASH,
    PaymentMethod.WALLET_CODE: RefundMethod.WALLET_CODE,
    PaymentMethod.FACE: RefundMethod.FACE,
}


def _payment(
    refund_no: str,
    index: int,
    method: RefundMethod,
    amount_cents: int,
    now: datetime,
    *,
    original_payment_id: str | None = None,
    member_id: str | None = None,
    provider: str | None = None,
) -> RefundPayment:
    # Cash leaves the drawer when the refund is committed; the rest waits for the cloud.
    cloud = method in THROUGH_THE_CLOUD
    state = RefundPaymentState.PENDING if cloud else RefundPaymentState.SUCCEEDED
    return RefundPayment(
        refund_payment_id=f"{refund_no}-{index}",
        method=method,
        amount_cents=amount_cents,
        state=state,
        created_at=now,
        updated_at=now,
        original_payment_id=original_payment_id,
        member_id=member_id,
        provider=provider,
    )


def _check_people(
    kind: RefundKind, reason: str, cashier_id: str, approval: ManagerApproval | None
) -> str | None:
    if not reason.strip() or len(reason.strip()) > MAX_REASON:
        raise RefundError("refund.no_reason", max_length=MAX_REASON)
    if not cashier_id.strip():
        raise RefundError("refund.no_cashier")
    if approval is None or not approval.manager_id.strip():
        if kind in NEEDS_APPROVAL:
            raise RefundError("refund.needs_approval", kind=str(kind))
        return None
    if approval.manager_id.strip() == cashier_id.strip():
        raise RefundError("refund.self_approved", kind=str(kind))
    return approval.manager_id.strip()


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _lines(
    sold: SoldOrder, ledger: RefundLedger, requests: Sequence[LineRequest]
) -> tuple[RefundLine, ...]:
    if not requests:
        raise RefundError("refund.no_lines")
    seen: set[int] = set()
    lines = []
    for request in requests:
        if request.line_no in seen:
            raise RefundError("refund.line_twice", line_no=request.line_no)
        seen.add(request.line_no)
        line = sold.line(request.line_no)
        if line is None:
            raise RefundError("refund.no_line", order_no=sold.order_no, line_no=request.line_no)
        if line.by_weight and request.quantity is not None:
            raise RefundError("refund.by_weight", line_no=line.line_no)
        if not line.by_weight and request.grams is not None:
            raise RefundError("refund.by_piece", line_no=line.line_no)
        left = ledger.left(line).measure
        if left == 0:
            raise RefundError("refund.nothing_left", line_no=line.line_no, order_no=sold.order_no)
        asked = request.grams if line.by_weight else request.quantity
        if asked is None:
            asked = left
        if not _whole(asked):
            raise RefundError("refund.bad_quantity", line_no=line.line_no)
        if asked > left:
            raise RefundError("refund.over_quantity", line_no=line.line_no, asked=asked, left=left)
        amount = line_amount(line, ledger.taken(line.line_no), asked)
        lines.append(
            RefundLine(line.line_no, line.sku, line.name_zh, line.name_en,
                       None if line.by_weight else asked, asked if line.by_weight else None,
                       amount)
        )  # fmt: skip
    return tuple(lines)


_LINE_ITEM = re.compile(r"^(\d{1,4})(?:[xX*](\d{1,4}))?$")


def parse_line_requests(text: str) -> list[LineRequest]:
    """The lines a cashier types to take back: ``1,3x2`` (all that is left of line 1, two
    of line 3), separated by commas or spaces; nothing: no line named (the till takes
    every line still left). ``ValueError`` for anything else."""
    lines = []
    for word in re.split(r"[,\s，]+", text.strip()):
        if not word:
            continue
        match = _LINE_ITEM.fullmatch(word)
        if match is None:
            raise ValueError(f"{word!r} is not <line> or <line>x<quantity>")
        line, quantity = match.groups()
        lines.append(LineRequest(int(line), int(quantity) if quantity else None))
    return lines
