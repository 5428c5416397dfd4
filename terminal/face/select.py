"""Choosing the face to serve: the largest, most central usable face in the frame, and
whether someone else is close enough in size to be a second customer rather than a
passer-by (then nobody is matched: "one person at a time").

What must not live here: detection, or judging the chosen face (``quality.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from terminal.face.detect import Face


@dataclass(frozen=True, slots=True)
class Primary:
    face: Face | None  # None: no usable face
    others: int  # other faces seen, however weak
    crowded: bool  # another face is nearly as large: more than one person at the till


def pick_primary(
    faces: Sequence[Face],
    frame_size: tuple[int, int],
    *,
    min_score: float = 0.9,
    crowd_ratio: float = 0.75,
) -> Primary:
    """``faces`` as detected (any score); ``frame_size`` is (width, height). A face is
    usable at ``min_score``; weaker ones still count as people for ``crowded``."""
    usable = [f for f in faces if f.score >= min_score]
    if not usable:
        return Primary(None, len(faces), False)
    width, height = frame_size
    half_diagonal = math.hypot(width, height) / 2

    def weight(face: Face) -> float:
        cx, cy = face.center
        off = math.hypot(cx - width / 2, cy - height / 2) / half_diagonal
        return face.size * (1.0 - 0.5 * off)  # a central face beats a slightly larger edge one

    primary = max(usable, key=weight)
    others = [f for f in faces if f is not primary]
    crowded = any(f.size >= crowd_ratio * primary.size for f in others)
    return Primary(primary, len(others), crowded)
