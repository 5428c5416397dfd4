"""Alignment geometry: the similarity fit and the warp onto the ArcFace template."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from terminal.face.align import ARCFACE_TEMPLATE, SIZE, align, similarity_transform


def apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    return points @ matrix[:, :2].T + matrix[:, 2]


@pytest.mark.parametrize(
    "angle, scale, shift", [(0, 1, (0, 0)), (17, 2.5, (300, 120)), (-40, 0.6, (5, 9))]
)
def test_recovers_a_known_similarity(
    angle: float, scale: float, shift: tuple[float, float]
) -> None:
    a = math.radians(angle)
    rot = scale * np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    source = apply(np.hstack([rot, np.array(shift)[:, None]]), ARCFACE_TEMPLATE)
    matrix = similarity_transform(source, ARCFACE_TEMPLATE)
    assert np.allclose(apply(matrix, source), ARCFACE_TEMPLATE, atol=1e-6)
    assert math.hypot(*matrix[:, 0]) == pytest.approx(1 / scale)


def test_never_mirrors_a_face() -> None:
    mirrored = ARCFACE_TEMPLATE * np.array([-1.0, 1.0])  # left and right swapped
    matrix = similarity_transform(mirrored, ARCFACE_TEMPLATE)
    assert np.linalg.det(matrix[:, :2]) > 0


def test_warp_puts_the_landmarks_on_the_template() -> None:
    # Draw dots where a rotated, scaled face's landmarks are; after alignment the dots
    # must sit on the template's points.
    frame = np.zeros((480, 640, 3), dtype=np.uint8)
    a = math.radians(20)
    rot = 3.0 * np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    points = ARCFACE_TEMPLATE @ rot.T + np.array([200.0, 100.0])
    for x, y in points:
        cv2.circle(frame, (round(x), round(y)), 6, (255, 255, 255), -1)
    aligned = align(frame, points.astype(np.float32))
    assert aligned.shape == (SIZE, SIZE, 3)
    gray = cv2.cvtColor(aligned, cv2.COLOR_BGR2GRAY)
    for x, y in ARCFACE_TEMPLATE:
        assert gray[round(y), round(x)] > 200
    assert gray[5, 5] == 0
