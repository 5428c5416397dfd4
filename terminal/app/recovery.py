"""Start-up recovery: orders a crash or power cut left OPEN or TENDERING.

Run before the till takes a new sale. Each unfinished order is finished or cancelled and
the outcome reported; none is silently dropped:
- payments cover the total and none is in flight -> completed (PAID, queued to the cloud);
- no money taken -> cancelled ("interrupted"), queued to the cloud for the audit trail;
- part paid in cash -> the cash is marked handed back and the order cancelled; the report
  tells the cashier how much to return;
- a wallet or face payment in flight -> handed to the pending-payments queue (when one is
  given): queried, then reversed; once settled, the rules above apply (a trade that did go
  through completes the order, a reversed one leaves nothing paid, so it is cancelled).
  Still unknown (the cloud cannot be reached) or without a queue -> left TENDERING and
  reported; the queue tries again on its next run.
- part paid by wallet -> left TENDERING and reported: reverse that payment first.

What must not live here: talking to the wallet or the cloud (the pending-payments queue),
SQL (``OrderRepository``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from terminal.domain.order import Order
from terminal.domain.payment import PaymentMethod, PaymentState
from terminal.payments.pending_queue import PendingPayments
from terminal.storage.orders import OrderRepository

log = logging.getLogger(__name__)

INTERRUPTED = "interrupted: the till restarted before the sale finished"
_IN_FLIGHT = frozenset({PaymentState.PENDING, PaymentState.UNKNOWN})


class Outcome(StrEnum):
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NEEDS_ATTENTION = "needs_attention"


@dataclass(frozen=True, slots=True)
class RecoveredOrder:
    order_no: str
    outcome: Outcome
    detail: str
    cash_to_return_cents: int = 0


def recover_unfinished(
    orders: OrderRepository, now: datetime, pending: PendingPayments | None = None
) -> list[RecoveredOrder]:
    report = [recover_order(orders, order, now, pending) for order in orders.unfinished()]
    for item in report:
        log.warning(
            "recovered unfinished order",
            extra={"order_no": item.order_no, "outcome": str(item.outcome), "detail": item.detail},
        )
    return report


def recover_order(
    orders: OrderRepository, order: Order, now: datetime, pending: PendingPayments | None = None
) -> RecoveredOrder:
    """Finish or cancel one unfinished order by the rules above (the till also runs this
    on a parked sale once the queue settled its payment)."""
    if order.payments_in(_IN_FLIGHT) and pending is not None:
        pending.resolve_order(order)
    if order.payments_in(_IN_FLIGHT):
        queued = " (queued: the till keeps querying it)" if pending is not None else ""
        return RecoveredOrder(
            order.order_no,
            Outcome.NEEDS_ATTENTION,
            f"a wallet payment's result is unknown: query it before closing the order{queued}",
        )
    taken = order.payments_in(frozenset({PaymentState.SUCCEEDED}))
    if taken and not order.cart.is_empty() and order.balance_due_cents <= 0:
        order.complete(now)
        orders.close(order, now)
        return RecoveredOrder(order.order_no, Outcome.COMPLETED, "fully paid before the restart")
    if any(p.method is not PaymentMethod.CASH for p in taken):
        return RecoveredOrder(
            order.order_no,
            Outcome.NEEDS_ATTENTION,
            "part paid by wallet: reverse that payment, then cancel the order",
        )
    cash_back = 0
    for payment in taken:
        payment.transition(PaymentState.REFUNDED, now)
        cash_back += payment.amount_cents
    order.cancel(INTERRUPTED, now)
    orders.close(order, now)
    detail = "cancelled, nothing was paid"
    if cash_back:
        detail = f"cancelled; hand back {cash_back} cents of cash taken before the restart"
    return RecoveredOrder(order.order_no, Outcome.CANCELLED, detail, cash_back)
