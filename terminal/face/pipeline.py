"""The face pipeline for one frame, and a session over the frames of one customer.

``FaceModels.load`` resolves and loads every model once (detector, embedder, the two
anti-spoofing nets; or, only when asked with ``liveness="simulated"``, the demo camera's
stand-in for them, ``simulated_liveness.py``). ``FacePipeline.analyse(frame)`` runs
detect -> primary face -> quality gate -> liveness -> align -> embed -> gallery search and
returns what it found with each stage's time; a stage that refuses stops the frame there.
``FaceSession`` carries the per-customer state across frames (liveness over frames, votes,
the last-4 narrowing) and resets when the face has been gone for a few frames.

Privacy: no image leaves this module unless ``debug_dir`` is set (a debug setting, off by
default, refused by ``run`` without ``--unsafe-debug``); then aligned crops are written
there owner-only and kept a day (``debug_crops.py``), and the start-up log says so.

What must not live here: threads (``worker.py``), Qt, payment.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from terminal.face.align import align
from terminal.face.debug_crops import DebugCrops
from terminal.face.decide import Decider, Decision, DecisionPolicy, Observation, Outcome, Why
from terminal.face.detect import Detector, Face, Image, as_bgr, make_detector
from terminal.face.embed import Embedder, Embedding
from terminal.face.gallery import Gallery, SearchResult
from terminal.face.liveness import (
    LivenessModel,
    LivenessScorer,
    LivenessTracker,
    LivenessVerdict,
)
from terminal.face.models import ModelLocator
from terminal.face.quality import QualityLimits, QualityReport, assess
from terminal.face.select import Primary, pick_primary
from terminal.face.simulated_liveness import SimulatedLiveness

log = logging.getLogger(__name__)

DETECTOR = "yunet_s"
EMBEDDER = "sface_2021dec"
ANTISPOOF = ("minifasnet_v2", "minifasnet_v1se")
# "models": the anti-spoofing models (missing ones are an error); "simulated": the demo
# camera's stand-in, never chosen unless asked for by name.
LivenessSource = Literal["models", "simulated"]


@dataclass
class FaceModels:
    detector: Detector
    embedder: Embedder
    liveness: LivenessScorer
    face_score: float  # a detection is a usable face from this score
    liveness_real: float
    liveness_frames: int
    policy: DecisionPolicy

    @classmethod
    def load(
        cls,
        locator: ModelLocator,
        *,
        detect_long_side: int | None = None,
        liveness: LivenessSource = "models",
    ) -> FaceModels:
        detector_model = locator.resolve(DETECTOR)
        thresholds = detector_model.spec.thresholds
        # The detector reports faces down to a low score so that a weak second face still
        # counts as "someone else"; a face is used from ``face_score`` on.
        detector = make_detector(
            detector_model,
            score_threshold=thresholds.get("report_score", 0.6),
            long_side=detect_long_side,
        )
        embedder_model = locator.resolve(EMBEDDER)
        scorer: LivenessScorer
        if liveness == "simulated":
            scorer = SimulatedLiveness()
        elif liveness == "models":
            scorer = LivenessModel([locator.resolve(name) for name in ANTISPOOF])
        else:
            raise ValueError(f"liveness must be 'models' or 'simulated', not {liveness!r}")
        manifest = locator.manifest
        return cls(
            detector=detector,
            embedder=Embedder(embedder_model),
            liveness=scorer,
            face_score=thresholds.get("score", 0.9),
            liveness_real=manifest.liveness.get("real", 0.7),
            liveness_frames=int(manifest.liveness.get("frames", 3)),
            policy=DecisionPolicy.from_thresholds(embedder_model.spec.thresholds),
        )

    @property
    def model_name(self) -> str:
        return self.embedder.model_name


@dataclass
class FrameAnalysis:
    faces: list[Face]
    primary: Primary
    quality: QualityReport | None = None
    liveness: float | None = None  # this frame's score
    embedding: Embedding | None = None
    search: SearchResult | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def guidance(self) -> str:
        if self.primary.crowded:
            return "one person at a time"
        if self.primary.face is None:
            return ""
        return self.quality.guidance if self.quality is not None else ""


class _Clock:
    def __init__(self, timings: dict[str, float]) -> None:
        self._timings = timings
        self._start = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self._timings[stage] = (now - self._start) * 1000
        self._start = now


class FacePipeline:
    """Stateless per frame; not thread-safe (the models are not): one per worker."""

    def __init__(
        self,
        models: FaceModels,
        gallery: Gallery | None = None,
        *,
        limits: QualityLimits | None = None,
        debug_dir: Path | None = None,
    ) -> None:
        self.models = models
        self.gallery = gallery
        self.limits = limits or QualityLimits()
        self.debug_crops = None if debug_dir is None else DebugCrops(debug_dir)

    def analyse(
        self,
        frame: Image,
        *,
        last4: str | None = None,
        check_liveness: bool = True,
        enforce_quality: bool = True,
    ) -> FrameAnalysis:
        """One frame through every stage. ``enforce_quality=False`` measures quality but
        goes on regardless (evaluation on still photos, never at the till)."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        clock = _Clock(timings)
        image = as_bgr(frame)
        faces = self.models.detector.detect(image)
        primary = pick_primary(
            faces, (image.shape[1], image.shape[0]), min_score=self.models.face_score
        )
        clock.lap("detect")
        result = FrameAnalysis(faces, primary, timings_ms=timings)
        try:
            # Two people at the till: nobody is matched. Photos may be crowded (eval).
            if primary.face is None or (primary.crowded and enforce_quality):
                return result
            face = primary.face
            result.quality = assess(image, face, self.limits)
            clock.lap("quality")
            if enforce_quality and not result.quality.ok:
                return result
            if check_liveness:
                result.liveness = self.models.liveness.score(image, face)
                clock.lap("liveness")
            result.embedding = self.embed(image, face, clock)
            if self.gallery is not None:
                result.search = self.gallery.search(result.embedding, last4=last4)
                clock.lap("search")
            return result
        finally:
            timings["total"] = (time.perf_counter() - started) * 1000

    def embed(self, image: Image, face: Face, clock: _Clock | None = None) -> Embedding:
        aligned = align(image, face.landmarks)
        if clock:
            clock.lap("align")
        if self.debug_crops is not None:
            self.debug_crops.write(aligned)
        embedding = self.models.embedder.embed(aligned)
        if clock:
            clock.lap("embed")
        return embedding


@dataclass(frozen=True, slots=True)
class SessionUpdate:
    analysis: FrameAnalysis
    liveness: LivenessVerdict | None
    decision: Decision


class FaceSession:
    """One customer's frames: liveness over frames, votes, and last-4 narrowing. Resets
    after ``lost_frames`` frames without a usable face (the customer left)."""

    def __init__(
        self,
        pipeline: FacePipeline,
        *,
        policy: DecisionPolicy | None = None,
        lost_frames: int = 3,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        models = pipeline.models
        self.pipeline = pipeline
        self.decider = Decider(policy or models.policy)
        self.liveness = LivenessTracker(models.liveness_real, models.liveness_frames)
        self.lost_frames = lost_frames
        self.last4: str | None = None
        self._missing = 0
        self._clock = clock
        self.face_since: float | None = None

    def reset(self) -> None:
        self.decider.reset()
        self.liveness.reset()
        self.last4 = None
        self.face_since = None

    def narrow(self, last4: str) -> None:
        """The customer typed the phone's last 4 digits: search only among those members."""
        if len(last4) != 4 or not last4.isdigit():
            raise ValueError("the last 4 digits of a phone number are 4 digits")
        self.last4 = last4
        self.decider.reset()

    def update(self, frame: Image) -> SessionUpdate:
        analysis = self.pipeline.analyse(frame, last4=self.last4)
        face = analysis.primary.face
        if face is None or analysis.primary.crowded:
            self._missing += 1
            if self._missing >= self.lost_frames:
                self.reset()
            why = Why.CROWDED if analysis.primary.crowded else Why.NO_FACE
            return SessionUpdate(analysis, None, Decision(Outcome.SEARCHING, reason=why))
        self._missing = 0
        if self.face_since is None:
            self.face_since = self._clock()
        verdict = None
        if analysis.liveness is not None:
            verdict = self.liveness.add(analysis.liveness)
        if analysis.search is None:
            # No search: the face failed the quality gate (its guidance tells the customer
            # what to change), or there is no gallery to search.
            failed = analysis.quality is not None and not analysis.quality.ok
            why = Why.POOR_QUALITY if failed else Why.NONE
            return SessionUpdate(analysis, verdict, Decision(Outcome.SEARCHING, reason=why))
        live = None if verdict is None or not (verdict.passed or verdict.spoof) else verdict.passed
        decision = self.decider.add(Observation(analysis.search, live))
        return SessionUpdate(analysis, verdict, decision)
