"""Where frames come from: parse a configured camera source and open it with OpenCV.

``parse_source`` turns what the settings say (``0``, ``"/dev/video2"``, ``"clip.avi"``,
``"frames/%04d.jpg"``, a folder of images, ``"rtsp://..."``) into a ``SourceSpec``;
``OpenCvSource`` opens a spec behind the small ``FrameSource`` interface that the frame
pump reads, and that ``FakeCamera`` also implements.

What must not live here: threads, pacing, reconnecting (``pump.py``), and anything that
looks at what is in a frame (``terminal/face``, ``drivers/codes``).
"""

from __future__ import annotations

import enum
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeAlias
from urllib.parse import urlsplit, urlunsplit

import cv2
import numpy as np
from numpy.typing import NDArray

Image: TypeAlias = NDArray[np.uint8]

log = logging.getLogger(__name__)

STREAM_SCHEMES = frozenset({"rtsp", "rtsps", "rtmp", "http", "https", "udp", "tcp"})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"})
_PRINTF = re.compile(r"%0?(\d*)d")
# Above this OpenCV reports nonsense (some containers say 1000 fps); treat it as unknown.
_MAX_PLAUSIBLE_FPS = 240.0


class CameraError(Exception):
    """Base of the camera driver's errors; the message names the source."""


class CameraOpenError(CameraError):
    """A source that cannot be opened; the message says which and what to check."""


class SourceKind(enum.StrEnum):
    DEVICE = "device"  # a V4L2 index or /dev/videoN path
    FILE = "file"  # a video file (or a single still)
    IMAGES = "images"  # a printf pattern or a folder of numbered images
    STREAM = "stream"  # RTSP / HTTP / ... network camera


@dataclass(frozen=True)
class SourceSpec:
    """A parsed source: ``location`` is the index, path, pattern or URL as given."""

    kind: SourceKind
    location: str
    index: int | None = None

    @property
    def is_live(self) -> bool:
        """Live sources deliver at their own pace and cannot be rewound."""
        return self.kind in (SourceKind.DEVICE, SourceKind.STREAM)

    @property
    def display_name(self) -> str:
        """The source for logs and errors: a URL's user and password are hidden."""
        if self.kind is SourceKind.STREAM:
            return mask_url_credentials(self.location)
        return self.location


def mask_url_credentials(url: str) -> str:
    """``rtsp://admin:secret@10.0.0.5/s1`` -> ``rtsp://***@10.0.0.5/s1``."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


def parse_source(source: str | int | Path) -> SourceSpec:
    """What kind of source the settings name; raises ``CameraError`` for an empty or
    negative one. Only a folder is told apart by looking at the disk."""
    if isinstance(source, bool):
        raise CameraError(f"camera source must be an index, path or URL, got {source!r}")
    if isinstance(source, int):
        if source < 0:
            raise CameraError(f"camera index must be 0 or more, got {source}")
        return SourceSpec(SourceKind.DEVICE, str(source), index=source)
    text = str(source).strip()
    if not text:
        raise CameraError("camera source is empty: give a device index, a file or a URL")
    if text.isdigit():
        return SourceSpec(SourceKind.DEVICE, text, index=int(text))
    if re.fullmatch(r"/dev/video\d+", text):
        return SourceSpec(SourceKind.DEVICE, text, index=int(text.removeprefix("/dev/video")))
    scheme = urlsplit(text).scheme.lower()
    if scheme in STREAM_SCHEMES:
        return SourceSpec(SourceKind.STREAM, text)
    if _PRINTF.search(Path(text).name):
        return SourceSpec(SourceKind.IMAGES, text)
    if text.endswith(("/", "\\")) or Path(text).is_dir():
        return SourceSpec(SourceKind.IMAGES, text)
    return SourceSpec(SourceKind.FILE, text)


def first_image_of(location: str) -> Path | None:
    """The first frame of an image sequence (a folder or a printf pattern), or None.

    OpenCV's image-sequence reader given a pattern only looks for frame 0 or 1, but given
    the first file it infers the pattern and starts there; so we hand it the first file.
    """
    path = Path(location)
    if path.is_dir():
        images = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        return images[0] if images else None
    match = _PRINTF.search(path.name)
    if match is None or not path.parent.is_dir():
        return None
    head, tail = path.name[: match.start()], path.name[match.end() :]
    width = int(match.group(1) or 0)
    numbered = re.compile(re.escape(head) + r"(\d+)" + re.escape(tail) + r"\Z")
    found: list[tuple[int, Path]] = []
    for candidate in path.parent.iterdir():
        hit = numbered.match(candidate.name)
        if hit and len(hit.group(1)) >= width:
            found.append((int(hit.group(1)), candidate))
    return min(found)[1] if found else None


class FrameSource(Protocol):
    """What the frame pump reads. ``read`` must return within a bounded time (a frozen
    device gives None after its timeout) so the pump can notice a stall and stop."""

    @property
    def name(self) -> str: ...

    @property
    def is_live(self) -> bool: ...

    def open(self) -> None:
        """Open (or reopen) the source; raises ``CameraOpenError`` naming it."""

    def read(self) -> Image | None:
        """The next frame (BGR), or None at the end of a file or on a failed read."""

    def close(self) -> None:
        """Release the device or file; safe to call twice."""

    def fps(self) -> float | None:
        """The source's own frame rate, None when it does not say."""


class OpenCvSource:
    """A ``FrameSource`` over ``cv2.VideoCapture``. Not thread-safe: one reader thread."""

    def __init__(
        self,
        spec: SourceSpec,
        *,
        fps: float | None = None,
        size: tuple[int, int] | None = None,
        read_timeout_s: float = 5.0,
        open_timeout_s: float = 10.0,
    ) -> None:
        self.spec = spec
        self._fps_override = fps
        self._size = size
        self._read_timeout_ms = int(read_timeout_s * 1000)
        self._open_timeout_ms = int(open_timeout_s * 1000)
        self._capture: cv2.VideoCapture | None = None

    @property
    def name(self) -> str:
        return self.spec.display_name

    @property
    def is_live(self) -> bool:
        return self.spec.is_live

    def open(self) -> None:
        self.close()
        capture = self._new_capture()
        if not capture.isOpened():
            capture.release()
            raise CameraOpenError(f"cannot open camera source {self.name}: {self._hint()}")
        if self.spec.kind is SourceKind.DEVICE:
            # A driver queue of several frames is exactly the backlog the pump exists to
            # avoid: ask for one (drivers that cannot, ignore it).
            capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
            if self._size is not None:
                capture.set(cv2.CAP_PROP_FRAME_WIDTH, self._size[0])
                capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self._size[1])
        self._capture = capture
        log.info(
            "camera source opened",
            extra={"camera": self.name, "kind": str(self.spec.kind), "fps": self.fps()},
        )

    def _new_capture(self) -> cv2.VideoCapture:
        spec = self.spec
        if spec.kind is SourceKind.DEVICE:
            assert spec.index is not None
            target: str | int = spec.location if spec.location.startswith("/") else spec.index
            return cv2.VideoCapture(target, cv2.CAP_ANY)
        if spec.kind is SourceKind.STREAM:
            # Without these an unreachable camera blocks open() for ~30 s and a dropped
            # stream blocks read() forever, and the pump could neither reconnect nor stop.
            params = [
                cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
                self._open_timeout_ms,
                cv2.CAP_PROP_READ_TIMEOUT_MSEC,
                self._read_timeout_ms,
            ]
            return cv2.VideoCapture(spec.location, cv2.CAP_FFMPEG, params)
        if spec.kind is SourceKind.IMAGES:
            first = first_image_of(spec.location)
            if first is None:
                return cv2.VideoCapture()
            return cv2.VideoCapture(str(first), cv2.CAP_IMAGES)
        if not Path(spec.location).is_file():
            return cv2.VideoCapture()
        return cv2.VideoCapture(spec.location, cv2.CAP_ANY)

    def _hint(self) -> str:
        kind = self.spec.kind
        if kind is SourceKind.DEVICE:
            return (
                "is the camera plugged in and not used by another program? "
                "'facepay-terminal devices' lists the cameras found"
            )
        if kind is SourceKind.STREAM:
            return "check the address, the user and password, and the network"
        if kind is SourceKind.IMAGES:
            return "no numbered images found there (e.g. frame_0001.jpg)"
        if not Path(self.spec.location).is_file():
            return "the file does not exist"
        return "the file is not a video OpenCV can decode"

    def read(self) -> Image | None:
        if self._capture is None:
            return None
        ok, frame = self._capture.read()
        if not ok or frame is None:
            return None
        return np.asarray(frame, dtype=np.uint8)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def fps(self) -> float | None:
        if self._fps_override is not None:
            return self._fps_override
        if self._capture is None:
            return None
        value = float(self._capture.get(cv2.CAP_PROP_FPS))
        if math.isnan(value) or value <= 0 or value > _MAX_PLAUSIBLE_FPS:
            return None
        return value


def source_for(
    source: str | int | Path,
    *,
    fps: float | None = None,
    size: tuple[int, int] | None = None,
) -> OpenCvSource:
    """Parse a configured source and build its (not yet opened) OpenCV reader."""
    return OpenCvSource(parse_source(source), fps=fps, size=size)
