"""The quality gate's measures and reason codes, on synthetic faces."""

from __future__ import annotations

import numpy as np

from terminal.face.align import ARCFACE_TEMPLATE
from terminal.face.detect import Face
from terminal.face.quality import QualityCode, assess, pose


def face_at(scale: float, x: float = 200, y: float = 100, nose_dx: float = 0.0) -> Face:
    points = ARCFACE_TEMPLATE.copy()
    points[2, 1] += 0.1 * (points[3, 1] - points[0, 1])  # YuNet's frontal nose height
    points[2, 0] += nose_dx
    landmarks = (points * scale + [x, y]).astype(np.float32)
    return Face((x, y, 112 * scale, 112 * scale), landmarks, 0.95)


def textured(brightness: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    noise = rng.integers(-40, 40, (480, 640, 3))
    return np.clip(brightness + noise, 0, 255).astype(np.uint8)


def test_frontal_face_has_near_zero_pose() -> None:
    yaw, pitch, roll = pose(face_at(2.0))
    assert abs(yaw) < 3 and abs(pitch) < 3 and abs(roll) < 1


def test_reason_codes() -> None:
    image = textured(128)
    assert assess(image, face_at(2.0)).code is QualityCode.OK
    assert assess(image, face_at(0.5)).code is QualityCode.TOO_FAR
    turned = assess(image, face_at(2.0, nose_dx=15))
    assert turned.code is QualityCode.POSE and turned.guidance == "look at the screen"
    assert assess(textured(20), face_at(2.0)).code is QualityCode.TOO_DARK
    flat = np.full((480, 640, 3), 128, dtype=np.uint8)
    blurry = assess(flat, face_at(2.0))
    assert blurry.code is QualityCode.BLURRY and blurry.guidance == "hold still"
    assert assess(image, face_at(2.0, x=560)).code is QualityCode.OUT_OF_FRAME
