"""``CloudExecutor``: the till's second thread, where every call to the cloud runs.

The store thread must answer the cashier at once whatever the cloud does, so the till's
cloud work (a wallet code or face payment, the pending-payments queue) runs here, on a
``CloudSide`` made on this thread (its own store connection), and hands its result back
to the store thread through ``then``. The cloud client reports each call's contact here
too: the first call that cannot reach the cloud marks the till offline and tells the
screens at once; the first that does, online again.

What must not live here: the checkout session or any sale rule (the store thread's).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from terminal.app.cloud_side import CloudSide
from terminal.app.tasks import Deliver, ErrorSink, TaskThread
from terminal.sync.client import Contact
from terminal.sync.status import SyncStatus

log = logging.getLogger(__name__)
R = TypeVar("R")
Then = Callable[[R | None, BaseException | None], None]


class CloudExecutor:
    def __init__(
        self,
        make_side: Callable[[], CloudSide],
        *,
        deliver: Deliver,
        on_unhandled: ErrorSink,
        on_status: Callable[[SyncStatus], None],
    ) -> None:
        self._make_side = make_side
        self._on_status = on_status
        self._tasks = TaskThread("till-cloud", deliver=deliver, on_unhandled=on_unhandled)
        self._side: CloudSide | None = None
        self._lock = threading.Lock()
        self._resolving = False
        self._last_status: SyncStatus | None = None
        self._overdue_shown = False

    @property
    def running(self) -> bool:
        return self._tasks.running

    def start(self) -> None:
        self._tasks.start()

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Finish the work queued (a payment in flight finishes), then close the side."""
        if not self._tasks.running:
            return True
        self._tasks.step(self._close)
        return self._tasks.stop(timeout_s)

    def run(self, work: Callable[[CloudSide], R], then: Then[R]) -> None:
        """``work(side)`` on the cloud thread; then ``then(result, error)`` there (it posts
        to the store thread). A fault is logged here once; a refusal is the caller's."""

        def step() -> None:
            try:
                result = work(self._side_now())
            except Exception as exc:
                log.exception("cloud work failed")
                then(None, exc)
                return
            then(result, None)

        self._tasks.step(step)

    def begin_resolving(self) -> bool:
        """Claim the pending-payments queue; False while a resolution is in flight."""
        with self._lock:
            if self._resolving:
                return False
            self._resolving = True
            return True

    def end_resolving(self) -> None:
        with self._lock:
            self._resolving = False

    def note_contact(self, contact: Contact) -> None:
        """A cloud call's contact (on the cloud thread, where the till's client is used;
        an overdue answer is reported from the client's timer thread instead)."""
        side = self._side
        if side is None:
            return
        if contact.overdue:
            # Not this thread's store connection to write on: show offline from the last
            # status sent; the call's own end records what really happened.
            with self._lock:
                last, self._overdue_shown = self._last_status, self._last_status is not None
            if last is not None and last.online is not False:
                self._on_status(dataclasses.replace(last, online=False, last_error=contact.error))
            return
        with self._lock:
            shown, self._overdue_shown = self._overdue_shown, False
        if side.note_contact(contact) or shown:
            self._send_status(side.status())

    def _send_status(self, status: SyncStatus) -> None:
        with self._lock:
            self._last_status = status
        self._on_status(status)

    def _side_now(self) -> CloudSide:
        if self._side is None:
            self._side = self._make_side()
            with self._lock:  # what an overdue call adapts until a status is sent
                self._last_status = self._last_status or self._side.status()
        return self._side

    def _close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
