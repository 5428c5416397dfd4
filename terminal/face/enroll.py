"""Enrollment: one template from several frames of one session.

Every frame goes through the pipeline with the quality gate on; frames that pass are
ranked by quality, the best ``use`` are embedded, averaged and renormalised (averaging
several good frames beats any one of them). Refused, with a reason code, when too few
frames pass, when liveness over the session is not met, or when the frames do not agree
with each other (two people took turns in front of the camera).

What must not live here: storing the template (the enrollment use case seals it through
``MemberRepository``) or consent (``terminal/domain``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from terminal.face.detect import Image
from terminal.face.embed import Embedding, normalize
from terminal.face.errors import EnrollmentRefused
from terminal.face.pipeline import FacePipeline

MIN_GOOD_FRAMES = 3
USE_FRAMES = 5
# Each frame must be this close to the session's mean: the same person throughout.
MIN_AGREEMENT = 0.55


def enroll(
    pipeline: FacePipeline,
    frames: Iterable[Image],
    *,
    min_good: int = MIN_GOOD_FRAMES,
    use: int = USE_FRAMES,
) -> Embedding:
    good: list[tuple[float, Embedding, float]] = []  # quality score, embedding, liveness
    refusals: Counter[str] = Counter()
    for frame in frames:
        analysis = pipeline.analyse(frame)
        if analysis.primary.crowded:
            refusals["more_than_one_face"] += 1
            continue
        if analysis.quality is None:
            refusals["no_face"] += 1
            continue
        if not analysis.quality.ok or analysis.embedding is None or analysis.liveness is None:
            refusals[analysis.quality.code.value] += 1
            continue
        good.append((analysis.quality.score, analysis.embedding, analysis.liveness))
    if len(good) < min_good:
        code = refusals.most_common(1)[0][0] if refusals else "no_face"
        raise EnrollmentRefused(
            code, f"only {len(good)} good frame(s) of {min_good} needed; most often: {code}"
        )
    return combine(good, liveness_real=pipeline.models.liveness_real, use=use)


def combine(
    good: list[tuple[float, Embedding, float]], *, liveness_real: float, use: int = USE_FRAMES
) -> Embedding:
    """One template from good frames (quality score, embedding, liveness score): the
    best ``use`` by quality, averaged; refused below liveness or when they disagree."""
    if not good:
        raise EnrollmentRefused("no_face", "no good frame to make a template from")
    liveness = float(np.mean([live for _, _, live in good]))
    if liveness < liveness_real:
        raise EnrollmentRefused("liveness", f"liveness {liveness:.2f} below {liveness_real:.2f}")
    best = sorted(good, key=lambda item: -item[0])[:use]
    vectors = np.stack([e.vector for _, e, _ in best])
    mean = normalize(vectors.mean(axis=0))
    if float((vectors @ mean).min()) < MIN_AGREEMENT:
        raise EnrollmentRefused("inconsistent", "the frames do not show one person throughout")
    return Embedding(mean, best[0][1].model)
