"""Evaluating the face pipeline on a folder of photos (``facepay-terminal face-eval``).

Layout: ``identities/<name>/*`` (the first photo by file name is enrolled, the others are
probes), and optionally ``unknown/`` (impostors), ``nonfaces/`` (no face may be found),
``multi/`` with ``face_counts.json`` (group photos), ``spoof/{print,replay,live}/``.
Photos are read with ``cv2.imread`` (it applies EXIF orientation; grey images come back as
BGR), scaled so the long side is at most 1280 px; an unreadable file is skipped with a
warning, a missing optional folder is skipped.

Still photos are single frames, so the figures are per frame: a false accept here is one
frame whose best match clears a threshold for the wrong member; at the till a decision
also needs several agreeing frames (``decide.py``). Recognition is measured without the
quality gate and liveness (press photos are not kiosk captures); liveness is measured on
``spoof/``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from terminal.face.detect import Image
from terminal.face.gallery import Gallery
from terminal.face.pipeline import FaceModels, FacePipeline, FrameAnalysis

log = logging.getLogger(__name__)

MAX_SIDE = 1280
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff", ".pgm", ".ppm"}

Warn = Callable[[str], None]


def read_image(path: Path, warn: Warn) -> Image | None:
    try:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    except cv2.error as exc:
        warn(f"skipped {path}: {exc}")
        return None
    if image is None or image.size == 0:
        warn(f"skipped {path}: not a readable image")
        return None
    height, width = image.shape[:2]
    scale = MAX_SIDE / max(height, width)
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return np.asarray(image, dtype=np.uint8)


def _photos(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES),
        key=lambda p: p.name,
    )


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class EvalReport:
    identities: int = 0
    enrolled: int = 0
    probes: int = 0
    rank1_correct: int = 0
    probes_without_face: int = 0
    false_accepts_membership: int = 0
    false_accepts_payment: int = 0
    unknowns: int = 0
    unknown_rejected: int = 0
    nonface_images: int = 0
    nonface_faces: int = 0
    multi: list[dict[str, Any]] = field(default_factory=list)
    spoof_samples: int = 0
    spoof_rejected: int = 0
    live_samples: int = 0
    live_accepted: int = 0
    liveness_scores: dict[str, float] = field(default_factory=dict)
    genuine_scores: list[float] = field(default_factory=list)
    impostor_scores: list[float] = field(default_factory=list)  # best wrong member per probe
    timings: dict[str, list[float]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def rank1(self) -> float:
        return self.rank1_correct / self.probes if self.probes else 0.0

    def summary(self) -> dict[str, Any]:
        def ms(stage: str, p: float) -> float:
            return round(percentile(self.timings.get(stage, []), p), 2)

        return {
            "identities": self.identities,
            "enrolled": self.enrolled,
            "probes": self.probes,
            "rank1": round(self.rank1, 4),
            "rank1_correct": self.rank1_correct,
            "probes_without_face": self.probes_without_face,
            "false_accepts_membership": self.false_accepts_membership,
            "false_accepts_payment": self.false_accepts_payment,
            "unknowns": self.unknowns,
            "unknown_rejected": self.unknown_rejected,
            "unknown_rejected_rate": round(self.unknown_rejected / self.unknowns, 4)
            if self.unknowns
            else 1.0,
            "nonface_images": self.nonface_images,
            "nonface_faces": self.nonface_faces,
            "multi": self.multi,
            "multi_exact": sum(1 for m in self.multi if m["found"] == m["expected"]),
            "multi_present_exact": sum(1 for m in self.multi if m["present"] == m["expected"]),
            "spoof_samples": self.spoof_samples,
            "spoof_rejected": self.spoof_rejected,
            "live_samples": self.live_samples,
            "live_accepted": self.live_accepted,
            "liveness_scores": {k: round(v, 4) for k, v in self.liveness_scores.items()},
            "genuine_min": round(min(self.genuine_scores), 4) if self.genuine_scores else None,
            "impostor_max": round(max(self.impostor_scores), 4) if self.impostor_scores else None,
            "thresholds": self.thresholds,
            **{
                f"{stage}_ms_{name}": ms(stage, p)
                for stage in ("detect", "liveness", "embed", "search", "pipeline")
                for name, p in (("p50", 50), ("p99", 99))
            },
            "skipped": self.skipped,
        }


class Evaluator:
    def __init__(self, models: FaceModels, warn: Warn | None = None) -> None:
        self.models = models
        self.gallery = Gallery(models.model_name)
        self.pipeline = FacePipeline(models, self.gallery)
        self.report = EvalReport()
        self._warn_sink = warn
        policy = models.policy
        self.report.thresholds = {
            "face_score": models.face_score,
            "membership": policy.membership,
            "payment": policy.payment,
            "payment_margin": policy.payment_margin,
            "liveness_real": models.liveness_real,
        }

    def _warn(self, text: str) -> None:
        self.report.skipped.append(text)
        log.warning("face-eval: %s", text)
        if self._warn_sink:
            self._warn_sink(text)

    def _images(self, folder: Path) -> Iterator[tuple[Path, Image]]:
        for path in _photos(folder):
            image = read_image(path, self._warn)
            if image is not None:
                yield path, image

    def _timed(self, analysis: FrameAnalysis) -> None:
        t = analysis.timings_ms
        for stage, keys in (
            ("detect", ("detect",)),
            ("liveness", ("liveness",)),
            ("embed", ("align", "embed")),
            ("search", ("search",)),
            ("pipeline", ("total",)),
        ):
            if all(k in t for k in keys):
                self.report.timings.setdefault(stage, []).append(sum(t[k] for k in keys))

    def _analyse(self, image: Image) -> FrameAnalysis:
        analysis = self.pipeline.analyse(image, enforce_quality=False)
        self._timed(analysis)
        return analysis

    def run(self, root: Path) -> EvalReport:
        identities = root / "identities"
        people = (
            sorted(p for p in identities.iterdir() if p.is_dir()) if identities.is_dir() else []
        )
        self.report.identities = len(people)
        probes: list[tuple[str, Path]] = []
        for person in people:
            photos = _photos(person)
            enrolled = False
            for path in photos:
                if enrolled:
                    probes.append((person.name, path))
                    continue
                image = read_image(path, self._warn)
                if image is None:
                    continue
                analysis = self.pipeline.analyse(image, check_liveness=False, enforce_quality=False)
                if analysis.embedding is None:
                    self._warn(f"{path}: no usable face to enroll; trying the next photo")
                    continue
                self.gallery.add(person.name, analysis.embedding)
                enrolled = True
                self.report.enrolled += 1
        for name, path in probes:
            image = read_image(path, self._warn)
            if image is not None:
                self._probe(image, name)
        for _, image in self._images(root / "unknown"):
            self._probe(image, None)
        for _, image in self._images(root / "nonfaces"):
            self.report.nonface_images += 1
            faces = self.models.detector.detect(image)
            self.report.nonface_faces += sum(1 for f in faces if f.score >= self.models.face_score)
        self._multi(root / "multi")
        self._spoof(root / "spoof")
        return self.report

    def _probe(self, image: Image, truth: str | None) -> None:
        report, policy = self.report, self.models.policy
        if truth is None:
            report.unknowns += 1
        else:
            report.probes += 1
        analysis = self._analyse(image)
        search = analysis.search
        if search is None or search.best is None:
            if truth is None:
                report.unknown_rejected += 1
            else:
                report.probes_without_face += 1
            return
        best = search.best
        correct = truth is not None and best.member_id == truth
        if correct:
            report.rank1_correct += 1
            report.genuine_scores.append(best.score)
            if search.runner_up is not None:
                report.impostor_scores.append(search.runner_up.score)
        else:
            report.impostor_scores.append(best.score)
            if best.score >= policy.membership:
                report.false_accepts_membership += 1
            if best.score >= policy.payment and search.margin >= policy.payment_margin:
                report.false_accepts_payment += 1
        if truth is None and best.score < policy.membership:
            report.unknown_rejected += 1

    def _multi(self, folder: Path) -> None:
        counts_file = folder / "face_counts.json"
        if not counts_file.is_file():
            return
        try:
            expected = json.loads(counts_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self._warn(f"skipped {counts_file}: {exc}")
            return
        for name, info in sorted(expected.items()):
            want = info.get("faces") if isinstance(info, dict) else info
            image = read_image(folder / name, self._warn) if (folder / name).is_file() else None
            if image is None or not isinstance(want, int):
                continue
            faces = self.models.detector.detect(image)
            found = sum(1 for f in faces if f.score >= self.models.face_score)
            # "present": every detection, as the "one person at a time" check sees people.
            self.report.multi.append(
                {"file": name, "found": found, "present": len(faces), "expected": want}
            )

    def _spoof(self, folder: Path) -> None:
        report = self.report
        threshold = self.models.liveness_real
        for kind in ("print", "replay", "live"):
            for path, image in self._images(folder / kind):
                analysis = self._analyse(image)
                score = analysis.liveness
                if score is None and analysis.primary.face is not None:
                    score = self.models.liveness.score(image, analysis.primary.face)
                report.liveness_scores[f"{kind}/{path.name}"] = -1.0 if score is None else score
                live = score is not None and score >= threshold
                if kind == "live":
                    report.live_samples += 1
                    report.live_accepted += int(live)
                else:
                    report.spoof_samples += 1
                    report.spoof_rejected += int(not live)
