"""``FakeScanner``: types scans from a list or any iterable, for demos and app tests.

It plugs in where ``ScannerReader`` does (same listeners, ``start``/``stop``, context
manager) and emits from its own thread, as the real one does, so code that forgets which
thread a scan arrives on fails with the fake too. Texts may carry an AIM prefix. It does
not frame bytes or reconnect: to exercise those, drive the real reader with
``simulator.PtyScannerSimulator``.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable

from drivers.listeners import join_worker
from drivers.scanner.aim import split_aim
from drivers.scanner.events import ConnectionState, ScanEvent, ScannerStatus
from drivers.scanner.listeners import STOP_TIMEOUT_S, ListenedSource
from terminal.clock import utc_now


class FakeScanner(ListenedSource):
    def __init__(
        self, scans: Iterable[str] = (), *, delay_s: float = 0.3, port: str = "fake"
    ) -> None:
        self.port = port
        self._scans_in = scans
        self._delay_s = delay_s
        self._typed: queue.Queue[str] = queue.Queue()
        super().__init__(port)
        self._stopping = threading.Event()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def type(self, text: str) -> None:
        """Scan ``text`` now (after the initial scans), from the fake's thread."""
        self._typed.put(text)

    def wait_done(self, timeout: float = 5.0) -> bool:
        """Wait until every scan of the initial iterable has been emitted."""
        return self._done.wait(timeout)

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("the fake scanner is already running")
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="scanner-fake", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        self._stopping.set()
        return join_worker(self._thread, timeout_s, worker="fake scanner", port=self.port)

    def _run(self) -> None:
        self._statuses.emit(ScannerStatus(ConnectionState.CONNECTED, self.port))
        for text in self._scans_in:
            if self._stopping.wait(self._delay_s):
                break
            self._emit(text)
        self._done.set()
        while not self._stopping.is_set():
            try:
                text = self._typed.get(timeout=0.05)
            except queue.Empty:
                continue
            self._emit(text)
        self._statuses.emit(ScannerStatus(ConnectionState.DISCONNECTED, self.port, "stopped"))

    def _emit(self, text: str) -> None:
        code, symbology, aim = split_aim(text.strip())
        self._scans.emit(ScanEvent(code, symbology, aim, utc_now(), time.monotonic_ns()))
