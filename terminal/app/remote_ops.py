"""``RemoteOps``: the till's operations that span its two threads. A tender the cloud
answers (a wallet code, a face payment) is staged on the store thread, carried out on the
cloud thread (``CloudExecutor``) and settled back on the store thread; the pending-payments
queue is asked on the cloud thread and its answers applied on the store thread. Each end
on the store thread publishes the sale, as every till mutation does.

While a sale's payment is out, that sale refuses every other change
(``till.payment_in_progress``); other work (a new scan of the next sale after parking,
queries) goes on.

What must not live here: the session's rules (``checkout.py``), cloud calls themselves
(``cloud_side.py``), Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from terminal.app.cloud_executor import CloudExecutor
from terminal.app.cloud_side import CloudSide
from terminal.app.open_till import OpenTill
from terminal.app.recovery import recover_order
from terminal.app.remote_tender import RemoteResult, RemoteTender
from terminal.app.sale_view import SaleView
from terminal.app.tasks import Pending, TaskThread
from terminal.app.tender_result import TenderResult
from terminal.clock import Clock
from terminal.errors import TillError
from terminal.payments.pending_queue import Resolution

log = logging.getLogger(__name__)
T = TypeVar("T")


class RemoteOps:
    def __init__(
        self,
        store: TaskThread,
        cloud: CloudExecutor,
        require_open: Callable[[], OpenTill],
        publish: Callable[[SaleView], None],
        clock: Clock,
    ) -> None:
        self._tasks = store
        self._cloud_thread = cloud
        self._require_open = require_open
        self._publish = publish
        self._clock = clock
        self._remote_order: str | None = None  # the sale whose payment is out (store thread)

    def refuse_while_out(self, till: OpenTill) -> None:
        """On the store thread: refuse a change to the sale whose payment is out."""
        order = till.session.order
        if order is not None and order.order_no == self._remote_order:
            raise TillError("till.payment_in_progress", order_no=order.order_no)

    def tender(
        self,
        name: str,
        stage: Callable[[OpenTill], RemoteTender],
        finish: Callable[[TenderResult, OpenTill], T],
    ) -> Pending[T]:
        """A tender the cloud answers: staged on the store thread, carried out on the
        cloud thread, settled back on the store thread (which publishes at each end)."""
        pending: Pending[T]
        pending, fulfil = self._tasks.promise(name)

        def staged() -> None:
            till = self._require_open()
            try:
                self.refuse_while_out(till)
                tender = stage(till)
            except Exception as exc:
                _log_fault(exc, name)
                self._publish(till.view())
                fulfil(None, exc)
                return
            self._remote_order = tender.order_no
            self._publish(till.view())
            self._cloud_thread.run(
                lambda side: side.carry_out(tender),
                lambda result, error: self._tasks.step(lambda: settled(result, error)),
            )

        def settled(result: RemoteResult | None, error: BaseException | None) -> None:
            till = self._require_open()
            self._remote_order = None
            before = till.session.order
            try:
                if result is None:
                    till.session.refresh()
                    raise error or TillError("till.refused")
                fulfil(finish(till.session.settle_remote(result), till), None)
            except Exception as exc:
                _log_fault(exc, name)
                fulfil(None, exc)
            finally:
                till.note_finished(before)
                self._publish(till.view())

        self._tasks.step(staged)
        return pending

    def resolve_pending(self, *, enabled: bool) -> Pending[list[Resolution]]:
        """The pending-payments queue on the cloud thread; see ``Till.resolve_pending``."""
        pending: Pending[list[Resolution]]
        pending, fulfil = self._tasks.promise("resolve_pending")
        if not enabled or not self._cloud_thread.begin_resolving():
            fulfil([], None)
            return pending

        def settle(resolved: list[Resolution] | None, error: BaseException | None) -> None:
            self._cloud_thread.end_resolving()
            till = self._require_open()
            before = till.session.order
            try:
                if error is not None:
                    raise error
                finish_resolved(till, resolved or [], self._remote_order, self._clock())
                fulfil(resolved or [], None)
            except Exception as exc:
                fulfil(None, exc)
            finally:
                till.note_finished(before)
                self._publish(till.view())

        self._cloud_thread.run(
            lambda side: side.resolve_pending() if side.online else [],
            lambda resolved, error: self._tasks.step(lambda: settle(resolved, error)),
        )
        return pending

    def call(self, name: str, work: Callable[[CloudSide], T]) -> Pending[T]:
        """``work`` on the cloud thread (a request that is not a tender: a member's own
        request to be forgotten, say), its answer delivered like any till operation's."""
        pending: Pending[T]
        pending, fulfil = self._tasks.promise(name)
        self._cloud_thread.run(
            work, lambda result, error: self._tasks.step(lambda: fulfil(result, error))
        )
        return pending


def as_is(result: TenderResult, _till: OpenTill) -> TenderResult:
    return result


def paid_view(result: TenderResult, till: OpenTill) -> SaleView:
    """A payment code scanned at the till: the sale's view once paid, else its refusal."""
    if not result.paid:
        raise result.refusal()
    till.note_finished(result.order)
    return till.view()


def _log_fault(error: BaseException, name: str) -> None:
    if not isinstance(error, TillError):
        log.error("till operation failed", exc_info=error, extra={"task": name})


def finish_resolved(
    till: OpenTill, resolved: list[Resolution], busy_order: str | None, now: datetime
) -> None:
    """After the queue settled payments: the sale in progress is brought up to date (and
    closed if now paid); a parked or pre-restart sale is finished by the recovery rules
    (completed if the money moved, cancelled if not)."""
    current = till.session.order
    for order_no in dict.fromkeys(r.order_no for r in resolved):
        if current is not None and current.order_no == order_no:
            if order_no != busy_order:
                till.session.refresh()
            continue
        order = till.orders.load(order_no)
        if not order.is_final:
            recover_order(till.orders, order, now)
