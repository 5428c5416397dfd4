"""Carrying a refund's money back through the cloud: the wallet refund of a code payment
(``POST /v1/payments/micropay/{trade}/refund``), stored value credited back to the member
who paid by face (``POST /v1/members/{id}/credits``), and the refund document itself
(``PUT /v1/refunds/{refund_no}``).

``RefundPayments.carry_out(refund_no)`` runs the same steps wherever it is called: on the
till's cloud thread right after the refund is committed (the customer waits for it), and
from the outbox (``deliver_refund``, the sync worker), which is the queue that survives
restarts and sends what waited while the cloud was away. Every call carries the refund's
own ids (the refund number; each refund payment's id is the wallet's out_refund_no and the
credit's id), so running it twice, or from both places at once, moves money once.

The steps, for a refund still waiting:
1. the document goes first (state pending): the cloud checks it against the order and its
   earlier refunds before any money moves. Refused (409 ``over_refund``, 403 another
   store's order) -> every payment still waiting fails with that code, the refund ends
   FAILED and the refusal is raised (the outbox parks it for a person). 409
   ``order_unknown`` (the order has not reached the cloud yet) -> nothing changes.
2. each waiting refund payment: SUCCESS -> succeeded; the wallet's SYSTEMERROR -> asked
   again with the same id (a few times, then left for later); refused for good (the trade
   is not paid, or not that much is left on it; the member was not the payer) -> failed
   with the cloud's code (``owed_cents`` on the refund); no answer -> left waiting.
3. once every payment has its answer, the final document (done or failed).
A refund that is already final only sends its final document.

What must not live here: the refund rules (``terminal/domain``), SQL (``storage``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlite_utils import Database

from terminal.clock import Clock
from terminal.domain.refund import Refund, RefundMethod, RefundPayment
from terminal.domain.refund_document import refund_to_document
from terminal.storage import members, offline_payments
from terminal.storage.refunds import RefundRepository
from terminal.sync.client import AuthError, CloudClient, PermanentCloudError, TransientCloudError

log = logging.getLogger(__name__)

SYSTEMERROR_RETRIES = 2
RETRY_PAUSE_S = 0.5
# The cloud has not received the order yet: the refund waits, nothing failed.
ORDER_NOT_THERE = "order_unknown"


class RefundWaiting(TransientCloudError):
    """Some refund payment has no answer yet; the refund stays pending and is sent later."""


class RefundPayments:
    def __init__(
        self,
        db: Database,
        client: CloudClient,
        clock: Clock,
        *,
        systemerror_retries: int = SYSTEMERROR_RETRIES,
        retry_pause_s: float = RETRY_PAUSE_S,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._db = db
        self._refunds = RefundRepository(db)
        self._client = client
        self._clock = clock
        self._retries = systemerror_retries
        self._pause_s = retry_pause_s
        self._sleep = sleep

    def carry_out(self, refund_no: str) -> Refund:
        """The steps of the module docstring. Returns the final refund; raises
        ``TransientCloudError`` (``RefundWaiting``) while anything still waits,
        ``PermanentCloudError`` when the cloud refused the refund or lacks its order."""
        refund = self._refunds.load(refund_no)
        if not refund.is_final:
            self._register(refund)
            for payment in refund.waiting():
                self._pay(refund, payment)  # no answer: raises, the rest waits with it
            refund = self._refunds.load(refund_no)
            if not refund.is_final:
                raise RefundWaiting(f"refund {refund_no} still waits for an answer")
        self._client.put_refund(refund_no, refund_to_document(refund))
        log.info(
            "refund delivered",
            extra={"refund_no": refund_no, "state": str(refund.state),
                   "owed_cents": refund.owed_cents},
        )  # fmt: skip
        return refund

    def _register(self, refund: Refund) -> None:
        try:
            self._client.put_refund(refund.refund_no, refund_to_document(refund))
        except AuthError:
            raise
        except PermanentCloudError as exc:
            if exc.code != ORDER_NOT_THERE:
                self._refunds.fail_waiting(refund.refund_no, exc.code, self._clock())
                log.error(
                    "the cloud refused the refund; nothing more goes back",
                    extra={"refund_no": refund.refund_no, "error": str(exc)},
                )
            raise

    def _pay(self, refund: Refund, payment: RefundPayment) -> None:
        if payment.method is RefundMethod.WALLET_CODE:
            self._wallet(refund, payment)
        elif payment.method in (RefundMethod.FACE, RefundMethod.STORE_CREDIT):
            self._credit(refund, payment)

    def _wallet(self, refund: Refund, payment: RefundPayment) -> None:
        trade = payment.original_payment_id
        if trade is None:
            self._settle(refund, payment, succeeded=False, reason="no_trade")
            return
        for attempt in range(self._retries + 1):
            if attempt:
                self._sleep(self._pause_s)
            try:
                answer = self._client.refund_micropay(
                    trade,
                    out_refund_no=payment.refund_payment_id,
                    amount_cents=payment.amount_cents,
                )
            except AuthError:
                raise
            except PermanentCloudError as exc:
                self._settle(refund, payment, succeeded=False, reason=exc.code)
                return
            if answer.get("refund_state") == "SUCCESS":
                self._settle(refund, payment, succeeded=True)
                return
            # SYSTEMERROR: the wallet does not know yet whether it refunded; only the same
            # out_refund_no may ask again (a new one could refund twice).
            log.warning(
                "wallet refund answer unknown; asking again with the same id",
                extra={"refund_payment": payment.refund_payment_id, "attempt": attempt + 1},
            )
        raise RefundWaiting(f"the wallet has not confirmed {payment.refund_payment_id} yet")

    def _credit(self, refund: Refund, payment: RefundPayment) -> None:
        if payment.member_id is None:
            self._settle(refund, payment, succeeded=False, reason="no_member")
            return
        member_id = offline_payments.canonical_member_id(self._db, payment.member_id)
        try:
            answer = self._client.credit_member(
                member_id,
                refund_id=payment.refund_payment_id,
                refund_no=refund.refund_no,
                payment_id=payment.original_payment_id,
                amount_cents=payment.amount_cents,
            )
        except AuthError:
            raise
        except PermanentCloudError as exc:
            self._settle(refund, payment, succeeded=False, reason=exc.code)
            return
        self._settle(refund, payment, succeeded=True)
        # The member's balance as the cloud now has it, until the next member pull.
        members.set_balance(self._db, member_id, int(answer.get("balance_cents") or 0))

    def _settle(
        self, refund: Refund, payment: RefundPayment, *, succeeded: bool, reason: str | None = None
    ) -> None:
        self._refunds.settle(
            refund.refund_no,
            payment.refund_payment_id,
            succeeded=succeeded,
            now=self._clock(),
            reason=reason,
        )
        if not succeeded:
            log.error(
                "refund payment refused for good",
                extra={"refund_payment": payment.refund_payment_id, "reason": reason,
                       "amount_cents": payment.amount_cents},
            )  # fmt: skip


def deliver_refund(db: Database, client: CloudClient, refund_no: str, clock: Clock) -> None:
    """The outbox's way to send a refund (``terminal/sync/outbound.py``): carry it out."""
    RefundPayments(db, client, clock).carry_out(refund_no)
