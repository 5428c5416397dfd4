"""The quality gate: is this face good enough to recognise? Each refusal is a reason code
and a short instruction for the customer screen.

Measures, all from the frame and the 5 landmarks (no extra model): face size in pixels;
roll (eye-line angle), yaw (nose offset from the eyes' midpoint, relative to eye distance)
and pitch (nose height between the eye line and the mouth line, against 0.59, the median
of YuNet's landmarks on frontal photos); sharpness (variance of the Laplacian on the face
scaled to 112 px wide, so it does not grow with the face); exposure (mean grey level of
the face box).
Pose angles are rough (a 2-D model of a 3-D head) but monotonic, which is all a gate needs.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import cv2
import numpy as np

from terminal.face.detect import Face, Image

# Nose height between the eye and mouth lines on a frontal face, as YuNet places them
# (median over frontal press photos; the ArcFace template's own points give 0.49).
_FRONTAL_NOSE_T = 0.59


class QualityCode(enum.StrEnum):
    OK = "ok"
    TOO_FAR = "too_far"
    OUT_OF_FRAME = "out_of_frame"
    POSE = "pose"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    BLURRY = "blurry"


GUIDANCE = {
    QualityCode.OK: "",
    QualityCode.TOO_FAR: "come closer",
    QualityCode.OUT_OF_FRAME: "move to the middle of the screen",
    QualityCode.POSE: "look at the screen",
    QualityCode.TOO_DARK: "too dark",
    QualityCode.TOO_BRIGHT: "too bright",
    QualityCode.BLURRY: "hold still",
}


@dataclass(frozen=True, slots=True)
class QualityLimits:
    min_face_px: float = 80.0  # the box's shorter side, in frame pixels
    max_yaw_deg: float = 30.0
    max_pitch_deg: float = 30.0
    max_roll_deg: float = 25.0
    min_sharpness: float = 40.0
    min_brightness: float = 45.0
    max_brightness: float = 215.0


@dataclass(frozen=True, slots=True)
class QualityReport:
    code: QualityCode
    face_px: float
    yaw_deg: float
    pitch_deg: float
    roll_deg: float
    sharpness: float
    brightness: float

    @property
    def ok(self) -> bool:
        return self.code is QualityCode.OK

    @property
    def guidance(self) -> str:
        return GUIDANCE[self.code]

    @property
    def score(self) -> float:
        """Higher is better: for picking enrollment frames among ones that passed."""
        frontal = 1.0 - (abs(self.yaw_deg) + abs(self.pitch_deg)) / 180.0
        return frontal * math.log1p(self.sharpness) * min(1.0, self.face_px / 160.0)


def pose(face: Face) -> tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees, rough; 0 is facing the camera."""
    right_eye, left_eye, nose, right_mouth, left_mouth = face.landmarks.astype(np.float64)
    eye_vec = left_eye - right_eye
    roll = math.degrees(math.atan2(eye_vec[1], eye_vec[0]))
    eye_dist = float(np.hypot(*eye_vec)) or 1.0
    # Undo the roll, then read the nose against the eyes and the mouth.
    c, s = math.cos(-math.radians(roll)), math.sin(-math.radians(roll))
    rot = np.array([[c, -s], [s, c]])
    eye_mid = (right_eye + left_eye) / 2
    nose_r = rot @ (nose - eye_mid)
    mouth_r = rot @ ((right_mouth + left_mouth) / 2 - eye_mid)
    yaw = math.degrees(math.asin(max(-1.0, min(1.0, 2.0 * nose_r[0] / eye_dist))))
    mouth_drop = mouth_r[1] if mouth_r[1] > 1e-6 else 1e-6
    t = nose_r[1] / mouth_drop
    pitch = math.degrees(math.asin(max(-1.0, min(1.0, 2.0 * (t - _FRONTAL_NOSE_T)))))
    return yaw, pitch, roll


def _face_patch(image: Image, face: Face) -> Image:
    height, width = image.shape[:2]
    x, y, w, h = face.box
    x0, y0 = max(0, int(x)), max(0, int(y))
    x1, y1 = min(width, int(x + w)), min(height, int(y + h))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return np.zeros((2, 2), dtype=np.uint8)
    gray = cv2.cvtColor(image[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
    scale = 112.0 / gray.shape[1]
    size = (112, max(2, round(gray.shape[0] * scale)))
    return np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def assess(image: Image, face: Face, limits: QualityLimits | None = None) -> QualityReport:
    limits = limits or QualityLimits()
    height, width = image.shape[:2]
    yaw, pitch, roll = pose(face)
    patch = _face_patch(image, face)
    sharpness = float(cv2.Laplacian(patch, cv2.CV_64F).var())
    brightness = float(patch.mean())
    x, y, w, h = face.box
    # A face cut by the frame edge gives a half crop to every model downstream.
    inside = (
        x >= -0.05 * w
        and y >= -0.05 * h
        and x + w <= width * 1.0 + 0.05 * w
        and (y + h <= height + 0.05 * h)
    )
    code = QualityCode.OK
    if face.size < limits.min_face_px:
        code = QualityCode.TOO_FAR
    elif not inside:
        code = QualityCode.OUT_OF_FRAME
    elif (
        abs(yaw) > limits.max_yaw_deg
        or abs(pitch) > limits.max_pitch_deg
        or abs(roll) > limits.max_roll_deg
    ):
        code = QualityCode.POSE
    elif brightness < limits.min_brightness:
        code = QualityCode.TOO_DARK
    elif brightness > limits.max_brightness:
        code = QualityCode.TOO_BRIGHT
    elif sharpness < limits.min_sharpness:
        code = QualityCode.BLURRY
    return QualityReport(code, face.size, yaw, pitch, roll, sharpness, brightness)
