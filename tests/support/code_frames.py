"""Camera-like frames with a code in them, for the code reader's tests and benchmark.

EAN-13 bars come from python-barcode's own encoding (``build()`` gives the modules as
'0'/'1'), drawn with numpy: its raster writer needs Pillow, which the till does not
ship. QR modules come from segno. A code is then warped into a 640x480 frame - rotated,
in perspective, blurred and noisy - over a background photo or a plain gradient.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import barcode
import cv2
import numpy as np
import segno
from numpy.typing import NDArray

FRAME_SIZE = (640, 480)
Gray = NDArray[np.uint8]


def ean13_image(digits: str, module_px: int = 3, height_px: int = 150) -> Gray:
    """An EAN-13 symbol with its quiet zones, black bars on white."""
    modules = barcode.get("ean13", digits).build()[0]
    return _bars(modules, module_px, height_px, quiet_modules=11)


def code128_image(data: str, *, gs1: bool = False, module_px: int = 3) -> Gray:
    """Code 128, or GS1-128 (FNC1 first) when ``gs1``."""
    symbol = barcode.get("gs1_128" if gs1 else "code128", data)
    return _bars(symbol.build()[0], module_px, 120, quiet_modules=10)


def _bars(modules: str, module_px: int, height_px: int, quiet_modules: int) -> Gray:
    row = np.array([0 if m == "1" else 255 for m in modules], dtype=np.uint8)
    quiet = np.full(quiet_modules, 255, dtype=np.uint8)
    row = np.repeat(np.concatenate([quiet, row, quiet]), module_px)
    return np.ascontiguousarray(np.tile(row, (height_px, 1)))


def qr_image(text: str, module_px: int = 6) -> Gray:
    """A QR code with its 4-module quiet zone."""
    matrix = np.array(segno.make_qr(text, error="m").matrix, dtype=np.uint8)
    matrix = np.pad(matrix, 4)
    image = np.where(matrix > 0, 0, 255).astype(np.uint8)
    return np.kron(image, np.ones((module_px, module_px), dtype=np.uint8))


@dataclass(frozen=True)
class Distortion:
    angle_deg: float = 0.0
    scale: float = 1.0  # of the code's own size
    perspective: float = 0.0  # corner jitter, as a fraction of the code's size
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0
    contrast: float = 1.0  # 1: black on white; 0.5: grey on light grey


def background(seed: int = 0) -> NDArray[np.uint8]:
    """A 640x480 BGR gradient with mild noise: a counter under shop lights."""
    width, height = FRAME_SIZE
    rng = np.random.default_rng(seed)
    x = np.linspace(60, 190, width, dtype=np.float32)
    y = np.linspace(0, 40, height, dtype=np.float32)[:, None]
    base = x[None, :] + y + rng.normal(0, 6, (height, width)).astype(np.float32)
    gray = np.clip(base, 0, 255).astype(np.uint8)
    return np.asarray(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), dtype=np.uint8)


def place_in_frame(
    code: Gray,
    distortion: Distortion = Distortion(),
    *,
    backdrop: NDArray[np.uint8] | None = None,
    seed: int = 0,
) -> NDArray[np.uint8]:
    """``code`` warped into a 640x480 BGR frame, centred, as ``distortion`` says."""
    rng = np.random.default_rng(seed)
    frame = (backdrop if backdrop is not None else background(seed)).copy()
    width, height = FRAME_SIZE
    code_h, code_w = code.shape
    if distortion.contrast != 1.0:
        low = 255 * (1 - distortion.contrast) / 2
        code = (low + code.astype(np.float32) * distortion.contrast).astype(np.uint8)
    half_w, half_h = code_w * distortion.scale / 2, code_h * distortion.scale / 2
    theta = np.deg2rad(distortion.angle_deg)
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    corners = np.array([[-half_w, -half_h], [half_w, -half_h], [half_w, half_h], [-half_w, half_h]])
    jitter = rng.uniform(-1, 1, (4, 2)) * distortion.perspective * max(half_w, half_h)
    target = (corners + jitter) @ rotation.T + np.array([width / 2, height / 2])
    source = np.array([[0, 0], [code_w, 0], [code_w, code_h], [0, code_h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target.astype(np.float32))
    warped = cv2.warpPerspective(code, matrix, FRAME_SIZE, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full_like(code, 255), matrix, FRAME_SIZE) > 127
    frame[mask] = warped[mask][:, None]
    if distortion.blur_sigma > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), distortion.blur_sigma)
    if distortion.noise_sigma > 0:
        noise = rng.normal(0, distortion.noise_sigma, frame.shape)
        frame = np.clip(frame.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(frame, dtype=np.uint8)


def write_video(path: Path, scenes: list[tuple[NDArray[np.uint8], float]], fps: int = 15) -> Path:
    """An MJPG video of ``scenes``: each frame shown for its seconds."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (640, 480))
    assert writer.isOpened()
    for frame, seconds in scenes:
        for _ in range(round(seconds * fps)):
            writer.write(frame)
    writer.release()
    return path
