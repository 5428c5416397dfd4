"""Who hears a scale: ``WeightSource``, the interface that ``ScaleReader`` and
``FakeScale`` offer, and ``ListenedScale``, the listener half they share (built on
``drivers.listeners.Listeners``) with the newest reading kept for a query.

A scale talks all the time (several frames a second), so a source emits a reading only
when the weight changed (value, stable flag, state, tare or net), and keeps the newest
one, refreshed on every frame, for ``latest(max_age_s)``: the till asks for it when the
cashier presses "weigh", and a reading older than it accepts (a scale that went quiet)
counts as none. Callbacks run on the scale's own thread; one that raises is logged and
skipped. What must not live here: the callback list itself, a thread, the port.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol, Self

from drivers.listeners import Listeners, Unsubscribe
from drivers.scale.events import ScaleProblem, ScaleReading, ScaleStatus

# How long ``stop`` waits for a scale's thread by default.
STOP_TIMEOUT_S = 5.0


class WeightSource(Protocol):
    """What the app needs from a scale, real or fake."""

    def on_reading(self, callback: Callable[[ScaleReading], None]) -> Unsubscribe: ...

    def on_status(self, callback: Callable[[ScaleStatus], None]) -> Unsubscribe: ...

    def on_problem(self, callback: Callable[[ScaleProblem], None]) -> Unsubscribe: ...

    def latest(self, max_age_s: float | None = None) -> ScaleReading | None:
        """The newest reading, if one came within ``max_age_s`` (None: any age)."""
        ...

    def start(self) -> None: ...

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """Stop the thread; True when it ended within ``timeout_s``."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...


class ListenedScale:
    """The listeners, the newest reading and the context manager of a ``WeightSource``;
    a subclass runs the thread and calls ``_heard`` for each frame's reading."""

    def __init__(self, port: str) -> None:
        context = {"port": port}
        self._readings: Listeners[ScaleReading] = Listeners("scale reading", context=context)
        self._statuses: Listeners[ScaleStatus] = Listeners("scale status", context=context)
        self._problems: Listeners[ScaleProblem] = Listeners("scale problem", context=context)
        # Written by the scale's thread, read by any: one reference, swapped whole.
        self._latest: ScaleReading | None = None
        self._lock = threading.Lock()

    def on_reading(self, callback: Callable[[ScaleReading], None]) -> Unsubscribe:
        return self._readings.add(callback)

    def on_status(self, callback: Callable[[ScaleStatus], None]) -> Unsubscribe:
        return self._statuses.add(callback)

    def on_problem(self, callback: Callable[[ScaleProblem], None]) -> Unsubscribe:
        return self._problems.add(callback)

    def latest(self, max_age_s: float | None = None) -> ScaleReading | None:
        with self._lock:
            reading = self._latest
        if reading is None or max_age_s is None:
            return reading
        age_ns = time.monotonic_ns() - reading.monotonic_ns
        return reading if age_ns <= max_age_s * 1e9 else None

    def _heard(self, reading: ScaleReading) -> None:
        """Keep ``reading`` as the newest; tell the listeners when its weight changed."""
        with self._lock:
            previous = self._latest
            self._latest = reading
        if previous is None or previous.weight != reading.weight:
            self._readings.emit(reading)

    def _forget(self) -> None:
        """The link went down: no reading until the scale speaks again."""
        with self._lock:
            self._latest = None

    def start(self) -> None:
        raise NotImplementedError

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
