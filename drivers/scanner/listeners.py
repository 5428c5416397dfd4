"""Who hears a scanner: ``Listeners`` (thread-safe callback lists), ``ScanSource``, the
interface that ``ScannerReader``, ``FakeScanner`` and the camera's ``CameraScanner`` all
offer, and ``ListenedSource``, the listener half of it they share.

Callbacks run on the scanner's own thread. A callback that raises is logged and skipped:
a bug in one listener must not stop the thread that every other listener depends on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, Protocol, Self, TypeVar

from drivers.scanner.events import ScanEvent, ScannerProblem, ScannerStatus

log = logging.getLogger(__name__)

E = TypeVar("E")
Unsubscribe = Callable[[], None]


class Listeners(Generic[E]):
    """Callbacks for one kind of event; ``add`` returns the function that removes it."""

    def __init__(self, kind: str) -> None:
        self._kind = kind
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

    def emit(self, event: E) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(event)
            except Exception:
                # Logged with the event's masked repr, never raised into the reader thread.
                log.exception(
                    "scanner listener failed",
                    extra={
                        "listener": getattr(callback, "__qualname__", repr(callback)),
                        "event_kind": self._kind,
                    },
                )


class ScanSource(Protocol):
    """What the app needs from a scanner, real or fake."""

    def on_scan(self, callback: Callable[[ScanEvent], None]) -> Unsubscribe: ...

    def on_status(self, callback: Callable[[ScannerStatus], None]) -> Unsubscribe: ...

    def on_problem(self, callback: Callable[[ScannerProblem], None]) -> Unsubscribe: ...

    def start(self) -> None: ...

    def stop(self, timeout: float = 5.0) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...


class ListenedSource:
    """The listeners and the context manager of a ``ScanSource``; a subclass runs the
    thread (``start``/``stop``) and emits on ``_scans``, ``_statuses`` and ``_problems``."""

    def __init__(self) -> None:
        self._scans: Listeners[ScanEvent] = Listeners("scan")
        self._statuses: Listeners[ScannerStatus] = Listeners("status")
        self._problems: Listeners[ScannerProblem] = Listeners("problem")

    def on_scan(self, callback: Callable[[ScanEvent], None]) -> Unsubscribe:
        return self._scans.add(callback)

    def on_status(self, callback: Callable[[ScannerStatus], None]) -> Unsubscribe:
        return self._statuses.add(callback)

    def on_problem(self, callback: Callable[[ScannerProblem], None]) -> Unsubscribe:
        return self._problems.add(callback)

    def start(self) -> None:
        raise NotImplementedError

    def stop(self, timeout: float = 5.0) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
