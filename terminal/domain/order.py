"""The order: one sale from first scan to paid or cancelled.

States: OPEN (items being scanned) -> TENDERING (payment under way) -> PAID; OPEN or
TENDERING -> CANCELLED. A TENDERING order goes back to OPEN when the cashier changes the
cart before any money was taken. PAID and CANCELLED are final. Every illegal move raises
``IllegalTransition``; persistence is the store's job, not this module's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from terminal.domain.cart import Cart
from terminal.domain.errors import IllegalTransition, PaymentError
from terminal.domain.payment import MONEY_AT_RISK, Payment, PaymentState
from terminal.domain.pricing import Totals, price_cart


class OrderState(StrEnum):
    OPEN = "open"
    TENDERING = "tendering"
    PAID = "paid"
    CANCELLED = "cancelled"


_ALLOWED: dict[OrderState, frozenset[OrderState]] = {
    OrderState.OPEN: frozenset({OrderState.TENDERING, OrderState.CANCELLED}),
    OrderState.TENDERING: frozenset({OrderState.OPEN, OrderState.PAID, OrderState.CANCELLED}),
    OrderState.PAID: frozenset(),
    OrderState.CANCELLED: frozenset(),
}


@dataclass(slots=True)
class Order:
    order_no: str
    device_id: str
    business_date: date
    opened_at: datetime
    cart: Cart = field(default_factory=Cart)
    state: OrderState = OrderState.OPEN
    member_id: str | None = None
    payments: list[Payment] = field(default_factory=list)
    closed_at: datetime | None = None
    cancel_reason: str | None = None
    cashier_id: str | None = None  # the staff member signed in when the sale began
    approver_id: str | None = None  # the manager who approved a restricted action on it

    # -- reading ---------------------------------------------------------------

    @property
    def is_final(self) -> bool:
        return self.state in (OrderState.PAID, OrderState.CANCELLED)

    def totals(self) -> Totals:
        return price_cart(self.cart, member=self.member_id is not None)

    @property
    def paid_cents(self) -> int:
        return sum(p.amount_cents for p in self.payments if p.state is PaymentState.SUCCEEDED)

    @property
    def balance_due_cents(self) -> int:
        return self.totals().total_cents - self.paid_cents

    @property
    def change_cents(self) -> int:
        return sum(p.change_cents for p in self.payments if p.state is PaymentState.SUCCEEDED)

    def payments_in(self, states: frozenset[PaymentState]) -> list[Payment]:
        return [p for p in self.payments if p.state in states]

    # -- moving ----------------------------------------------------------------

    def _check_move(self, new_state: OrderState) -> None:
        if new_state not in _ALLOWED[self.state]:
            raise IllegalTransition(
                "order.cannot_move",
                order_no=self.order_no,
                state=str(self.state),
                new_state=str(new_state),
            )

    def _move(self, new_state: OrderState) -> None:
        self._check_move(new_state)
        self.state = new_state

    def ensure_editable(self) -> None:
        """Let the cashier change the cart: fine while OPEN, or TENDERING before any money."""
        if self.state is OrderState.OPEN:
            return
        if self.is_final:
            raise IllegalTransition("order.closed", order_no=self.order_no, state=str(self.state))
        if not self.payments_in(MONEY_AT_RISK):
            self._move(OrderState.OPEN)
            return
        raise IllegalTransition("order.money_taken", order_no=self.order_no, state=str(self.state))

    def start_tender(self) -> None:
        if self.cart.is_empty():
            raise PaymentError("payment.empty_cart")
        if self.state is OrderState.OPEN:
            self._move(OrderState.TENDERING)
        elif self.state is not OrderState.TENDERING:
            self._move(OrderState.TENDERING)  # raises with the reason

    def add_payment(self, payment: Payment) -> None:
        if self.state is not OrderState.TENDERING:
            raise IllegalTransition(
                "order.not_tendering", order_no=self.order_no, state=str(self.state)
            )
        if payment.order_no != self.order_no:
            raise PaymentError(
                "payment.wrong_order",
                payment_id=payment.payment_id,
                payment_order_no=payment.order_no,
                order_no=self.order_no,
            )
        self.payments.append(payment)

    def complete(self, now: datetime) -> None:
        """Mark PAID once the payments cover the total, with nothing still in flight."""
        self._check_move(OrderState.PAID)
        if self.payments_in(frozenset({PaymentState.PENDING, PaymentState.UNKNOWN})):
            raise PaymentError("payment.in_flight", order_no=self.order_no)
        if self.balance_due_cents > 0:
            raise PaymentError(
                "payment.balance_due", order_no=self.order_no, due_cents=self.balance_due_cents
            )
        self._move(OrderState.PAID)
        self.closed_at = now

    def cancel(self, reason: str, now: datetime) -> None:
        """Cancel; money already taken must be handed back first (the caller refunds it)."""
        self._check_move(OrderState.CANCELLED)
        in_flight = self.payments_in(frozenset({PaymentState.PENDING, PaymentState.UNKNOWN}))
        if in_flight:
            raise PaymentError("payment.in_flight", order_no=self.order_no)
        if self.payments_in(frozenset({PaymentState.SUCCEEDED})):
            raise PaymentError("payment.refund_first", order_no=self.order_no)
        self._move(OrderState.CANCELLED)
        self.closed_at = now
        self.cancel_reason = reason
