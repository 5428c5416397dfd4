"""``FakeScale``: a scale that reports the weights it is given, for demos and app tests.

It plugs in where ``ScaleReader`` does (same listeners, ``latest``, ``start``/``stop``,
context manager) and hears its weights on its own thread, as the real one does, so code
that forgets which thread a reading arrives on fails with the fake too. Like a real
scale it repeats its last weight every ``interval_s``, so ``latest(max_age_s)`` stays
fresh. It does not parse bytes or reconnect: to exercise those, drive the real reader
with ``simulator.PtyScaleSimulator``.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable

from drivers.listeners import join_worker
from drivers.scale.events import ConnectionState, ScaleReading, ScaleStatus, Weight
from drivers.scale.listeners import STOP_TIMEOUT_S, ListenedScale
from drivers.scale.settling import settling
from terminal.clock import utc_now


class FakeScale(ListenedScale):
    def __init__(
        self, weights: Iterable[Weight] = (), *, interval_s: float = 0.1, port: str = "fake"
    ) -> None:
        self.port = port
        self._weights_in = weights
        self._interval_s = interval_s
        self._placed: queue.Queue[Weight] = queue.Queue()
        super().__init__(port)
        self._stopping = threading.Event()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def put(self, weight: Weight) -> None:
        """Show ``weight`` next (after the initial weights), from the fake's thread."""
        self._placed.put(weight)

    def place(self, grams: int, *, unstable: int = 3) -> None:
        """Put an item of ``grams`` on the pan: moving readings, then a stable one."""
        for weight in settling(grams, unstable=unstable, stable=1):
            self.put(weight)

    def wait_done(self, timeout: float = 5.0) -> bool:
        """Wait until every weight of the initial iterable has been shown."""
        return self._done.wait(timeout)

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("the fake scale is already running")
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="scale-fake", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        self._stopping.set()
        return join_worker(self._thread, timeout_s, worker="fake scale", port=self.port)

    def _run(self) -> None:
        self._statuses.emit(ScaleStatus(ConnectionState.CONNECTED, self.port))
        last: Weight | None = None
        for weight in self._weights_in:
            if self._stopping.wait(self._interval_s):
                break
            last = self._show(weight)
        self._done.set()
        while not self._stopping.is_set():
            try:
                last = self._show(self._placed.get(timeout=self._interval_s))
            except queue.Empty:
                if last is not None:
                    self._show(last)
        self._forget()
        self._statuses.emit(ScaleStatus(ConnectionState.DISCONNECTED, self.port, "stopped"))

    def _show(self, weight: Weight) -> Weight:
        self._heard(ScaleReading(weight, self.port, utc_now(), time.monotonic_ns()))
        return weight
