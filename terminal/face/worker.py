"""The face worker: a thread that runs the pipeline on the camera's newest frame and tells
listeners what it saw.

It asks the ``FramePump`` for the newest frame it has not seen (a slow frame skips the
ones behind it instead of queueing them), runs ``FaceSession.update`` and emits one
``FaceEvent`` per frame: faces and boxes, guidance for the customer, liveness, and the
decision. Listeners run on the worker thread and must return quickly; the Qt bridge turns
events into signals. A listener that raises is logged and kept.

What must not live here: Qt, payment, anything that stores images.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from drivers.camera.pump import FramePump
from terminal.face.decide import Decision, Outcome
from terminal.face.detect import Face
from terminal.face.liveness import LivenessVerdict
from terminal.face.pipeline import FaceSession

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FaceEvent:
    seq: int  # the camera frame's number
    frame_time: float  # time.monotonic() when the frame was grabbed
    faces: tuple[Face, ...]
    primary: Face | None
    guidance: str  # "" or a short instruction: "come closer", "look at the screen", ...
    liveness: LivenessVerdict | None
    decision: Decision
    face_since: float | None  # monotonic time the current face first appeared
    timings_ms: dict[str, float]


Listener = Callable[[FaceEvent], None]


class FaceWorker:
    def __init__(self, pump: FramePump, session: FaceSession, *, idle_timeout_s: float = 0.5):
        self._pump = pump
        self._session = session
        self._idle_timeout_s = idle_timeout_s
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._commands: list[Callable[[FaceSession], None]] = []
        self._thread: threading.Thread | None = None
        self.frames = 0

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    # Session changes are queued and applied on the worker thread, between frames, so
    # the session is only ever touched by one thread.
    def narrow(self, last4: str) -> None:
        if len(last4) != 4 or not last4.isdigit():
            raise ValueError("the last 4 digits of a phone number are 4 digits")
        with self._lock:
            self._commands.append(lambda s: s.narrow(last4))

    def reset(self) -> None:
        with self._lock:
            self._commands.append(lambda s: s.reset())

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            raise RuntimeError("the face worker is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="face-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> bool:
        self._stop.set()
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout_s)
        if thread.is_alive():
            return False
        self._thread = None
        return True

    def _run(self) -> None:
        seq = 0
        while not self._stop.is_set():
            frame = self._pump.latest(seq, timeout=self._idle_timeout_s)
            if frame is None:
                if not self._pump.running:
                    self._stop.wait(self._idle_timeout_s)
                continue
            seq = frame.seq
            with self._lock:
                commands, self._commands = self._commands, []
            for command in commands:
                command(self._session)
            try:
                update = self._session.update(frame.image)
            except Exception:
                # A model error on one frame must not kill the till's camera path.
                log.exception("face pipeline failed on a frame", extra={"seq": seq})
                continue
            self.frames += 1
            analysis = update.analysis
            guidance = analysis.guidance
            if not guidance and update.decision.outcome is Outcome.SPOOF:
                guidance = "liveness check failed"
            self._emit(
                FaceEvent(
                    seq=seq,
                    frame_time=frame.timestamp,
                    faces=tuple(analysis.faces),
                    primary=analysis.primary.face,
                    guidance=guidance,
                    liveness=update.liveness,
                    decision=update.decision,
                    face_since=self._session.face_since,
                    timings_ms=dict(analysis.timings_ms),
                )
            )

    def _emit(self, event: FaceEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("face event listener failed", extra={"seq": event.seq})


def wait_for(
    worker: FaceWorker, predicate: Callable[[FaceEvent], bool], timeout_s: float
) -> FaceEvent | None:
    """The first event that satisfies ``predicate`` within ``timeout_s`` (tests, bench)."""
    found: list[FaceEvent] = []
    done = threading.Event()

    def listener(event: FaceEvent) -> None:
        if not done.is_set() and predicate(event):
            found.append(event)
            done.set()

    remove = worker.add_listener(listener)
    try:
        done.wait(timeout_s)
    finally:
        remove()
    return found[0] if found else None
