"""``ScannerReader``: one thread per serial scanner, from bytes on the port to scan events.

The thread opens the port, reads with a short timeout (partial lines are kept across
timeouts by ``framing.LineAssembler``, which drops whole any line that carried bytes that
are not UTF-8 or control characters: one problem each, never a scan), splits AIM
prefixes, drops a repeat of the same code within the duplicate window and hands each scan
to the listeners. In host-trigger mode it arms the scanner on connect and re-arms it
after each scan.

Every exception on the port (unplugged device, EIO on a closed pty, a pyserial error,
a failed open) goes through ``_close_with_error``: the port is closed, the unfinished
line is dropped, the status goes to disconnected / reconnecting, and the thread retries
with exponential backoff until the device is back or ``stop()`` is called. Port I/O
happens on the reader thread only; other threads merely ask it to stop.

Logging never carries a full scanned code: ``safe_preview`` masks anything that could be
a payment code. What must not live here: what a scan means (``terminal.domain``), Qt.
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
from drivers.scanner.aim import split_aim
from drivers.scanner.duplicates import DuplicateFilter
from drivers.scanner.events import ConnectionState, ScanEvent, ScannerProblem, ScannerStatus
from drivers.scanner.framing import LineAssembler
from drivers.scanner.listeners import STOP_TIMEOUT_S, ListenedSource
from drivers.scanner.settings import TRIGGER_START, TRIGGER_STOP, ScannerSettings
from terminal.clock import utc_now
from terminal.domain.codes.wallet import safe_preview

log = logging.getLogger(__name__)


class SerialPort(Protocol):
    """What the reader uses of a pyserial port (``Serial`` or a ``serial_for_url`` class)."""

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1, /) -> bytes: ...

    def write(self, data: bytes, /) -> int | None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


PortOpener = Callable[[ScannerSettings], SerialPort]
# Bound on a write (trigger commands): a scanner with flow control stuck must not hang us.
_WRITE_TIMEOUT_S = 1.0


def open_serial_port(settings: ScannerSettings) -> SerialPort:
    """Open ``settings.port``: a device path (``/dev/ttyACM0``, a symlink) or a pyserial URL
    such as ``loop://``; the path is resolved on every open, so a re-pointed link is followed.
    """
    port = serial.serial_for_url(
        settings.port,
        baudrate=settings.baud,
        bytesize=settings.bytesize,
        parity=settings.parity,
        stopbits=settings.stopbits,
        timeout=settings.read_timeout_s,
        write_timeout=_WRITE_TIMEOUT_S,
    )
    # Every class serial_for_url returns has in_waiting; the stubs type it as SerialBase.
    return cast(SerialPort, port)


class ScannerReader(ListenedSource):
    """Reads one scanner on its own thread; see the module docstring for the life cycle."""

    def __init__(
        self,
        settings: ScannerSettings,
        *,
        open_port: PortOpener = open_serial_port,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self._open_port = open_port
        self._clock = clock
        super().__init__(settings.port)
        self._assembler = LineAssembler(settings.max_line_bytes)
        self._duplicates = DuplicateFilter(settings.duplicate_window_ms)
        self._problem_count = 0  # lines dropped so far (the reader thread's own)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        # Guards ``_port`` so that stop() can interrupt a read without racing the close.
        self._port_lock = threading.Lock()
        self._port: SerialPort | None = None
        self._status = ScannerStatus(ConnectionState.DISCONNECTED, settings.port, "not started")

    # -- listeners ---------------------------------------------------------------------

    @property
    def status(self) -> ScannerStatus:
        return self._status

    # -- life cycle --------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError(f"scanner reader for {self.settings.port} is already running")
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._run, name=f"scanner-{self.settings.port}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """Ask the thread to stop, wake it from a read, wait for it; the port is closed.
        False when the thread did not end within ``timeout_s`` (logged)."""
        self._stopping.set()
        with self._port_lock:
            port = self._port
            cancel = getattr(port, "cancel_read", None)
            if cancel is not None:
                try:
                    cancel()
                except Exception:  # the port may be failing at this very moment
                    log.debug("cancel_read failed", extra={"port": self.settings.port})
        return join_worker(
            self._thread, timeout_s, worker="scanner reader", port=self.settings.port
        )

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
                self._close(port, farewell=True)
        self._set_status(ConnectionState.DISCONNECTED, "stopped")

    def _pump(self, port: SerialPort) -> None:
        host_trigger = self.settings.trigger == "host"
        # A dropped (garbled) line re-arms the scanner once until the next good scan, so a
        # misread does not leave it switched off, and a scanner that echoes the trigger
        # (each echo a dropped line) cannot make the reader re-arm it for ever.
        rearmed_after_garbage = False
        if host_trigger:
            port.write(TRIGGER_START)
        while not self._stopping.is_set():
            # read(1) returns as soon as a byte is there (or at the timeout); the rest of
            # what has arrived is then taken in one read.
            data = port.read(1)
            if not data:
                continue
            waiting = port.in_waiting
            if waiting:
                data += port.read(waiting)
            now_ns = time.monotonic_ns()
            problems_before = self._problem_count
            emitted = self._handle(data, now_ns)
            if not host_trigger:
                continue
            if emitted:
                rearmed_after_garbage = False
                port.write(TRIGGER_START)
            elif self._problem_count > problems_before and not rearmed_after_garbage:
                rearmed_after_garbage = True
                port.write(TRIGGER_START)

    def _handle(self, data: bytes, now_ns: int) -> int:
        """Frame ``data`` and emit the scans it completes; returns how many were emitted."""
        framed = self._assembler.feed(data)
        self._problem_count += len(framed.problems)
        for problem in framed.problems:
            self._report(problem.kind, problem.describe(), **problem.log_fields())
        emitted = 0
        for line in framed.lines:
            code, symbology, aim = split_aim(line.strip(" "))
            code = code.strip(" ")
            if not code:
                self._report("empty_scan", f"a scan with an AIM prefix ({aim}) but no data")
                continue
            if self._duplicates.is_duplicate(code, now_ns):
                log.debug(
                    "duplicate scan suppressed",
                    extra={"port": self.settings.port, "code": safe_preview(code)},
                )
                continue
            event = ScanEvent(code, symbology, aim, self._clock(), now_ns)
            log.info(
                "scan",
                extra={
                    "port": self.settings.port,
                    "code": safe_preview(code),
                    "length": len(code),
                    "aim": aim,
                },
            )
            self._scans.emit(event)
            emitted += 1
        return emitted

    def _close_with_error(self, port: SerialPort | None, exc: BaseException) -> None:
        """The one way out of a failed open or a broken link: close, forget, report."""
        self._close(port, farewell=False)
        error = str(exc) or type(exc).__name__
        was_connected = self._status.state == ConnectionState.CONNECTED
        if was_connected:
            log.warning(
                "scanner disconnected",
                extra={
                    "port": self.settings.port,
                    "error": error,
                    "error_type": type(exc).__name__,
                },
            )
            self._set_status(ConnectionState.DISCONNECTED, error)
        elif self._status.error != error:
            log.info(
                "scanner not available, retrying",
                extra={"port": self.settings.port, "error": error},
            )
        if not self._stopping.is_set():
            self._set_status(ConnectionState.RECONNECTING, error)

    def _close(self, port: SerialPort | None, *, farewell: bool) -> None:
        with self._port_lock:
            self._port = None
            if port is not None:
                if farewell and self.settings.trigger == "host":
                    try:
                        port.write(TRIGGER_STOP)
                        port.flush()
                    except Exception as exc:
                        log.debug(
                            "could not send the trigger stop",
                            extra={"port": self.settings.port, "error": str(exc)},
                        )
                try:
                    port.close()
                except Exception as exc:
                    log.debug(
                        "closing the port failed",
                        extra={"port": self.settings.port, "error": str(exc)},
                    )
        dropped = self._assembler.reset()
        if dropped:
            self._report("cut_line", f"dropped an unfinished line of {dropped} bytes")
        # The same code read after a replug is a new scan, not a repeat.
        self._duplicates.forget()

    def _report(self, kind: str, detail: str, **fields: object) -> None:
        """Log and emit one problem; ``detail`` and ``fields`` must hold no scanned data."""
        log.warning(
            "scanner stream problem",
            extra={"port": self.settings.port, "problem": kind, "detail": detail, **fields},
        )
        self._problems.emit(ScannerProblem(kind, detail, self.settings.port))

    def _set_status(self, state: ConnectionState, error: str | None) -> None:
        status = ScannerStatus(state, self.settings.port, error)
        if status == self._status:
            return
        self._status = status
        if state == ConnectionState.CONNECTED:
            log.info("scanner connected", extra={"port": self.settings.port})
        self._statuses.emit(status)
