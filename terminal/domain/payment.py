"""Payments: one order, several payment attempts, each with its own id and state.

Cash succeeds the moment it is counted. Face pay and payment codes go out to a wallet and
may come back PENDING (the customer is entering a password), FAILED, or not at all
(UNKNOWN: the result must be queried, then the trade reversed). The state machine below is
the same for all of them, so later payment methods fit without changing the order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from terminal.domain.errors import IllegalTransition, MoneyError, PaymentError
from terminal.domain.money import check_cents


class PaymentMethod(StrEnum):
    CASH = "cash"
    FACE = "face"
    WALLET_CODE = "wallet_code"


class PaymentState(StrEnum):
    PENDING = "pending"  # sent, no final answer yet
    UNKNOWN = "unknown"  # the answer was lost: query, then reverse
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REVERSED = "reversed"  # a wallet trade cancelled before settlement
    REFUNDED = "refunded"  # money handed back (cash) or refunded after settlement


_ALLOWED: dict[PaymentState, frozenset[PaymentState]] = {
    PaymentState.PENDING: frozenset(
        {PaymentState.SUCCEEDED, PaymentState.FAILED, PaymentState.UNKNOWN}
    ),
    PaymentState.UNKNOWN: frozenset(
        {PaymentState.SUCCEEDED, PaymentState.FAILED, PaymentState.REVERSED}
    ),
    PaymentState.SUCCEEDED: frozenset({PaymentState.REVERSED, PaymentState.REFUNDED}),
    PaymentState.FAILED: frozenset(),
    PaymentState.REVERSED: frozenset(),
    PaymentState.REFUNDED: frozenset(),
}

LARGEST_NOTE_CENTS = 10_000  # ¥100, the largest banknote

# States in which money may be (or is) with the store: they block a silent cancel.
MONEY_AT_RISK = frozenset({PaymentState.PENDING, PaymentState.UNKNOWN, PaymentState.SUCCEEDED})


@dataclass(slots=True)
class Payment:
    payment_id: str
    order_no: str
    method: PaymentMethod
    amount_cents: int
    state: PaymentState
    created_at: datetime
    updated_at: datetime
    tendered_cents: int | None = None
    change_cents: int = 0
    provider: str | None = None
    trade_no: str | None = None
    history: list[tuple[PaymentState, datetime]] = field(default_factory=list)

    def transition(self, new_state: PaymentState, now: datetime) -> None:
        if new_state not in _ALLOWED[self.state]:
            raise IllegalTransition(
                "state.payment_move",
                payment_id=self.payment_id[:8],
                state=str(self.state),
                new_state=str(new_state),
            )
        self.history.append((self.state, self.updated_at))
        self.state = new_state
        self.updated_at = now


def check_tender(tendered_cents: int, balance_due: int, *, max_multiple: int) -> None:
    """A cash tender far above what is due is a typing slip (¥9,999,999 on a ¥3.50 sale),
    refused; a big note on a small sale is not: up to ``max_multiple`` times the amount
    due, or the amount due plus ¥100, whichever is more."""
    limit = max(max_multiple * balance_due, balance_due + LARGEST_NOTE_CENTS)
    if balance_due > 0 and tendered_cents > limit:
        raise PaymentError(
            "payment.tender_too_large", tendered_cents=tendered_cents, due_cents=balance_due
        )


def cash_payment(
    *, payment_id: str, order_no: str, balance_due: int, tendered_cents: int, now: datetime
) -> Payment:
    """Count cash against what is still due: enough gives change, less is a part payment."""
    try:
        check_cents(tendered_cents, "cash tendered")
    except MoneyError as exc:
        # The money rule's own code and fields, as the payment's error for its callers.
        raise PaymentError(exc.code, **exc.params) from None
    if tendered_cents == 0 and balance_due == 0:
        # A sale with nothing to pay (a 100% discount) closes with a zero tender.
        return Payment(
            payment_id=payment_id,
            order_no=order_no,
            method=PaymentMethod.CASH,
            amount_cents=0,
            state=PaymentState.SUCCEEDED,
            created_at=now,
            updated_at=now,
            tendered_cents=0,
            change_cents=0,
        )
    if tendered_cents == 0:
        raise PaymentError("payment.no_cash")
    if balance_due <= 0:
        raise PaymentError("payment.nothing_due")
    amount = min(tendered_cents, balance_due)
    return Payment(
        payment_id=payment_id,
        order_no=order_no,
        method=PaymentMethod.CASH,
        amount_cents=amount,
        state=PaymentState.SUCCEEDED,
        created_at=now,
        updated_at=now,
        tendered_cents=tendered_cents,
        change_cents=tendered_cents - amount,
    )
