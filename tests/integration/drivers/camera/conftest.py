"""Camera test fixtures: videos written from the shared face photos, and a guard that no
pump thread outlives its test."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.camera.fake import video_from_photos
from tests.support.face_photos import photos


@pytest.fixture(scope="session")
def video_30fps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 s at 30 fps: three photos, one second each."""
    out = tmp_path_factory.mktemp("video") / "three_photos.avi"
    return video_from_photos(photos(3), out, fps=30.0, seconds_per_photo=1.0)


@pytest.fixture
def short_video(tmp_path: Path) -> Path:
    """10 frames at 20 fps (half a second); its own copy, so a test may delete it."""
    return video_from_photos(photos(2), tmp_path / "short.avi", fps=20.0, seconds_per_photo=0.25)


@pytest.fixture(autouse=True)
def no_pump_thread_left() -> Iterator[None]:
    yield
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        left = [t for t in threading.enumerate() if t.name.startswith("camera-pump")]
        if not left:
            return
        time.sleep(0.05)
    pytest.fail(f"camera pump threads left running: {left}")
