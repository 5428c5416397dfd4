"""A face session's SEARCHING decisions say why by a ``Why`` code, never in words: no face,
more than one face, or a face that failed the quality gate.

The frame analysis is given (a fake pipeline stands where the models would run); the
session, the decider and the liveness tracker are the real ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from terminal.face.decide import DecisionPolicy, Outcome, Why
from terminal.face.detect import Face
from terminal.face.pipeline import FaceSession, FrameAnalysis
from terminal.face.quality import QualityCode, QualityReport
from terminal.face.select import Primary

FACE = Face(box=(200.0, 120.0, 160.0, 160.0), landmarks=np.zeros((5, 2)), score=0.99)


@dataclass
class _Models:
    policy: DecisionPolicy = field(default_factory=DecisionPolicy)
    liveness_real: float = 0.7
    liveness_frames: int = 3


class _GivenAnalysis:
    """Stands for ``FacePipeline``: returns the analysis the test gives it."""

    def __init__(self, analysis: FrameAnalysis) -> None:
        self.models = _Models()
        self.analysis = analysis

    def analyse(self, frame: Any, *, last4: str | None = None) -> FrameAnalysis:
        return self.analysis


def _quality(code: QualityCode) -> QualityReport:
    return QualityReport(code, 160.0, 0.0, 0.0, 0.0, 100.0, 120.0)


def _decide(analysis: FrameAnalysis) -> tuple[Outcome, Why]:
    session = FaceSession(_GivenAnalysis(analysis))  # type: ignore[arg-type]
    decision = session.update(np.zeros((480, 640, 3), dtype=np.uint8)).decision
    return decision.outcome, decision.reason


@pytest.mark.parametrize(
    ("primary", "why"),
    [
        (Primary(None, 0, False), Why.NO_FACE),
        (Primary(FACE, 1, True), Why.CROWDED),
    ],
    ids=["no face", "crowded"],
)
def test_no_single_face_is_searching_with_its_code(primary: Primary, why: Why) -> None:
    assert _decide(FrameAnalysis([], primary)) == (Outcome.SEARCHING, why)


def test_a_face_that_fails_the_quality_gate_is_searching_for_poor_quality() -> None:
    analysis = FrameAnalysis([FACE], Primary(FACE, 0, False), _quality(QualityCode.TOO_FAR))
    assert _decide(analysis) == (Outcome.SEARCHING, Why.POOR_QUALITY)


def test_a_good_face_with_no_gallery_to_search_has_nothing_to_explain() -> None:
    analysis = FrameAnalysis([FACE], Primary(FACE, 0, False), _quality(QualityCode.OK))
    assert _decide(analysis) == (Outcome.SEARCHING, Why.NONE)
