"""The frame pump: one thread that reads a ``FrameSource`` and keeps only the newest frame.

Consumers (the face worker, the code reader) ask for ``latest(after_seq, timeout)`` and
get the newest frame they have not seen, so a slow consumer skips frames instead of
building a backlog; every frame it skips is counted as dropped. The pump measures the
frame rate it achieves, paces a file source at the file's own rate (and can loop it), and
reopens a source that stopped delivering - no frame for ``stall_timeout_s``, repeated read
failures, or a file that vanished - with exponential backoff, telling listeners through
``on_status`` callbacks (``drivers.listeners``: a listener that raises is logged and
skipped).

What must not live here: Qt (the UI bridge turns status events into signals), opening a
device (``source.py``), and anything that looks inside a frame.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import NamedTuple

from drivers.camera.source import FrameSource, Image
from drivers.listeners import Listeners, Unsubscribe, join_worker

log = logging.getLogger(__name__)

# Frames kept for the measured rate: about two seconds at camera rates.
_FPS_WINDOW = 60
# Pause after a failed read of a live source, so a dead device is not spun on.
_FAILED_READ_PAUSE_S = 0.02
# How long ``stop`` waits for the pump thread by default.
STOP_TIMEOUT_S = 5.0


class CameraState(enum.StrEnum):
    OPENING = "opening"
    LIVE = "live"  # frames are flowing
    STALLED = "stalled"  # the source stopped delivering; it will be reopened
    RECONNECTING = "reconnecting"  # opening failed; waiting before the next try
    ENDED = "ended"  # a file source reached its end and looping is off
    FAILED = "failed"  # gave up after max_open_attempts
    STOPPED = "stopped"


@dataclass(frozen=True)
class CameraStatus:
    """One change of the pump's state, as listeners receive it."""

    state: CameraState
    source: str
    detail: str = ""
    attempt: int = 0
    retry_in_s: float | None = None


class PumpFrame(NamedTuple):
    """A grabbed frame: ``timestamp`` is ``time.monotonic()`` when it was read. The image
    is shared by every consumer and marked read-only: copy it before drawing on it."""

    seq: int
    image: Image
    timestamp: float


@dataclass(frozen=True)
class PumpStats:
    frames: int  # frames grabbed since start
    dropped: int  # frames replaced before any consumer took them
    fps: float  # measured over the last frames
    reopens: int  # times the source was reopened after a stall or failure
    state: CameraState
    last_frame_age_s: float | None


StatusListener = Callable[[CameraStatus], None]


class _Outcome(enum.Enum):
    STOPPED = enum.auto()
    END_OF_FILE = enum.auto()
    STALLED = enum.auto()


class FramePump:
    """Reads ``source`` on its own thread; see the module docstring.

    ``pace`` defaults to True for sources that are not live (files, image sequences):
    they are played at their own frame rate (``default_fps`` when they do not say).
    """

    def __init__(
        self,
        source: FrameSource,
        *,
        loop: bool = True,
        pace: bool | None = None,
        default_fps: float = 15.0,
        stall_timeout_s: float = 3.0,
        max_read_failures: int = 50,
        backoff_initial_s: float = 0.5,
        backoff_max_s: float = 10.0,
        max_open_attempts: int | None = None,
    ) -> None:
        self._source = source
        self._loop = loop
        self._pace = (not source.is_live) if pace is None else pace
        self._default_fps = default_fps
        self._stall_timeout_s = stall_timeout_s
        self._max_read_failures = max_read_failures
        self._backoff_initial_s = backoff_initial_s
        self._backoff_max_s = backoff_max_s
        self._max_open_attempts = max_open_attempts

        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._latest: PumpFrame | None = None
        self._seq = 0
        self._taken_seq = 0
        self._dropped = 0
        self._reopens = 0
        self._times: deque[float] = deque(maxlen=_FPS_WINDOW)
        self._state = CameraState.STOPPED
        self._statuses: Listeners[CameraStatus] = Listeners(
            "camera status", context={"camera": source.name}
        )

    # -- consumers ------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._source.name

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def state(self) -> CameraState:
        return self._state

    def latest(self, after_seq: int = 0, timeout: float | None = None) -> PumpFrame | None:
        """The newest frame with ``seq > after_seq``, waiting up to ``timeout`` seconds
        (None: until one comes or the pump stops). None on timeout or when stopped."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._latest is None or self._latest.seq <= after_seq:
                if self._stop.is_set() or not self.running:
                    return None
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._cond.wait(remaining)
            self._taken_seq = max(self._taken_seq, self._latest.seq)
            return self._latest

    def stats(self) -> PumpStats:
        with self._cond:
            times = list(self._times)
            latest = self._latest
            frames, dropped = self._seq, self._dropped
        fps = 0.0
        if len(times) >= 2 and times[-1] > times[0]:
            fps = (len(times) - 1) / (times[-1] - times[0])
        age = None if latest is None else time.monotonic() - latest.timestamp
        return PumpStats(frames, dropped, fps, self._reopens, self._state, age)

    def on_status(self, listener: StatusListener) -> Unsubscribe:
        """Call ``listener`` (on the pump thread) at each state change; returns a function
        that removes it. A listener that raises is logged and kept; the pump goes on."""
        return self._statuses.add(listener)

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            raise RuntimeError(f"camera pump for {self.name} is already running")
        self._stop.clear()
        # Daemon: a read stuck in a driver must not keep the till from exiting.
        self._thread = threading.Thread(
            target=self._run, name=f"camera-pump {self.name}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """Stop the thread and release the source; False if the thread did not end within
        ``timeout_s`` (a read blocked in the driver: it exits when the read returns)."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if not join_worker(self._thread, timeout_s, worker="camera pump", camera=self.name):
            return False
        self._thread = None
        return True

    def __enter__(self) -> FramePump:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- the pump thread ------------------------------------------------------------

    def _run(self) -> None:
        attempt = 0
        rewinding = False
        try:
            while not self._stop.is_set():
                if not rewinding:  # a looping file reopens every few seconds: not news
                    self._emit(CameraState.OPENING, attempt=attempt)
                rewinding = False
                error = self._open()
                if error is not None:
                    attempt += 1
                    if self._max_open_attempts is not None and attempt >= self._max_open_attempts:
                        self._emit(CameraState.FAILED, error, attempt)
                        return
                    delay = self._backoff(attempt)
                    self._emit(CameraState.RECONNECTING, error, attempt, delay)
                    self._stop.wait(delay)
                    continue
                outcome, delivered = self._pump_frames()
                self._close()
                if delivered:
                    attempt = 0
                if outcome is _Outcome.STOPPED:
                    return
                if outcome is _Outcome.END_OF_FILE and delivered:
                    if not self._loop:
                        self._emit(CameraState.ENDED, "end of file")
                        return
                    rewinding = True  # by reopening: every backend supports that
                    continue
                # A stall, or a file that ended before giving a single frame.
                attempt += 1
                self._reopens += 1
                delay = self._backoff(attempt)
                detail = (
                    f"no frame for {self._stall_timeout_s:g} s"
                    if outcome is _Outcome.STALLED
                    else "the source gave no frame"
                )
                self._emit(CameraState.STALLED, detail, attempt, delay)
                self._stop.wait(delay)
        except Exception:
            # Not expected (sources' errors are handled above); logged once, and the
            # consumers see STOPPED rather than a pump that silently went quiet.
            log.exception("camera pump crashed", extra={"camera": self.name})
        finally:
            self._close()
            if self._state not in (CameraState.ENDED, CameraState.FAILED):
                self._emit(CameraState.STOPPED)
            with self._cond:
                self._cond.notify_all()

    def _open(self) -> str | None:
        """Open the source; the error message on failure."""
        try:
            self._source.open()
        except Exception as exc:  # CameraOpenError, or a backend's own error
            log.warning("camera open failed", extra={"camera": self.name, "error": str(exc)})
            return str(exc) or type(exc).__name__
        return None

    def _close(self) -> None:
        try:
            self._source.close()
        except Exception:
            log.exception("camera close failed", extra={"camera": self.name})

    def _read(self) -> Image | None:
        try:
            return self._source.read()
        except Exception as exc:
            log.warning("camera read failed", extra={"camera": self.name, "error": str(exc)})
            return None

    def _pump_frames(self) -> tuple[_Outcome, bool]:
        """Read until stopped, the file ends, or the source stalls; and whether any frame
        came since the open."""
        fps = self._source.fps() or self._default_fps
        interval = 1.0 / fps if self._pace else 0.0
        live = self._source.is_live
        delivered = False
        failures = 0
        last_frame = time.monotonic()
        next_due = last_frame
        while not self._stop.is_set():
            if interval:
                delay = next_due - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    break
            image = self._read()
            now = time.monotonic()
            if image is None:
                if not live:
                    return _Outcome.END_OF_FILE, delivered
                failures += 1
                if now - last_frame >= self._stall_timeout_s or failures >= self._max_read_failures:
                    return _Outcome.STALLED, delivered
                self._stop.wait(_FAILED_READ_PAUSE_S)
                continue
            if now - last_frame >= self._stall_timeout_s and live and delivered:
                # The read itself hung past the stall timeout: the device is suspect.
                log.warning(
                    "camera read took longer than the stall timeout",
                    extra={"camera": self.name, "seconds": round(now - last_frame, 2)},
                )
            failures = 0
            last_frame = now
            self._publish(image, now)
            if not delivered:
                delivered = True
                if self._state is not CameraState.LIVE:
                    self._emit(CameraState.LIVE, f"{fps:g} fps" if interval else "")
            if interval:
                next_due += interval
                # Fell more than a frame behind (a slow disk, a loaded CPU): restart the
                # schedule rather than rush frames out to catch up.
                if next_due < now - interval:
                    next_due = now
        return _Outcome.STOPPED, delivered

    def _publish(self, image: Image, now: float) -> None:
        image.flags.writeable = False
        with self._cond:
            if self._latest is not None and self._latest.seq > self._taken_seq:
                self._dropped += 1
            self._seq += 1
            self._latest = PumpFrame(self._seq, image, now)
            self._times.append(now)
            self._cond.notify_all()

    def _backoff(self, attempt: int) -> float:
        return float(min(self._backoff_max_s, self._backoff_initial_s * 2 ** (attempt - 1)))

    def _emit(
        self,
        state: CameraState,
        detail: str = "",
        attempt: int = 0,
        retry_in_s: float | None = None,
    ) -> None:
        self._state = state
        status = CameraStatus(state, self.name, detail, attempt, retry_in_s)
        log.info(
            "camera %s",
            state.value,
            extra={"camera": self.name, "state": state.value, "detail": detail, "attempt": attempt},
        )
        self._statuses.emit(status)
