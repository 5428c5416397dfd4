"""What every worker thread offers its owner: ``Listeners``, the one callback list behind
its ``on_<event>(callback) -> Unsubscribe`` methods, and ``join_worker``, the end of its
``stop(timeout_s) -> bool``.

Every worker (scanner reader, camera pump, camera scanner, face worker, sync worker)
subscribes the same way and stops the same way: ``stop`` asks the thread to end, waits
up to ``timeout_s`` and says whether it did (a thread that did not is logged). Callbacks
run on the worker's own thread. A callback that raises is logged and skipped (it stays
subscribed): a bug in one listener must not end the thread that every other listener
depends on.

It lives at the top of ``drivers`` so that drivers and ``terminal`` both use it (drivers
never import ``terminal``). What must not live here: any one device's events or threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

E = TypeVar("E")
Unsubscribe = Callable[[], None]


class Listeners(Generic[E]):
    """Callbacks for one kind of event; ``add`` returns the function that removes it.

    ``kind`` names the event in the log ("scan", "camera status", "face event");
    ``context`` adds structured fields to that log line (the port, the camera).
    """

    def __init__(self, kind: str, *, context: Mapping[str, object] | None = None) -> None:
        self._kind = kind
        self._context = dict(context or {})
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[E], None]] = []

    def add(self, callback: Callable[[E], None]) -> Unsubscribe:
        with self._lock:
            self._callbacks.append(callback)

        def remove() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return remove

    def __len__(self) -> int:
        """How many callbacks are subscribed (0: nobody would hear an event)."""
        with self._lock:
            return len(self._callbacks)

    def emit(self, event: E) -> None:
        """Call every callback with ``event`` on this thread, in the order they were added."""
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(event)
            except Exception:
                # Logged without the event itself (a scan may be a payment code), never
                # raised into the worker's thread.
                log.exception(
                    "%s listener failed",
                    self._kind,
                    extra={
                        **self._context,
                        "listener": getattr(callback, "__qualname__", repr(callback)),
                        "event_kind": self._kind,
                    },
                )


def join_worker(
    thread: threading.Thread | None, timeout_s: float, *, worker: str, **fields: object
) -> bool:
    """Wait up to ``timeout_s`` for ``thread`` (already asked to stop) to end: True when it
    did or never ran; False, logged with ``worker`` and ``fields``, when it is still
    running (a daemon stuck in a driver call: it ends when the call returns)."""
    if thread is None or thread.ident is None:
        return True
    if thread is threading.current_thread():
        # Stopped from one of its own listeners: it ends once that callback returns.
        log.warning("%s asked to stop from its own thread", worker, extra=fields)
        return False
    thread.join(timeout_s)
    if thread.is_alive():
        log.warning("%s did not stop in time", worker, extra={**fields, "timeout_s": timeout_s})
        return False
    return True
