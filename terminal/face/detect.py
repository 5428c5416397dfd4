"""Face detection: boxes, 5 landmarks and a score per face, in frame coordinates.

Two back ends for the one YuNet-s model: ``OrtYuNet`` runs the dynamic-shape file in
onnxruntime and decodes the stride 8/16/32 heads here (as OpenCV's FaceDetectorYN does);
``CvYuNet`` runs the fixed 2023mar files through ``cv2.FaceDetectorYN``. Both detect on a
copy of the frame scaled so its long side is at most ``long_side`` (faces at a kiosk are
large, and a quarter of the pixels is a quarter of the time), then map back.

Landmark order (YuNet's): right eye, left eye, nose tip, right mouth corner, left mouth
corner - "right" is the person's right, which is the image's left.

What must not live here: choosing among faces (``select.py``) or judging them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt

from terminal.face.engines import ort_session
from terminal.face.errors import ModelError
from terminal.face.models import ResolvedModel

Image = npt.NDArray[np.uint8]
FloatArray = npt.NDArray[np.float32]

_STRIDES = (8, 16, 32)


@dataclass(frozen=True, slots=True)
class Face:
    """One detected face: ``box`` is (x, y, width, height) in frame pixels."""

    box: tuple[float, float, float, float]
    landmarks: FloatArray  # 5x2, see the module docstring for the order
    score: float

    @property
    def size(self) -> float:
        """The box's shorter side: what "too far away" is measured on."""
        return min(self.box[2], self.box[3])

    @property
    def center(self) -> tuple[float, float]:
        x, y, w, h = self.box
        return x + w / 2, y + h / 2


class Detector(Protocol):
    model_name: str
    engine: str

    def detect(self, image: Image) -> list[Face]: ...


def as_bgr(image: npt.NDArray[Any]) -> Image:
    """A 3-channel 8-bit BGR image from grayscale, BGRA or 16-bit input."""
    if image.dtype != np.uint8:
        scale = 255.0 / 65535.0 if image.dtype == np.uint16 else 255.0
        image = np.clip(image.astype(np.float32) * scale, 0, 255).astype(np.uint8)
    if image.ndim == 2:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), dtype=np.uint8)
    if image.shape[2] == 4:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGRA2BGR), dtype=np.uint8)
    if image.shape[2] == 1:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), dtype=np.uint8)
    return np.asarray(image, dtype=np.uint8)


def _downscale(image: Image, long_side: int) -> tuple[Image, float]:
    height, width = image.shape[:2]
    scale = min(1.0, long_side / max(height, width))
    if scale >= 1.0:
        return image, 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    return small, scale


def _faces_from_rows(rows: npt.NDArray[np.float32], scale: float) -> list[Face]:
    faces = []
    for row in rows:
        x, y, w, h = (float(v) / scale for v in row[:4])
        landmarks = (row[4:14].reshape(5, 2) / scale).astype(np.float32)
        faces.append(Face((x, y, w, h), landmarks, float(row[14])))
    faces.sort(key=lambda f: -f.score)
    return faces


class _YuNetSettings:
    """What both YuNet engines are tuned by: the manifest's thresholds unless overridden."""

    def __init__(
        self,
        model: ResolvedModel,
        score_threshold: float | None,
        nms_iou: float | None,
        long_side: int | None,
        top_k: int,
    ) -> None:
        thresholds = model.spec.thresholds
        self.model_name = model.name
        self.score_threshold = (
            thresholds.get("score", 0.7) if score_threshold is None else score_threshold
        )
        self.nms_iou = thresholds.get("nms_iou", 0.3) if nms_iou is None else nms_iou
        self.long_side = int(
            thresholds.get("detect_long_side", 320) if long_side is None else long_side
        )
        self.top_k = top_k


class OrtYuNet(_YuNetSettings):
    """YuNet dynamic-shape file in onnxruntime, decoded here."""

    engine = "onnxruntime"

    def __init__(
        self,
        model: ResolvedModel,
        *,
        score_threshold: float | None = None,
        nms_iou: float | None = None,
        long_side: int | None = None,
        top_k: int = 50,
    ) -> None:
        super().__init__(model, score_threshold, nms_iou, long_side, top_k)
        self._session = ort_session(model.path)
        self._outputs = [f"{kind}_{s}" for s in _STRIDES for kind in ("cls", "obj", "bbox", "kps")]

    def detect(self, image: Image) -> list[Face]:
        small, scale = _downscale(image, self.long_side)
        height, width = small.shape[:2]
        # The heads are concatenated across strides: sizes must divide by 32.
        pad_h, pad_w = math.ceil(height / 32) * 32, math.ceil(width / 32) * 32
        padded = np.zeros((pad_h, pad_w, 3), dtype=np.float32)
        padded[:height, :width] = small
        blob = padded.transpose(2, 0, 1)[np.newaxis]
        outputs = dict(
            zip(self._outputs, self._session.run(self._outputs, {"input": blob}), strict=True)
        )
        rows = []
        for stride in _STRIDES:
            cols = pad_w // stride
            cls = np.clip(outputs[f"cls_{stride}"][0, :, 0], 0, 1)
            obj = np.clip(outputs[f"obj_{stride}"][0, :, 0], 0, 1)
            score = np.sqrt(cls * obj)
            keep = np.nonzero(score >= self.score_threshold)[0]
            if keep.size == 0:
                continue
            bbox = outputs[f"bbox_{stride}"][0, keep]
            kps = outputs[f"kps_{stride}"][0, keep]
            col = (keep % cols).astype(np.float32)
            row = (keep // cols).astype(np.float32)
            cx = (col + bbox[:, 0]) * stride
            cy = (row + bbox[:, 1]) * stride
            w = np.exp(bbox[:, 2]) * stride
            h = np.exp(bbox[:, 3]) * stride
            points = np.empty((keep.size, 10), dtype=np.float32)
            points[:, 0::2] = (kps[:, 0::2] + col[:, None]) * stride
            points[:, 1::2] = (kps[:, 1::2] + row[:, None]) * stride
            rows.append(
                np.column_stack([cx - w / 2, cy - h / 2, w, h, points, score[keep]]).astype(
                    np.float32
                )
            )
        if not rows:
            return []
        found = np.concatenate(rows)
        boxes = [[float(v) for v in r[:4]] for r in found]
        picked = cv2.dnn.NMSBoxes(
            boxes,
            [float(s) for s in found[:, 14]],
            self.score_threshold,
            self.nms_iou,
            top_k=self.top_k,
        )
        return _faces_from_rows(found[np.asarray(picked, dtype=np.int64).reshape(-1)], scale)


class CvYuNet(_YuNetSettings):
    """YuNet 2023mar files through ``cv2.FaceDetectorYN``."""

    engine = "opencv-yunet"

    def __init__(
        self,
        model: ResolvedModel,
        *,
        score_threshold: float | None = None,
        nms_iou: float | None = None,
        long_side: int | None = None,
        top_k: int = 50,
    ) -> None:
        super().__init__(model, score_threshold, nms_iou, long_side, top_k)
        try:
            self._detector = cv2.FaceDetectorYN.create(
                str(model.path), "", (320, 320), self.score_threshold, self.nms_iou, top_k
            )
        except cv2.error as exc:
            raise ModelError(f"OpenCV cannot load the detector {model.path}: {exc}") from exc
        self._size = (320, 320)

    def detect(self, image: Image) -> list[Face]:
        small, scale = _downscale(image, self.long_side)
        size = (small.shape[1], small.shape[0])
        if size != self._size:
            self._detector.setInputSize(size)
            self._size = size
        _, found = self._detector.detect(small)
        if found is None:
            return []
        return _faces_from_rows(np.asarray(found, dtype=np.float32), scale)


def make_detector(model: ResolvedModel, **options: Any) -> Detector:
    if model.file.engine == "onnxruntime":
        return OrtYuNet(model, **options)
    if model.file.engine == "opencv-yunet":
        return CvYuNet(model, **options)
    raise ModelError(f"no detector runs {model.path} in engine {model.file.engine}")
