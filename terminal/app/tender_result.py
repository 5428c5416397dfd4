"""How a tender ended: ``TenderResult``, and the reason codes for its outcomes (paid,
declined with the cloud's own reason, cancelled, unresolved) and for a face decision that
cannot pay. Plain data and pure mappings; the session (``checkout.py``) makes them.

What must not live here: I/O, words for the screens (the UI translates the codes).
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.domain.order import Order
from terminal.domain.payment import Payment, PaymentState
from terminal.errors import Reason, register_codes, registered_codes
from terminal.face.decide import Outcome
from terminal.payments.errors import PaymentRefused
from terminal.payments.pending_queue import IN_FLIGHT

# How a tender ended when it was not refused; refusals are ``PaymentRefused`` codes.
register_codes(
    {
        "pay.paid": "paid",
        "pay.paid_offline": "paid offline (sent to the cloud later)",
    }
)


@dataclass(frozen=True, slots=True)
class TenderResult:
    order: Order
    payment: Payment
    paid: bool
    balance_due_cents: int
    change_cents: int
    reason: Reason | None = None  # how it ended: "pay.paid", "pay.declined...", ...
    offline: bool = False

    @property
    def message(self) -> str:
        """The reason in English, for the log and the CLI (screens translate ``reason``)."""
        return "" if self.reason is None else str(self.reason)

    def refusal(self) -> PaymentRefused:
        """The error to raise for a tender that did not pay (the reason's code kept)."""
        reason = self.reason or Reason(PaymentRefused.DEFAULT)
        return PaymentRefused(reason.code, **reason.params)


# Why a face decision other than PAY cannot pay: a PaymentError code per outcome.
NOT_PAY: dict[Outcome, str] = {
    Outcome.SPOOF: "payment.face.spoof",
    Outcome.ASK_LAST4: "payment.face.ask_last4",
    Outcome.MEMBER: "payment.face.member",
    Outcome.UNKNOWN: "payment.face.unknown",
    Outcome.SEARCHING: "payment.face.searching",
    Outcome.PAY: "payment.face.other_member",
}


def declined(why: str | None) -> Reason:
    """A declined payment's reason: the cloud's own code when we know it
    ("insufficient_balance", "member_unknown"), else the generic one with ``why`` kept
    for the log."""
    code = f"pay.declined.{why}"
    if why and code in registered_codes():
        return Reason(code)
    return Reason("pay.declined", {"why": why or "no reason given"})


def wallet_reason(payment: Payment, why: str, *, not_sent: bool = False) -> Reason:
    """The wallet's outcome as a code; its own words (``why``) stay a param for the log."""
    if not_sent:
        return Reason("pay.not_sent")
    if payment.state is PaymentState.SUCCEEDED:
        return Reason("pay.paid")
    if payment.state is PaymentState.REVERSED:
        return Reason("pay.cancelled", {"why": why})
    if payment.state in IN_FLIGHT:
        return Reason("pay.unresolved", {"why": why})
    return Reason("pay.declined", {"why": why or "no reason given"})
