"""The camera driver: OpenCV capture behind a small interface, and a pump that keeps only
the newest frame.

- ``source``: parse a configured source (device index, file, image sequence, RTSP/HTTP
  URL) and open it (``FrameSource``, ``OpenCvSource``);
- ``pump``: ``FramePump``, the thread that reads a source, drops what nobody took,
  paces files, and reopens a source that stalls;
- ``fake``: ``FakeCamera`` and ``video_from_photos`` for tests, demos and the simulator;
- ``discovery``: ``list_cameras`` for the ``devices`` command.

What must not live here: Qt, face processing, barcode decoding (``drivers/codes``).
"""

from drivers.camera.discovery import CameraInfo, list_cameras
from drivers.camera.fake import FakeCamera, letterbox, video_from_photos
from drivers.camera.pump import CameraState, CameraStatus, FramePump, PumpFrame, PumpStats
from drivers.camera.source import (
    CameraError,
    CameraOpenError,
    FrameSource,
    Image,
    OpenCvSource,
    SourceKind,
    SourceSpec,
    parse_source,
    source_for,
)

__all__ = [
    "CameraError",
    "CameraInfo",
    "CameraOpenError",
    "CameraState",
    "CameraStatus",
    "FakeCamera",
    "FramePump",
    "FrameSource",
    "Image",
    "OpenCvSource",
    "PumpFrame",
    "PumpStats",
    "SourceKind",
    "SourceSpec",
    "letterbox",
    "list_cameras",
    "parse_source",
    "source_for",
    "video_from_photos",
]
