"""Who hears a scanner: ``ScanSource``, the interface that ``ScannerReader``,
``FakeScanner`` and the camera's ``CameraScanner`` all offer, and ``ListenedSource``, the
listener half of it they share (built on ``drivers.listeners.Listeners``).

Callbacks run on the scanner's own thread. A callback that raises is logged and skipped:
a bug in one listener must not stop the thread that every other listener depends on.
What must not live here: the callback list itself (``drivers.listeners``), a thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, Self

from drivers.listeners import Listeners, Unsubscribe
from drivers.scanner.events import ScanEvent, ScannerProblem, ScannerStatus

# How long ``stop`` waits for a scanner's thread by default.
STOP_TIMEOUT_S = 5.0


class ScanSource(Protocol):
    """What the app needs from a scanner, real or fake."""

    def on_scan(self, callback: Callable[[ScanEvent], None]) -> Unsubscribe: ...

    def on_status(self, callback: Callable[[ScannerStatus], None]) -> Unsubscribe: ...

    def on_problem(self, callback: Callable[[ScannerProblem], None]) -> Unsubscribe: ...

    def start(self) -> None: ...

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """Stop the thread; True when it ended within ``timeout_s``."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...


class ListenedSource:
    """The listeners and the context manager of a ``ScanSource``; a subclass runs the
    thread (``start``/``stop``) and emits on ``_scans``, ``_statuses`` and ``_problems``.
    ``port`` names the scanner in the log of a failing listener."""

    def __init__(self, port: str) -> None:
        context = {"port": port}
        self._scans: Listeners[ScanEvent] = Listeners("scan", context=context)
        self._statuses: Listeners[ScannerStatus] = Listeners("scanner status", context=context)
        self._problems: Listeners[ScannerProblem] = Listeners("scanner problem", context=context)

    def on_scan(self, callback: Callable[[ScanEvent], None]) -> Unsubscribe:
        return self._scans.add(callback)

    def on_status(self, callback: Callable[[ScannerStatus], None]) -> Unsubscribe:
        return self._statuses.add(callback)

    def on_problem(self, callback: Callable[[ScannerProblem], None]) -> Unsubscribe:
        return self._problems.add(callback)

    def start(self) -> None:
        raise NotImplementedError

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
