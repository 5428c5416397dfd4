"""``ScaleReader``: one thread per serial scale, from bytes on the port to weight readings.

The thread opens the port, reads with a short timeout (a frame split across reads is
kept by ``toledo.ToledoFrames``, which drops and reports whatever is not a good frame),
and hands each frame's weight to ``ListenedScale._heard``: listeners hear a reading when
the weight changed, ``latest()`` always has the newest. Problems are logged and emitted,
the same kind at most once per ``settings.problem_interval_s`` with a count of those
held back, so a scale with a wrong setting cannot flood the log.

Every exception on the port (unplugged device, EIO on a closed pty, a pyserial error, a
failed open) goes through ``_close_with_error``: the port is closed, the unfinished frame
is dropped and reported, the newest reading is forgotten (an unplugged scale weighs
nothing), the status goes to disconnected / reconnecting, and the thread retries with
exponential backoff until the scale is back or ``stop()`` is called. Port I/O happens on
the reader thread only; other threads merely ask it to stop. The scale is only read:
nothing is ever written to it. What must not live here: the frame format
(``toledo.py``), what a weight costs (``terminal.domain.weighing``), Qt.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Protocol, cast

import serial

from drivers.listeners import join_worker
from drivers.scale.events import ConnectionState, ScaleProblem, ScaleReading, ScaleStatus
from drivers.scale.listeners import STOP_TIMEOUT_S, ListenedScale
from drivers.scale.settings import ScaleSettings
from drivers.scale.toledo import FrameProblem, ToledoFrames
from terminal.clock import utc_now

log = logging.getLogger(__name__)


class SerialPort(Protocol):
    """What the reader uses of a pyserial port (``Serial`` or a ``serial_for_url`` class)."""

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1, /) -> bytes: ...

    def close(self) -> None: ...


PortOpener = Callable[[ScaleSettings], SerialPort]


def open_serial_port(settings: ScaleSettings) -> SerialPort:
    """Open ``settings.port``: a device path (``/dev/ttyUSB0``, a symlink) or a pyserial
    URL such as ``loop://``; the path is resolved on every open, so a re-pointed link is
    followed."""
    port = serial.serial_for_url(
        settings.port,
        baudrate=settings.baud,
        bytesize=settings.bytesize,
        parity=settings.parity,
        stopbits=settings.stopbits,
        timeout=settings.read_timeout_s,
    )
    # Every class serial_for_url returns has in_waiting; the stubs type it as SerialBase.
    return cast(SerialPort, port)


class ScaleReader(ListenedScale):
    """Reads one scale on its own thread; see the module docstring for the life cycle."""

    def __init__(
        self,
        settings: ScaleSettings,
        *,
        open_port: PortOpener = open_serial_port,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self._open_port = open_port
        self._clock = clock
        super().__init__(settings.port)
        self._frames = ToledoFrames(with_checksum=settings.checksum)
        # kind -> (when it was last reported, how many were held back since)
        self._reported: dict[str, tuple[int, int]] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        # Guards ``_port`` so that stop() can interrupt a read without racing the close.
        self._port_lock = threading.Lock()
        self._port: SerialPort | None = None
        self._status = ScaleStatus(ConnectionState.DISCONNECTED, settings.port, "not started")

    @property
    def status(self) -> ScaleStatus:
        return self._status

    # -- life cycle --------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError(f"scale reader for {self.settings.port} is already running")
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._run, name=f"scale-{self.settings.port}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """Ask the thread to stop, wake it from a read, wait for it; the port is closed.
        False when the thread did not end within ``timeout_s`` (logged)."""
        self._stopping.set()
        with self._port_lock:
            cancel = getattr(self._port, "cancel_read", None)
            if cancel is not None:
                try:
                    cancel()
                except Exception:  # the port may be failing at this very moment
                    log.debug("cancel_read failed", extra={"port": self.settings.port})
        return join_worker(self._thread, timeout_s, worker="scale reader", port=self.settings.port)

    # -- the thread --------------------------------------------------------------------

    def _run(self) -> None:
        delay = self.settings.reconnect_min_s
        while not self._stopping.is_set():
            port: SerialPort | None = None
            try:
                port = self._open_port(self.settings)
                with self._port_lock:
                    self._port = port
                delay = self.settings.reconnect_min_s
                self._set_status(ConnectionState.CONNECTED, None)
                self._pump(port)
            except Exception as exc:
                self._close_with_error(port, exc)
                self._stopping.wait(delay)
                delay = min(delay * 2, self.settings.reconnect_max_s)
            else:
                self._close(port)
        self._set_status(ConnectionState.DISCONNECTED, "stopped")

    def _pump(self, port: SerialPort) -> None:
        while not self._stopping.is_set():
            # read(1) returns as soon as a byte is there (or at the timeout); the rest of
            # what has arrived is then taken in one read.
            data = port.read(1)
            if not data:
                continue
            waiting = port.in_waiting
            if waiting:
                data += port.read(waiting)
            self._handle(data, time.monotonic_ns())

    def _handle(self, data: bytes, now_ns: int) -> None:
        decoded = self._frames.feed(data)
        for problem in decoded.problems:
            self._report(problem, now_ns)
        for weight in decoded.weights:
            self._heard(ScaleReading(weight, self.settings.port, self._clock(), now_ns))

    def _close_with_error(self, port: SerialPort | None, exc: BaseException) -> None:
        """The one way out of a failed open or a broken link: close, forget, report."""
        self._close(port)
        error = str(exc) or type(exc).__name__
        if self._status.state == ConnectionState.CONNECTED:
            log.warning(
                "scale disconnected",
                extra={
                    "port": self.settings.port,
                    "error": error,
                    "error_type": type(exc).__name__,
                },
            )
            self._set_status(ConnectionState.DISCONNECTED, error)
        elif self._status.error != error:
            log.info(
                "scale not available, retrying",
                extra={"port": self.settings.port, "error": error},
            )
        if not self._stopping.is_set():
            self._set_status(ConnectionState.RECONNECTING, error)

    def _close(self, port: SerialPort | None) -> None:
        with self._port_lock:
            self._port = None
            if port is not None:
                try:
                    port.close()
                except Exception as exc:
                    log.debug(
                        "closing the port failed",
                        extra={"port": self.settings.port, "error": str(exc)},
                    )
        self._forget()
        now_ns = time.monotonic_ns()
        for problem in self._frames.reset():
            self._report(problem, now_ns)
        # A problem after a replug is news again.
        self._reported.clear()

    def _report(self, problem: FrameProblem, now_ns: int) -> None:
        """Log and emit ``problem``, unless one of its kind was reported within
        ``problem_interval_s``; then it is counted and named in the next report."""
        interval_ns = int(self.settings.problem_interval_s * 1e9)
        previous = self._reported.get(problem.kind)
        if previous is not None and now_ns - previous[0] < interval_ns:
            self._reported[problem.kind] = (previous[0], previous[1] + 1)
            return
        held_back = previous[1] if previous is not None else 0
        self._reported[problem.kind] = (now_ns, 0)
        detail = problem.describe()
        if held_back:
            detail += f" ({held_back} more like it since the last report)"
        log.warning(
            "scale stream problem",
            extra={
                "port": self.settings.port,
                "problem": problem.kind,
                "detail": detail,
                "held_back": held_back,
                **problem.log_fields(),
            },
        )
        self._problems.emit(ScaleProblem(problem.kind, detail, self.settings.port))

    def _set_status(self, state: ConnectionState, error: str | None) -> None:
        status = ScaleStatus(state, self.settings.port, error)
        if status == self._status:
            return
        self._status = status
        if state == ConnectionState.CONNECTED:
            log.info("scale connected", extra={"port": self.settings.port})
        self._statuses.emit(status)
