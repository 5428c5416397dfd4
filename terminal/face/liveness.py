"""Liveness (anti-spoofing): is this a live face, or a printed photo or a screen?

Two MiniFASNets from Silent-Face-Anti-Spoofing look at the face with its surroundings
(crops of the box scaled x2.7 and x4.0: the edges of a print or a phone are the tell);
their softmax "real" probabilities are averaged. ``LivenessTracker`` averages that score
over the last few frames of one face, so one lucky frame does not pass a spoof and one
blurred frame does not fail a person. A face that has not passed is never matched for
payment (``decide.py`` enforces it).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from terminal.face.detect import Face, Image
from terminal.face.engines import Runner
from terminal.face.models import ResolvedModel

INPUT = 80


def spoof_crop(image: Image, box: tuple[float, float, float, float], scale: float) -> Image:
    """The face box grown ``scale`` times into a square around its centre, shrunk if the
    frame is too small and shifted to stay inside it, resized to 80x80 (upstream's crop,
    made square as the models were trained on square inputs)."""
    height, width = image.shape[:2]
    x, y, w, h = box
    side = max(w, h) * scale
    side = min(side, width - 1, height - 1)
    cx, cy = x + w / 2, y + h / 2
    left = min(max(0.0, cx - side / 2), width - 1 - side)
    top = min(max(0.0, cy - side / 2), height - 1 - side)
    x0, y0 = round(left), round(top)
    x1, y1 = max(x0 + 1, round(left + side)), max(y0 + 1, round(top + side))
    crop = image[y0 : y1 + 1, x0 : x1 + 1]
    return np.asarray(
        cv2.resize(crop, (INPUT, INPUT), interpolation=cv2.INTER_LINEAR), dtype=np.uint8
    )


def _softmax_real(logits: np.ndarray) -> float:
    z = logits.reshape(-1).astype(np.float64)
    e = np.exp(z - z.max())
    return float(e[1] / e.sum())  # class 1 is "real"


class LivenessScorer(Protocol):
    """What the pipeline asks of liveness: ``LivenessModel``, or the demo camera's
    ``SimulatedLiveness`` stand-in."""

    def score(self, image: Image, face: Face) -> float: ...


class LivenessModel:
    def __init__(self, models: list[ResolvedModel]) -> None:
        self.names = [m.name for m in models]
        self._runners = [
            (Runner(m.path, m.file.engine, "input"), m.spec.thresholds.get("crop_scale", 2.7))
            for m in models
        ]

    def score(self, image: Image, face: Face) -> float:
        """The averaged probability (0..1) that ``face`` is a live person."""
        scores = []
        for runner, scale in self._runners:
            crop = spoof_crop(image, face.box, scale)
            # BGR, float 0..255, no normalisation.
            blob = crop.transpose(2, 0, 1)[np.newaxis].astype(np.float32)
            scores.append(_softmax_real(runner.run(blob)))
        return float(np.mean(scores))


@dataclass(frozen=True, slots=True)
class LivenessVerdict:
    score: float  # mean over the frames seen
    frames: int
    passed: bool  # enough frames and a high enough mean
    spoof: bool  # enough frames and a low mean: tell the customer


class LivenessTracker:
    """The score of one face over its last ``frames`` frames; ``reset`` when the face
    leaves or changes."""

    def __init__(self, threshold: float = 0.8, frames: int = 3) -> None:
        self.threshold = threshold
        self.frames = frames
        self._scores: deque[float] = deque(maxlen=frames)

    def reset(self) -> None:
        self._scores.clear()

    def add(self, score: float) -> LivenessVerdict:
        self._scores.append(score)
        mean = float(np.mean(self._scores))
        full = len(self._scores) >= self.frames
        return LivenessVerdict(
            mean, len(self._scores), full and mean >= self.threshold, full and mean < self.threshold
        )
