"""Stored-value face pay for a recognised member: ``POST /v1/payments/face``.

Every payment carries its evidence (``FaceProbe``: the template the till matched and its
liveness score); the cloud checks it against the member's own templates before it moves
money. The probe is kept sealed (``storage/face_probes``) until the payment's answer is
final, so a resend or an offline approval forwarded later carries the same evidence.

The payment is committed PENDING (with its own payment id, the cloud's idempotency key)
before the call. SUCCESS -> SUCCEEDED, FAIL -> FAILED with the cloud's reason. When the
cloud cannot be reached, the offline policy decides: within its caps the payment is
approved here (SUCCEEDED, flagged in ``offline_face_payments``) and an outbox entry
(aggregate_type ``face_payment``) forwards the same payment id later, in one transaction,
so the cloud debits it exactly once even if the first call did get through. Outside the
caps a payment that never left the till is FAILED; one that may have reached the cloud is
UNKNOWN and ``resend`` (the pending queue) asks again with the same id.

What must not live here: the decision that the face may pay (``terminal/face/decide``),
the confirmation prompt (the checkout session and the UI), SQL (``terminal/storage``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from terminal.clock import Clock
from terminal.domain.face_probe import FaceProbe
from terminal.domain.order import Order
from terminal.domain.payment import Payment, PaymentMethod, PaymentState
from terminal.payments.errors import OfflineRefused
from terminal.payments.offline import OfflinePolicy
from terminal.storage import face_probes, members, offline_payments, outbox
from terminal.storage.database import write_transaction
from terminal.storage.members import MemberRepository
from terminal.storage.orders import OrderRepository
from terminal.sync.client import (
    CloudClient,
    NotSentCloudError,
    PermanentCloudError,
    TransientCloudError,
)

log = logging.getLogger(__name__)

PROVIDER = "stored_value"
FINAL = frozenset({PaymentState.SUCCEEDED, PaymentState.FAILED})
OUTBOX_KIND = "face_payment.offline"
AGGREGATE = "face_payment"


@dataclass(frozen=True, slots=True)
class FacePayOutcome:
    payment: Payment
    offline: bool = False
    balance_cents: int | None = None
    reason: str | None = None


def outbox_payload(payment: Payment, member_id: str) -> dict[str, Any]:
    return {
        "payment_id": payment.payment_id,
        "order_no": payment.order_no,
        "member_id": member_id,
        "amount_cents": payment.amount_cents,
    }


class FacePay:
    def __init__(
        self,
        db: Database,
        orders: OrderRepository,
        client: CloudClient | None,
        policy: OfflinePolicy,
        clock: Clock,
        *,
        online: Callable[[], bool],
        sealer: MemberRepository,
    ) -> None:
        self._db = db
        self._orders = orders
        self._sealer = sealer
        self._client = client
        self._policy = policy
        self._clock = clock
        self._online = online

    def pay(
        self,
        order: Order,
        member_id: str,
        payment_id: str,
        business_date: date,
        probe: FaceProbe,
    ) -> FacePayOutcome:
        """Charge the order's balance due to the member's stored value, with ``probe`` as
        the evidence the cloud checks."""
        now = self._clock()
        order.start_tender()
        payment = Payment(
            payment_id=payment_id,
            order_no=order.order_no,
            method=PaymentMethod.FACE,
            amount_cents=order.balance_due_cents,
            state=PaymentState.PENDING,
            created_at=now,
            updated_at=now,
            provider=PROVIDER,
        )
        order.add_payment(payment)
        face_probes.keep(self._db, self._sealer, payment_id, probe, now)
        self._orders.save(order, now)  # on disk before anything is sent
        sent = False
        if self._client is not None and self._online():
            sent = True
            try:
                answer = self._send(payment, member_id, probe)
            except NotSentCloudError:
                sent = False  # nothing left the till: the offline rules decide
            except TransientCloudError as exc:
                log.warning(
                    "face pay got no answer", extra={"payment": payment_id[:8], "error": str(exc)}
                )
            except PermanentCloudError as exc:
                self._move(order, payment, PaymentState.FAILED)
                return FacePayOutcome(payment, reason=str(exc))
            else:
                return self._apply(order, payment, member_id, answer)
        try:
            self._policy.check_face_pay(member_id, payment.amount_cents, business_date)
        except OfflineRefused:
            # Never sent: nothing can have been debited. Sent without an answer: maybe it
            # was, so it stays UNKNOWN for the queue to ask again with the same id.
            self._move(order, payment, PaymentState.UNKNOWN if sent else PaymentState.FAILED)
            raise
        self._approve_offline(order, payment, member_id, business_date)
        return FacePayOutcome(payment, offline=True)

    def resend(self, order: Order, payment: Payment, member_id: str) -> bool:
        """Ask again with the same payment id (the cloud answers a repeat from its record);
        True once the payment has a final state."""
        if self._client is None:
            return False
        try:
            answer = self._send(
                payment, member_id, face_probes.kept(self._db, self._sealer, payment.payment_id)
            )
        except TransientCloudError:
            if payment.state is PaymentState.PENDING:
                self._move(order, payment, PaymentState.UNKNOWN)
            return False
        except PermanentCloudError:
            self._move(order, payment, PaymentState.FAILED)
            return True
        self._apply(order, payment, member_id, answer)
        return True

    # -- plumbing --------------------------------------------------------------------

    def _send(self, payment: Payment, member_id: str, probe: FaceProbe | None) -> dict[str, Any]:
        assert self._client is not None
        return self._client.face_pay(
            payment_id=payment.payment_id,
            order_no=payment.order_no,
            member_id=offline_payments.canonical_member_id(self._db, member_id),
            amount_cents=payment.amount_cents,
            probe=probe.wire() if probe is not None else None,
            liveness=probe.liveness if probe is not None else None,
        )

    def _apply(
        self, order: Order, payment: Payment, member_id: str, answer: dict[str, Any]
    ) -> FacePayOutcome:
        balance = int(answer.get("balance_cents") or 0)
        if answer.get("state") == "SUCCESS":
            self._move(order, payment, PaymentState.SUCCEEDED)
            # Keep the pulled balance honest for the offline cap until the next pull.
            members.set_balance(self._db, member_id, balance)
            return FacePayOutcome(payment, balance_cents=balance)
        self._move(order, payment, PaymentState.FAILED)
        return FacePayOutcome(payment, balance_cents=balance, reason=answer.get("reason"))

    def _move(self, order: Order, payment: Payment, state: PaymentState) -> None:
        if payment.state is state:
            return
        now = self._clock()
        payment.transition(state, now)
        self._orders.save(order, now)
        if state in FINAL:
            face_probes.delete(self._db, payment.payment_id)  # no face outlives its answer

    def _approve_offline(
        self, order: Order, payment: Payment, member_id: str, business_date: date
    ) -> None:
        now = self._clock()
        payment.transition(PaymentState.SUCCEEDED, now)
        # One transaction: the payment's new state, the offline flag and the entry that
        # forwards it, so an approved payment can never miss its way to the cloud.
        # (OrderRepository.save takes its own transaction, hence the targeted update.)
        with write_transaction(self._db):
            self._orders.set_payment_state_in_transaction(payment.payment_id, payment.state, now)
            offline_payments.record_in_transaction(
                self._db,
                payment_id=payment.payment_id,
                order_no=order.order_no,
                member_id=member_id,
                amount_cents=payment.amount_cents,
                business_date=business_date,
                now=now,
            )
            outbox.enqueue(
                self._db,
                kind=OUTBOX_KIND,
                aggregate_type=AGGREGATE,
                aggregate_id=payment.payment_id,
                idempotency_key=f"face_payment:{payment.payment_id}",
                payload=outbox_payload(payment, member_id),
                now=now,
            )
        log.info(
            "face pay approved offline",
            extra={"order_no": order.order_no, "amount_cents": payment.amount_cents},
        )
