"""The face worker: a thread that runs the pipeline on the camera's newest frame and tells
listeners what it saw.

It asks the ``FramePump`` for the newest frame it has not seen (a slow frame skips the
ones behind it instead of queueing them), runs ``FaceSession.update`` and emits one
``FaceEvent`` per frame: faces and boxes, guidance for the customer, liveness, and the
decision. Subscribe with ``on_event`` (a ``drivers.listeners.Listeners``); listeners
run on the worker thread and must return quickly; the Qt bridge turns events into
signals. A listener that raises is logged and skipped (it stays subscribed).

What must not live here: Qt, payment, anything that stores images.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from drivers.camera.pump import FramePump
from drivers.listeners import Listeners, Unsubscribe, join_worker
from terminal.domain.face_probe import FaceProbe
from terminal.face.decide import Decision, Outcome
from terminal.face.detect import Face
from terminal.face.embed import Embedding, normalize
from terminal.face.enroll import MIN_GOOD_FRAMES, combine
from terminal.face.errors import EnrollmentRefused
from terminal.face.liveness import LivenessVerdict
from terminal.face.pipeline import FaceSession, SessionUpdate

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FaceEvent:
    seq: int  # the camera frame's number
    frame_time: float  # time.monotonic() when the frame was grabbed
    frame_size: tuple[int, int]  # width, height in pixels (what the boxes refer to)
    faces: tuple[Face, ...]
    primary: Face | None
    guidance: str  # "" or a short instruction: "come closer", "look at the screen", ...
    guidance_code: str  # the same as a code: a QualityCode value, "crowded", "spoof" or ""
    liveness: LivenessVerdict | None
    decision: Decision
    face_since: float | None  # monotonic time the current face first appeared
    timings_ms: dict[str, float]
    # On a PAY decision: the evidence a payment carries to the cloud (the mean of the
    # face's last good frames, and its liveness score).
    probe: FaceProbe | None = None


Listener = Callable[[FaceEvent], None]
TemplateResult = Embedding | EnrollmentRefused
# Frames kept for an enrollment template: the customer has stood there a moment before
# they accept, so the template comes from frames already seen, and a few new ones at most.
_KEEP_GOOD = 8
_TEMPLATE_WAIT_FRAMES = 40
# Good frames a payment's probe averages: the frames the decision voted on, about.
PROBE_FRAMES = 3
# How long ``stop`` waits for the worker thread by default: a frame in flight finishes.
STOP_TIMEOUT_S = 5.0


class FaceWorker:
    def __init__(self, pump: FramePump, session: FaceSession, *, idle_timeout_s: float = 0.5):
        self._pump = pump
        self._session = session
        self._idle_timeout_s = idle_timeout_s
        self._events: Listeners[FaceEvent] = Listeners("face event")
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._commands: list[Callable[[FaceSession], None]] = []
        self._thread: threading.Thread | None = None
        self.frames = 0
        # (quality score, embedding, liveness score) of the current face's good frames.
        self._good: deque[tuple[float, Embedding, float]] = deque(maxlen=_KEEP_GOOD)
        self._template_requests: list[tuple[Callable[[TemplateResult], None], int]] = []

    def on_event(self, listener: Listener) -> Unsubscribe:
        """Call ``listener`` with each frame's ``FaceEvent``, on the worker thread."""
        return self._events.add(listener)

    # Session changes are queued and applied on the worker thread, between frames, so
    # the session is only ever touched by one thread.
    def narrow(self, last4: str) -> None:
        if len(last4) != 4 or not last4.isdigit():
            raise ValueError("the last 4 digits of a phone number are 4 digits")
        with self._lock:
            self._commands.append(lambda s: s.narrow(last4))

    def reset(self) -> None:
        """A new customer: forget the votes, the liveness, the digits and the frames."""
        with self._lock:
            self._commands.append(lambda s: s.reset())
            self._good.clear()

    def request_template(self, callback: Callable[[TemplateResult], None]) -> None:
        """An enrollment template of the face at the till, from its good frames (waiting
        for a few more if needed); ``callback`` runs on the worker thread with the
        ``Embedding`` or the ``EnrollmentRefused`` that says why not."""
        with self._lock:
            self._template_requests.append((callback, _TEMPLATE_WAIT_FRAMES))

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            raise RuntimeError("the face worker is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="face-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """Stop after the frame in hand; False when the thread did not end within
        ``timeout_s`` (a model call still running; logged)."""
        self._stop.set()
        if not join_worker(self._thread, timeout_s, worker="face worker"):
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
            self._keep_good(update)
            self._answer_template_requests()
            analysis = update.analysis
            guidance = analysis.guidance
            if analysis.primary.crowded:
                code = "crowded"
            elif analysis.quality is not None and not analysis.quality.ok:
                code = analysis.quality.code.value
            else:
                code = ""
            if not guidance and update.decision.outcome is Outcome.SPOOF:
                guidance, code = "liveness check failed", "spoof"
            self._events.emit(
                FaceEvent(
                    seq=seq,
                    frame_time=frame.timestamp,
                    frame_size=(int(frame.image.shape[1]), int(frame.image.shape[0])),
                    faces=tuple(analysis.faces),
                    primary=analysis.primary.face,
                    guidance=guidance,
                    guidance_code=code,
                    liveness=update.liveness,
                    decision=update.decision,
                    face_since=self._session.face_since,
                    timings_ms=dict(analysis.timings_ms),
                    probe=self._probe(update),
                )
            )

    def _keep_good(self, update: SessionUpdate) -> None:
        analysis = update.analysis
        with self._lock:
            if self._session.face_since is None:
                self._good.clear()  # the customer left: their frames go with them
                return
            quality = analysis.quality
            if (
                quality is not None
                and quality.ok
                and not analysis.primary.crowded
                and analysis.embedding is not None
                and analysis.liveness is not None
            ):
                self._good.append((quality.score, analysis.embedding, analysis.liveness))

    def _probe(self, update: SessionUpdate) -> FaceProbe | None:
        if update.decision.outcome is not Outcome.PAY or update.liveness is None:
            return None
        with self._lock:
            recent = list(self._good)[-PROBE_FRAMES:]
        if not recent:
            return None
        vectors = np.stack([embedding.vector for _, embedding, _ in recent])
        mean = normalize(vectors.mean(axis=0))
        liveness = min(1.0, max(0.0, float(update.liveness.score)))
        return FaceProbe(recent[-1][1].model, mean.astype("<f4").tobytes(), liveness)

    def _answer_template_requests(self) -> None:
        with self._lock:
            if not self._template_requests:
                return
            good = list(self._good)
            requests, self._template_requests = self._template_requests, []
        waiting: list[tuple[Callable[[TemplateResult], None], int]] = []
        for callback, frames_left in requests:
            result: TemplateResult
            if len(good) < MIN_GOOD_FRAMES and frames_left > 0:
                waiting.append((callback, frames_left - 1))
                continue
            if len(good) < MIN_GOOD_FRAMES:
                result = EnrollmentRefused(
                    "no_face", f"only {len(good)} good frame(s); look at the camera"
                )
            else:
                try:
                    result = combine(good, liveness_real=self._session.liveness.threshold)
                except EnrollmentRefused as refused:
                    result = refused
            try:
                callback(result)
            except Exception:
                log.exception("template callback failed")
        if waiting:
            with self._lock:
                self._template_requests.extend(waiting)


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

    remove = worker.on_event(listener)
    try:
        done.wait(timeout_s)
    finally:
        remove()
    return found[0] if found else None
