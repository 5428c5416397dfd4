"""The sync worker: a thread that runs sync cycles until stopped, and wakes on demand.

It opens its own store connection (SQLite connections stay on their thread) and its own
HTTP client. Sending is tried every few seconds while entries wait (respecting each
entry's backoff), pulling once a minute; ``wake()`` runs a cycle now (the cashier's
"sync now", or a sale just committed). ``on_status`` listeners get a ``SyncStatus``
after each cycle, ``on_members_changed`` ones the number of member changes; both are
``drivers.listeners.Listeners``, so a listener that raises is logged and skipped and
cannot stop the worker.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlite_utils import Database

from drivers.listeners import Listeners, Unsubscribe, join_worker
from terminal.clock import Clock, utc_now
from terminal.sync.client import CloudClient
from terminal.sync.cycle import sync_once
from terminal.sync.member_keys import member_repository
from terminal.sync.registration import Registration
from terminal.sync.status import SyncStatus, read_status

log = logging.getLogger(__name__)

StatusListener = Callable[[SyncStatus], None]
MembersListener = Callable[[int], None]
# How long ``stop`` waits by default: a cycle in flight ends within the HTTP timeout.
STOP_TIMEOUT_S = 15.0


class SyncWorker:
    def __init__(
        self,
        open_db: Callable[[], Database],
        registration: Registration,
        *,
        send_every_s: float = 3.0,
        pull_every_s: float = 60.0,
        timeout_s: float = 10.0,
        clock: Clock = utc_now,
    ):
        self._open_db = open_db
        self._registration = registration
        self._send_every_s = send_every_s
        self._pull_every_s = pull_every_s
        self._timeout_s = timeout_s
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._statuses: Listeners[SyncStatus] = Listeners("sync status")
        self._member_changes: Listeners[int] = Listeners("members changed")
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self.cycles = 0

    def on_status(self, listener: StatusListener) -> Unsubscribe:
        """``listener(status)`` after each cycle, on the worker thread."""
        return self._statuses.add(listener)

    def on_members_changed(self, listener: MembersListener) -> Unsubscribe:
        """``listener(changes)`` after a pull that changed members (the face gallery
        reloads), or a send that merged an enrollment into another member."""
        return self._member_changes.add(listener)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """Stop after the cycle in flight; False when the thread did not end within
        ``timeout_s`` (a slow cloud call; logged). True as well if it never started."""
        self._stop.set()
        self._wake.set()
        return join_worker(self._thread, timeout_s, worker="sync worker")

    def _run(self) -> None:
        db = self._open_db()
        members = member_repository(db, self._registration)
        client = CloudClient(
            self._registration.cloud_url, self._registration.token, timeout_s=self._timeout_s
        )
        last_pull = float("-inf")
        try:
            while not self._stop.is_set():
                pull = time.monotonic() - last_pull >= self._pull_every_s or self._wake.is_set()
                self._wake.clear()
                try:
                    report = sync_once(db, client, members, pull=pull, clock=self._clock)
                    if report.pulled:
                        last_pull = time.monotonic()
                    if report.member_changes:
                        self._member_changes.emit(report.member_changes)
                except Exception:  # the worker must outlive any one bad cycle
                    log.exception("sync cycle failed")
                self.cycles += 1
                self._statuses.emit(read_status(db, self._clock(), registered=True))
                self._wake.wait(self._send_every_s)
        finally:
            client.close()
            db.close()
