"""Cameras without a camera: for tests, demos and the simulator.

``FakeCamera`` is a ``FrameSource`` that plays a list of images at a given rate, as a
live device would (``read`` waits for the next frame), and can be told to freeze (reads
time out and give nothing, like a hung USB camera) or to be unplugged (opening fails).
``video_from_photos`` writes still photos into an MJPG ``.avi`` that ``OpenCvSource``
plays as a video-file camera, so demos drive the real capture code.

What must not live here: anything the real driver needs; the product never imports this.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from drivers.camera.source import CameraError, CameraOpenError, Image

log = logging.getLogger(__name__)


def letterbox(image: Image, size: tuple[int, int]) -> Image:
    """``image`` scaled to fit ``size`` (width, height) without distortion, centred on
    black; grayscale images come back as BGR, like a camera's frames."""
    width, height = size
    if image.ndim == 2:
        image = np.asarray(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), dtype=np.uint8)
    source_h, source_w = image.shape[:2]
    scale = min(width / source_w, height / source_h)
    new_w = max(1, round(source_w * scale))
    new_h = max(1, round(source_h * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    resized = cv2.resize(image, (new_w, new_h), interpolation=interpolation)
    canvas = np.zeros((height, width, 3), dtype=np.uint8)
    top, left = (height - new_h) // 2, (width - new_w) // 2
    canvas[top : top + new_h, left : left + new_w] = resized
    return canvas


def read_photo(path: Path) -> Image:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise CameraError(f"cannot read image {path}")
    return np.asarray(image, dtype=np.uint8)


class FakeCamera:
    """A live ``FrameSource`` from images, at ``fps``. Thread-safe controls: ``freeze``,
    ``unfreeze``, ``unplug``, ``plug``; ``opens`` counts the opens that succeeded."""

    def __init__(
        self,
        images: Sequence[Image | Path],
        *,
        fps: float = 15.0,
        name: str = "fake-camera",
        read_timeout_s: float = 0.2,
    ) -> None:
        if not images:
            raise CameraError("a fake camera needs at least one image")
        self._images = [read_photo(i) if isinstance(i, Path) else i for i in images]
        self._fps = fps
        self._name = name
        self._read_timeout_s = read_timeout_s
        self._frozen = threading.Event()
        self._unplugged = threading.Event()
        self._is_open = False
        self._index = 0
        self._next_due = 0.0
        self.opens = 0

    @property
    def name(self) -> str:
        return self._name

    @property
    def is_live(self) -> bool:
        return True

    def freeze(self) -> None:
        self._frozen.set()

    def unfreeze(self) -> None:
        self._frozen.clear()

    def unplug(self) -> None:
        """The device vanishes: reads fail and opening fails until ``plug``."""
        self._unplugged.set()

    def plug(self) -> None:
        self._unplugged.clear()

    def open(self) -> None:
        if self._unplugged.is_set():
            raise CameraOpenError(f"cannot open camera source {self._name}: unplugged")
        self._is_open = True
        self._next_due = time.monotonic()
        self.opens += 1

    def read(self) -> Image | None:
        if not self._is_open or self._unplugged.is_set():
            return None
        if self._frozen.is_set():
            # A hung device: the driver's read times out with nothing.
            time.sleep(self._read_timeout_s)
            return None
        delay = self._next_due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._next_due = max(self._next_due + 1.0 / self._fps, time.monotonic() - 1.0)
        image = self._images[self._index % len(self._images)]
        self._index += 1
        # A real capture hands out a new buffer each time; so must we, because the pump
        # marks frames read-only and consumers keep them.
        return image.copy()

    def close(self) -> None:
        self._is_open = False

    def fps(self) -> float | None:
        return self._fps


def video_from_photos(
    photos: Sequence[Path],
    out_path: Path,
    fps: float = 15.0,
    seconds_per_photo: float = 1.0,
    size: tuple[int, int] = (640, 480),
) -> Path:
    """Write ``photos`` (each letterboxed to ``size``, shown ``seconds_per_photo``) into an
    MJPG ``.avi`` at ``fps``; returns ``out_path``. Raises ``CameraError`` naming the
    photo or file that failed."""
    if not photos:
        raise CameraError("no photos to make a video from")
    repeats = max(1, round(fps * seconds_per_photo))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fourcc = cv2.VideoWriter.fourcc(*"MJPG")
    writer = cv2.VideoWriter(str(out_path), fourcc, fps, size)
    if not writer.isOpened():
        raise CameraError(f"cannot write video {out_path}: is the folder writable?")
    try:
        for photo in photos:
            frame = letterbox(read_photo(photo), size)
            for _ in range(repeats):
                writer.write(frame)
    finally:
        writer.release()
    log.info(
        "video written from photos",
        extra={"path": str(out_path), "photos": len(photos), "fps": fps},
    )
    return out_path
