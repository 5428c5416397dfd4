"""``CameraScanner``: the camera as a barcode scanner, behind the same ``ScanSource``
interface as the serial one, so the till takes a code shown to the camera (a product, or
a WeChat Pay / Alipay code on the customer's phone) exactly like a scanned one.

A thread offers the pump's newest frames to a rate-limited ``FrameCodeReader`` (5 reads a
second by default, so the face pipeline keeps the cores). A code held up to the camera is
in many frames: it is one scan until it has been out of sight for ``repeat_after_ms``
(the serial scanner's duplicate rule, with a window fit for a phone held in front of a
lens). Several codes in one frame come nearest the customer's face first (``set_focus``).
Status: connected while the pump delivers frames.

What must not live here: what a code means (``terminal.domain.codes``), the camera
(``drivers/camera``).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

from drivers.camera import FramePump
from drivers.codes.reader import DecodedCode, FrameCodeReader
from drivers.listeners import join_worker
from drivers.scanner.aim import split_aim
from drivers.scanner.duplicates import DuplicateFilter
from drivers.scanner.events import ConnectionState, ScanEvent, ScannerStatus
from drivers.scanner.listeners import STOP_TIMEOUT_S, ListenedSource
from terminal.clock import utc_now
from terminal.domain.codes.wallet import safe_preview

log = logging.getLogger(__name__)

REPEAT_AFTER_MS = 2000
Focus = Callable[[], tuple[float, float] | None]
PORT_NAME = "camera"


class CameraScanner(ListenedSource):
    def __init__(
        self,
        pump: FramePump,
        reader: FrameCodeReader | None = None,
        *,
        repeat_after_ms: int = REPEAT_AFTER_MS,
        idle_timeout_s: float = 0.5,
    ) -> None:
        self._pump = pump
        self._reader = reader or FrameCodeReader()
        self._duplicates = DuplicateFilter(repeat_after_ms)
        self._idle_timeout_s = idle_timeout_s
        super().__init__(PORT_NAME)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = ConnectionState.DISCONNECTED
        self.reads = 0
        self._focus: Focus | None = None

    def set_focus(self, focus: Focus | None) -> None:
        """Where in the frame the customer being served is (the primary face's centre, in
        frame pixels; None: nobody): when a frame holds several codes they are emitted
        nearest first, so the one a gated step takes is the customer's, not the phone held
        up by the person behind."""
        self._focus = focus

    @property
    def status(self) -> ScannerStatus:
        return ScannerStatus(self._state, PORT_NAME)

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("the camera scanner is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="camera-codes", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        self._stop.set()
        if not join_worker(self._thread, timeout_s, worker="camera scanner"):
            return False
        self._thread = None
        return True

    def _run(self) -> None:
        seq = 0
        while not self._stop.is_set():
            if not self._reader.ready():
                self._stop.wait(0.02)  # not time to read yet: leave the frame alone
                continue
            frame = self._pump.latest(seq, timeout=self._idle_timeout_s)
            if frame is None:
                if not self._pump.running:
                    self._set_state(ConnectionState.DISCONNECTED)
                continue
            seq = frame.seq
            self._set_state(ConnectionState.CONNECTED)
            try:
                codes = self._reader.read(frame.image)
            except Exception:  # one bad frame must not end camera scanning
                log.exception("camera code read failed", extra={"seq": seq})
                continue
            self.reads += 1
            now_ns = time.monotonic_ns()
            for decoded in nearest_first(codes, self._focus() if self._focus else None):
                code, symbology, aim = split_aim(decoded.scan_text)
                if self._duplicates.is_duplicate(code, now_ns):
                    continue
                log.info("scan", extra={"port": PORT_NAME, "code": safe_preview(code)})
                self._scans.emit(ScanEvent(code, symbology, aim, utc_now(), now_ns))
        # On this thread, as every other status: listeners never hear two threads at once.
        self._set_state(ConnectionState.DISCONNECTED)

    def _set_state(self, state: ConnectionState) -> None:
        if state is not self._state:
            self._state = state
            self._statuses.emit(ScannerStatus(state, PORT_NAME))


def nearest_first(codes: list[DecodedCode], focus: tuple[float, float] | None) -> list[DecodedCode]:
    """``codes`` by the distance of their centre to ``focus`` (as read when no focus)."""
    if focus is None or len(codes) < 2:
        return codes
    fx, fy = focus

    def distance(code: DecodedCode) -> float:
        rect = code.rect
        return math.hypot(rect.left + rect.width / 2 - fx, rect.top + rect.height / 2 - fy)

    return sorted(codes, key=distance)
