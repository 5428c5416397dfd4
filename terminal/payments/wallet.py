"""Paying with a wallet payment code (WeChat Pay / Alipay "micropay"): pay, poll, query,
reverse.

Each attempt is a ``Payment`` whose id is also its ``out_trade_no`` (one order may own
several trades), committed PENDING before the code is sent. Then:
- SUCCESS -> SUCCEEDED; FAIL -> FAILED;
- USERPAYING (the customer confirms on the phone) -> query on ``PollSchedule`` until the
  wallet decides; still undecided at the end -> reversed, so the money cannot move later;
- never sent (no connection could be made) -> FAILED at once: no trade can exist, so the
  sale takes another tender;
- SYSTEMERROR, a timeout, no answer -> UNKNOWN, then query on the same schedule; a query
  that says SUCCESS wins (the money did move: never charge twice); still unknown ->
  reverse; a reverse that gets no answer leaves it UNKNOWN for the pending queue.
Every state change is committed before the next call. The payment code is never logged:
only its masked form.

What must not live here: recognising codes (``terminal/domain/codes/wallet.py``), closing
the order (the checkout session), the offline refusal (``offline.py``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from terminal.clock import Clock
from terminal.domain.codes import PaymentCode
from terminal.domain.order import Order
from terminal.domain.payment import Payment, PaymentMethod, PaymentState
from terminal.storage.orders import OrderRepository
from terminal.sync.client import (
    CloudClient,
    NotSentCloudError,
    PermanentCloudError,
    TransientCloudError,
)

log = logging.getLogger(__name__)

Sleep = Callable[[float], None]
_FINAL = frozenset({PaymentState.SUCCEEDED, PaymentState.FAILED, PaymentState.REVERSED})


@dataclass(frozen=True, slots=True)
class PollSchedule:
    """How long to keep asking: every ``interval_s`` up to ``total_s`` (2 s / 30 s by
    default, what wallets recommend for a customer confirming on the phone)."""

    interval_s: float = 2.0
    total_s: float = 30.0

    @property
    def checks(self) -> int:
        return max(1, int(self.total_s / self.interval_s))


@dataclass(frozen=True, slots=True)
class WalletOutcome:
    payment: Payment
    message: str
    not_sent: bool = False  # failed because the request never left the till


class WalletPayments:
    def __init__(
        self,
        orders: OrderRepository,
        client: CloudClient,
        clock: Clock,
        *,
        schedule: PollSchedule | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._orders = orders
        self._client = client
        self._clock = clock
        self.schedule = schedule or PollSchedule()
        self._sleep = sleep

    def pay(self, order: Order, code: PaymentCode, payment_id: str) -> WalletOutcome:
        """Charge the order's balance due to ``code``; returns with a final state, or
        UNKNOWN when even the reverse got no answer (the pending queue finishes it)."""
        now = self._clock()
        order.start_tender()
        payment = Payment(
            payment_id=payment_id,
            order_no=order.order_no,
            method=PaymentMethod.WALLET_CODE,
            amount_cents=order.balance_due_cents,
            state=PaymentState.PENDING,
            created_at=now,
            updated_at=now,
            provider=code.provider,
        )
        order.add_payment(payment)
        self._orders.save(order, now)  # the attempt is on disk before the code leaves
        log.info(
            "wallet pay",
            extra={"order_no": order.order_no, "trade": payment_id, "code": code.masked()},
        )
        try:
            answer = self._client.micropay(
                out_trade_no=payment.payment_id,
                order_no=order.order_no,
                auth_code=code.code,
                amount_cents=payment.amount_cents,
            )
        except NotSentCloudError as exc:
            self._move(order, payment, PaymentState.FAILED)
            return WalletOutcome(payment, f"not sent ({exc})", not_sent=True)
        except TransientCloudError as exc:
            self._move(order, payment, PaymentState.UNKNOWN)
            return self.resolve(order, payment, why=f"no answer ({exc})")
        except PermanentCloudError as exc:
            # The request itself was refused: no trade was made.
            self._move(order, payment, PaymentState.FAILED)
            return WalletOutcome(payment, f"the wallet refused the payment: {exc}")
        state = answer.get("trade_state")
        if state == "SUCCESS":
            self._succeed(order, payment, answer)
            return WalletOutcome(payment, "paid")
        if state == "FAIL":
            self._move(order, payment, PaymentState.FAILED)
            return WalletOutcome(payment, _failure(answer))
        if state == "USERPAYING":
            return self.resolve(order, payment, why="waiting for the customer")
        self._move(order, payment, PaymentState.UNKNOWN)
        return self.resolve(order, payment, why=str(answer.get("message") or state))

    def resolve(self, order: Order, payment: Payment, *, why: str = "") -> WalletOutcome:
        """Query on the schedule until the wallet decides; otherwise reverse."""
        for check in range(self.schedule.checks):
            self._sleep(self.schedule.interval_s)
            try:
                answer = self._client.query_micropay(payment.payment_id)
            except TransientCloudError:
                continue
            except PermanentCloudError as exc:
                if exc.status == 404:
                    break  # the wallet never saw it: reverse so a late pay cannot land
                continue
            state = answer.get("trade_state")
            if state == "SUCCESS":
                self._succeed(order, payment, answer)
                return WalletOutcome(payment, "paid")
            if state in ("FAIL", "NOTPAY"):
                self._move(order, payment, PaymentState.FAILED)
                return WalletOutcome(payment, _failure(answer))
            if state == "REVOKED":
                self._move(order, payment, PaymentState.REVERSED)
                return WalletOutcome(payment, "the trade was reversed")
            log.debug("wallet trade undecided", extra={"trade": payment.payment_id, "n": check})
        return self.reverse(order, payment, why=why)

    def reverse(self, order: Order, payment: Payment, *, why: str = "") -> WalletOutcome:
        try:
            self._client.reverse_micropay(payment.payment_id)
        except (TransientCloudError, PermanentCloudError) as exc:
            self._move(order, payment, PaymentState.UNKNOWN)
            log.warning(
                "wallet reverse failed; left for the pending queue",
                extra={"trade": payment.payment_id, "error": str(exc)},
            )
            return WalletOutcome(
                payment,
                "the payment's result is unknown and it could not be reversed yet;"
                " the till keeps trying: take another payment method only after it is settled",
            )
        self._move(order, payment, PaymentState.REVERSED)
        log.info("wallet trade reversed", extra={"trade": payment.payment_id, "why": why})
        return WalletOutcome(payment, f"the payment was cancelled ({why or 'no result'})")

    # -- plumbing --------------------------------------------------------------------

    def _succeed(self, order: Order, payment: Payment, answer: dict[str, Any]) -> None:
        payment.trade_no = answer.get("trade_no") or payment.trade_no
        self._move(order, payment, PaymentState.SUCCEEDED)

    def _move(self, order: Order, payment: Payment, state: PaymentState) -> None:
        """Commit a state change; REVERSED from PENDING goes through UNKNOWN (the state
        machine's only way there)."""
        if payment.state is state or payment.state in _FINAL - {PaymentState.SUCCEEDED}:
            return
        now = self._clock()
        if state is PaymentState.REVERSED and payment.state is PaymentState.PENDING:
            payment.transition(PaymentState.UNKNOWN, now)
        payment.transition(state, now)
        self._orders.save(order, now)


def _failure(answer: dict[str, Any]) -> str:
    return f"the wallet declined the payment ({answer.get('message') or 'no reason given'})"
