"""The queue of payments whose result is unknown; it survives restarts because it *is* the
store: every wallet or face payment still PENDING or UNKNOWN in ``payments``.

A crash between committing an attempt and hearing its answer leaves exactly such a row,
so there is no second list that could disagree with the payments. Resolving one:
- a wallet code trade: query (on the wallet's schedule), then reverse if still unknown;
- a face payment: resend with the same payment id; the cloud answers a repeat from its
  record, so this is a query that can never debit twice.
A payment that gets no answer at all stays where it is, for the next run.

What must not live here: finishing the order (start-up recovery and the checkout session
decide that from the payments' states), SQL (``OrderRepository.payment_refs`` finds them).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlite_utils import Database

from terminal.domain.order import Order
from terminal.domain.payment import PaymentMethod, PaymentState
from terminal.payments.face_pay import FacePay
from terminal.payments.wallet import WalletPayments
from terminal.storage.orders import OrderRepository

log = logging.getLogger(__name__)

IN_FLIGHT = frozenset({PaymentState.PENDING, PaymentState.UNKNOWN})


@dataclass(frozen=True, slots=True)
class Resolution:
    order_no: str
    payment_id: str
    state: PaymentState


class PendingPayments:
    def __init__(
        self,
        db: Database,
        orders: OrderRepository,
        *,
        wallet: WalletPayments | None,
        face: FacePay | None,
    ) -> None:
        # ``db`` is unused (the queue reads through ``orders``); kept for existing callers.
        self._orders = orders
        self._wallet = wallet
        self._face = face

    def in_flight(self) -> list[tuple[str, str]]:
        """(order_no, payment_id) of every unresolved non-cash payment, oldest first."""
        return self._orders.payment_refs(IN_FLIGHT, excluding=PaymentMethod.CASH)

    def resolve_order(self, order: Order) -> list[Resolution]:
        """Try to settle each in-flight payment of ``order`` (changed in place, committed)."""
        done = []
        for payment in order.payments_in(IN_FLIGHT):
            if payment.method is PaymentMethod.WALLET_CODE and self._wallet is not None:
                if payment.state is PaymentState.PENDING:
                    # Its answer was lost with the process: treat as unknown, then query.
                    payment.transition(PaymentState.UNKNOWN, payment.updated_at)
                    self._orders.save(order, payment.updated_at)
                self._wallet.resolve(order, payment, why="result lost in a restart")
            elif payment.method is PaymentMethod.FACE and self._face is not None:
                member_id = order.member_id
                if member_id is None:
                    log.error("face payment without a member", extra={"order_no": order.order_no})
                    continue
                self._face.resend(order, payment, member_id)
            done.append(Resolution(order.order_no, payment.payment_id, payment.state))
            log.info(
                "pending payment checked",
                extra={
                    "order_no": order.order_no,
                    "payment": payment.payment_id[:8],
                    "state": str(payment.state),
                },
            )
        return done

    def resolve_all(self) -> list[Resolution]:
        results: list[Resolution] = []
        for order_no in dict.fromkeys(order_no for order_no, _ in self.in_flight()):
            results += self.resolve_order(self._orders.load(order_no))
        return results
