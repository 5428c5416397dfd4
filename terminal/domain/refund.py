"""Refunds: money handed back for goods returned, as a record of its own linked to the
order it refunds. The order itself is never changed.

A refund has a number like an order's, from the same device and business day with an R:
``<device>-<yyyymmdd>-R<seq>`` (``T01-20261122-R0001``), its idempotency key towards the
cloud. It names the original order, the lines it takes back (original ``line_no``, pieces
or grams, amount), why, the cashier and, for what needs one, the approving manager.

Kinds:
- ``return``: with the receipt; amounts and tenders follow ``refundable.py`` (pro rata of
  what each line charged; back to the tenders that paid, non-cash first, then cash).
- ``exchange``: a return whose money pays for the replacement at once, so it is given in
  cash (the till tenders it to the replacement sale). Needs a manager's approval.
- ``no_receipt``: no order to refund against; items at the price the till looked up,
  paid back in cash or as store credit to a member. Needs a manager's approval.
How a refund is made from what the cashier asks (amounts, tenders, approvals) is
``refund_request.py``.

States: PENDING -> DONE when every refund payment succeeded, or FAILED when a wallet or
the cloud refused one for good (``owed_cents``: what did not go back; the goods are back,
so a failed refund still counts against the order). Cash succeeds when the refund is
committed (the drawer opens then); a wallet refund, a face payment credited back and
store credit stay PENDING until the cloud answers.

What must not live here: I/O, the document sent to the cloud (``refund_document.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from terminal.domain.errors import DomainError
from terminal.domain.order_number import check_device_id, parse_order_number

_REFUND_NO = re.compile(r"^([A-Z0-9]{2,16})-([0-9]{8})-R([0-9]{4,})$")


class RefundError(DomainError):
    """A refund that breaks a rule: too much back, no approval, a line that is not there."""

    CODES: ClassVar[Mapping[str, str]] = {
        "refund.refused": "that refund cannot be made",
        "refund.bad_number": "{refund_no!r} is not a refund number like T01-20261122-R0001",
        "refund.not_an_order_number": (
            "{text!r} is not an order number: scan the code on the receipt or type its number"
        ),
        "refund.order_not_paid": "order {order_no} was not paid: there is nothing to refund",
        "refund.no_lines": "choose at least one line to refund",
        "refund.no_line": "order {order_no} has no line {line_no} to refund",
        "refund.line_twice": "line {line_no} is asked for twice: give it once",
        "refund.by_weight": "line {line_no} was sold by weight: give the grams to refund",
        "refund.by_piece": "line {line_no} was sold by the piece: give the pieces to refund",
        "refund.bad_quantity": "line {line_no}: what to refund must be a whole number from 1",
        "refund.nothing_left": "line {line_no} of order {order_no} is refunded in full already",
        "refund.over_quantity": "line {line_no}: {asked} asked back, only {left} left to refund",
        "refund.no_reason": "say why the goods come back (at most {max_length} characters)",
        "refund.no_cashier": "the refund needs the cashier's id",
        "refund.needs_approval": "a {kind} refund needs a manager's approval",
        "refund.self_approved": "the manager approving a {kind} refund cannot be its cashier",
        "refund.no_member": "order {order_no} was paid by face but names no member to credit",
        "refund.no_items": "a return without a receipt needs at least one item",
        "refund.bad_item": "item {sku}: pieces and price must be whole numbers above zero",
        "refund.no_tender": "order {order_no}: {amount_cents} has no tender left to go back to",
        "refund.payment_settled": "refund payment {refund_payment_id} is already {state}",
        "refund.unknown_payment": "refund {refund_no} has no payment {refund_payment_id}",
    }
    DEFAULT = "refund.refused"


class RefundKind(StrEnum):
    RETURN = "return"
    EXCHANGE = "exchange"
    NO_RECEIPT = "no_receipt"


class RefundState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class RefundMethod(StrEnum):
    CASH = "cash"
    WALLET_CODE = "wallet_code"  # back to the wallet trade (its out_trade_no)
    FACE = "face"  # credited back to the member's stored value it was paid from
    STORE_CREDIT = "store_credit"  # a no-receipt return credited to a member


class RefundPaymentState(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


# Money that moves only when the cloud (the wallet, the member's balance) says so.
THROUGH_THE_CLOUD = frozenset(
    {RefundMethod.WALLET_CODE, RefundMethod.FACE, RefundMethod.STORE_CREDIT}
)


@dataclass(frozen=True, slots=True)
class RefundLine:
    """One line taken back: ``quantity`` pieces or ``weight_grams`` (the other is None);
    ``line_no`` is the original order's (None without a receipt)."""

    line_no: int | None
    sku: str
    name_zh: str
    name_en: str
    quantity: int | None
    weight_grams: int | None
    amount_cents: int

    @property
    def measure(self) -> int:
        return self.weight_grams if self.weight_grams is not None else self.quantity or 0


@dataclass(slots=True)
class RefundPayment:
    """Money going back to one tender. ``refund_payment_id`` is its idempotency key (the
    wallet's out_refund_no, the member credit's id); ``original_payment_id`` the payment it
    goes back to (None for cash and store credit)."""

    refund_payment_id: str
    method: RefundMethod
    amount_cents: int
    state: RefundPaymentState
    created_at: datetime
    updated_at: datetime
    original_payment_id: str | None = None
    member_id: str | None = None
    provider: str | None = None
    reason: str | None = None

    @property
    def is_final(self) -> bool:
        return self.state is not RefundPaymentState.PENDING


@dataclass(slots=True)
class Refund:
    refund_no: str
    device_id: str
    business_date: date
    created_at: datetime
    kind: RefundKind
    order_no: str | None
    lines: tuple[RefundLine, ...]
    reason: str
    cashier_id: str
    approver_id: str | None = None
    payments: list[RefundPayment] = field(default_factory=list)
    state: RefundState = RefundState.PENDING
    completed_at: datetime | None = None

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    def _sum(self, state: RefundPaymentState, *, cash: bool | None = None) -> int:
        return sum(
            p.amount_cents
            for p in self.payments
            if p.state is state and (cash is None or (p.method is RefundMethod.CASH) == cash)
        )

    @property
    def cash_cents(self) -> int:
        """Cash handed back from the drawer."""
        return self._sum(RefundPaymentState.SUCCEEDED, cash=True)

    @property
    def paid_back_cents(self) -> int:
        return self._sum(RefundPaymentState.SUCCEEDED)

    @property
    def pending_cents(self) -> int:
        """Waiting for the cloud (a wallet, a member's balance)."""
        return self._sum(RefundPaymentState.PENDING)

    @property
    def owed_cents(self) -> int:
        """Refused for good: the customer has not got this back."""
        return self._sum(RefundPaymentState.FAILED)

    @property
    def is_final(self) -> bool:
        return self.state is not RefundState.PENDING

    def waiting(self) -> list[RefundPayment]:
        """Refund payments still waiting for the cloud's answer."""
        return [p for p in self.payments if p.state is RefundPaymentState.PENDING]

    def payment(self, refund_payment_id: str) -> RefundPayment:
        for payment in self.payments:
            if payment.refund_payment_id == refund_payment_id:
                return payment
        raise RefundError(
            "refund.unknown_payment",
            refund_no=self.refund_no,
            refund_payment_id=refund_payment_id,
        )

    def settle(
        self, refund_payment_id: str, *, succeeded: bool, now: datetime, reason: str | None = None
    ) -> RefundPayment:
        """Record a refund payment's final answer; the refund ends with its last one."""
        payment = self.payment(refund_payment_id)
        if payment.is_final:
            raise RefundError(
                "refund.payment_settled",
                refund_payment_id=refund_payment_id,
                state=str(payment.state),
            )
        payment.state = RefundPaymentState.SUCCEEDED if succeeded else RefundPaymentState.FAILED
        payment.reason = None if succeeded else reason
        payment.updated_at = now
        self.finish_if_settled(now)
        return payment

    def fail_waiting(self, reason: str, now: datetime) -> None:
        """The cloud refused the refund itself: nothing still waiting will be paid back."""
        for payment in self.waiting():
            self.settle(payment.refund_payment_id, succeeded=False, now=now, reason=reason)
        self.finish_if_settled(now)

    def finish_if_settled(self, now: datetime) -> None:
        if self.is_final or self.waiting():
            return
        failed = any(p.state is RefundPaymentState.FAILED for p in self.payments)
        self.state = RefundState.FAILED if failed else RefundState.DONE
        self.completed_at = now


# -- numbers ---------------------------------------------------------------------------


def format_refund_number(device_id: str, business_date: date, seq: int) -> str:
    check_device_id(device_id)
    if seq < 1:
        raise RefundError("refund.bad_number", refund_no=f"{device_id}-?-R{seq}")
    return f"{device_id}-{business_date:%Y%m%d}-R{seq:04d}"


def parse_refund_number(refund_no: str) -> tuple[str, date, int]:
    match = _REFUND_NO.fullmatch(refund_no)
    if not match:
        raise RefundError("refund.bad_number", refund_no=refund_no)
    device_id, day, seq = match.groups()
    try:
        business_date = datetime.strptime(day, "%Y%m%d").date()
    except ValueError:
        raise RefundError("refund.bad_number", refund_no=refund_no) from None
    if int(seq) < 1 or format_refund_number(device_id, business_date, int(seq)) != refund_no:
        raise RefundError("refund.bad_number", refund_no=refund_no)
    return device_id, business_date, int(seq)


def order_number_from_receipt(text: str) -> str:
    """The order number in what was scanned from a receipt or typed: the number itself,
    in any case, with spaces around it (a keyboard-wedge scanner adds them)."""
    candidate = text.strip().upper()
    try:
        parse_order_number(candidate)
    except DomainError:
        raise RefundError("refund.not_an_order_number", text=text.strip()[:40]) from None
    return candidate
