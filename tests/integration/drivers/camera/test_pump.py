"""The frame pump against real video files, image sequences and the fake camera."""

from __future__ import annotations

import itertools
import threading
import time
import tracemalloc
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera import (
    CameraState,
    CameraStatus,
    FakeCamera,
    FramePump,
    PumpFrame,
    source_for,
)
from tests.support.face_photos import photos


class StatusLog:
    """Collects a pump's status events; tests wait for the one they expect."""

    def __init__(self) -> None:
        self.events: list[CameraStatus] = []
        self._cond = threading.Condition()

    def __call__(self, status: CameraStatus) -> None:
        with self._cond:
            self.events.append(status)
            self._cond.notify_all()

    def states(self) -> list[CameraState]:
        with self._cond:
            return [event.state for event in self.events]

    def wait_for(self, state: CameraState, after: int = 0, timeout: float = 10.0) -> CameraStatus:
        """The first event in ``state`` at position ``after`` or later."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for event in self.events[after:]:
                    if event.state is state:
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    pytest.fail(f"no {state} event within {timeout} s; got {self.states()}")
                self._cond.wait(remaining)


def frames_for(pump: FramePump, seconds: float) -> list[PumpFrame]:
    """Every frame a fast consumer gets in ``seconds``."""
    got: list[PumpFrame] = []
    seq = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        frame = pump.latest(seq, timeout=0.5)
        if frame is not None:
            got.append(frame)
            seq = frame.seq
    return got


def small_images(count: int) -> list[np.ndarray]:
    return [np.full((120, 160, 3), 20 * i, dtype=np.uint8) for i in range(count)]


def test_video_from_photos_plays_back_with_opencv(short_video: Path) -> None:
    capture = cv2.VideoCapture(str(short_video))
    try:
        assert capture.isOpened()
        assert capture.get(cv2.CAP_PROP_FPS) == pytest.approx(20.0)
        shapes = []
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            shapes.append(frame.shape)
    finally:
        capture.release()
    assert shapes == [(480, 640, 3)] * 10


def test_file_source_plays_at_its_own_frame_rate(video_30fps: Path) -> None:
    with FramePump(source_for(video_30fps)) as pump:
        assert pump.latest(0, timeout=10.0) is not None  # opened and playing
        got = frames_for(pump, 2.0)
        stats = pump.stats()
    # Unpaced, a 640x480 MJPG decodes at hundreds of fps: ~60 frames means pacing works.
    assert 30 <= len(got) <= 75
    assert 20.0 <= stats.fps <= 40.0
    assert [f.seq for f in got] == sorted({f.seq for f in got})
    assert got[0].image.shape == (480, 640, 3)


def test_file_source_loops_back_to_the_start(short_video: Path) -> None:
    log = StatusLog()
    pump = FramePump(source_for(short_video))
    pump.on_status(log)
    with pump:
        got = frames_for(pump, 1.5)
    # 10 frames a loop at 20 fps: 1.5 s is three loops, and the file was reopened quietly.
    assert got[-1].seq > 15
    assert log.states().count(CameraState.LIVE) == 1
    assert log.states()[-1] is CameraState.STOPPED


def test_file_source_without_loop_ends(short_video: Path) -> None:
    log = StatusLog()
    pump = FramePump(source_for(short_video), loop=False)
    pump.on_status(log)
    with pump:
        log.wait_for(CameraState.ENDED)
        got = frames_for(pump, 0.2)
        assert not pump.running
    assert pump.stats().frames == 10
    assert pump.latest(0, timeout=0.1) is not None  # the last frame stays readable
    assert got == [] or got[-1].seq == 10


def test_slow_consumer_gets_the_newest_frame_and_no_backlog() -> None:
    camera = FakeCamera([np.zeros((480, 640, 3), dtype=np.uint8)], fps=60.0)
    with FramePump(camera) as pump:
        first = pump.latest(0, timeout=5.0)
        assert first is not None
        tracemalloc.start()
        try:
            seqs = [first.seq]
            baseline = 0
            for round_no in range(12):
                time.sleep(0.1)  # a consumer much slower than the camera
                frame = pump.latest(seqs[-1], timeout=5.0)
                assert frame is not None
                # What it gets is the newest there is, not the next in a queue.
                assert frame.seq >= pump.stats().frames - 1
                seqs.append(frame.seq)
                if round_no == 2:
                    baseline = tracemalloc.get_traced_memory()[0]
            grown = tracemalloc.get_traced_memory()[0] - baseline
        finally:
            tracemalloc.stop()
        stats = pump.stats()
    assert seqs == sorted(set(seqs))
    assert max(b - a for a, b in itertools.pairwise(seqs)) > 1
    assert stats.dropped > 0
    # 60 fps for a second is 55 MB of frames if they were kept; allow a few frames.
    assert grown < 5 * 640 * 480 * 3


def test_frame_is_read_only_so_consumers_cannot_corrupt_each_other() -> None:
    with FramePump(FakeCamera(small_images(1), fps=30.0)) as pump:
        frame = pump.latest(0, timeout=5.0)
    assert frame is not None
    with pytest.raises(ValueError):
        frame.image[0, 0] = 1


def test_frozen_camera_is_reopened_with_status_events() -> None:
    camera = FakeCamera(small_images(3), fps=30.0, read_timeout_s=0.05)
    log = StatusLog()
    pump = FramePump(camera, stall_timeout_s=0.5, backoff_initial_s=0.1)
    pump.on_status(log)
    with pump:
        log.wait_for(CameraState.LIVE)
        camera.freeze()
        stalled = log.wait_for(CameraState.STALLED)
        assert "no frame for 0.5 s" in stalled.detail
        position = len(log.events)
        camera.unfreeze()
        log.wait_for(CameraState.LIVE, after=position)
        before = pump.stats().frames
        assert pump.latest(before, timeout=5.0) is not None  # frames flow again
        assert pump.stats().reopens >= 1
    assert camera.opens >= 2


def test_unplugged_camera_is_retried_with_growing_backoff_until_plugged_back() -> None:
    camera = FakeCamera(small_images(2), fps=30.0)
    log = StatusLog()
    pump = FramePump(camera, stall_timeout_s=0.3, backoff_initial_s=0.05, backoff_max_s=0.4)
    pump.on_status(log)
    with pump:
        log.wait_for(CameraState.LIVE)
        camera.unplug()
        deadline = time.monotonic() + 10.0
        while time.monotonic() < deadline:
            retries = [e for e in log.events if e.state is CameraState.RECONNECTING]
            if len(retries) >= 3:
                break
            time.sleep(0.05)
        assert "unplugged" in retries[0].detail
        delays = [e.retry_in_s for e in retries[:3]]
        assert delays == sorted(delays) and delays[0] < delays[-1]
        position = len(log.events)
        camera.plug()
        log.wait_for(CameraState.LIVE, after=position)


def test_deleted_video_file_reports_reconnecting_with_the_reason(short_video: Path) -> None:
    log = StatusLog()
    pump = FramePump(source_for(short_video), backoff_initial_s=0.05, backoff_max_s=0.2)
    pump.on_status(log)
    with pump:
        log.wait_for(CameraState.LIVE)
        short_video.unlink()
        event = log.wait_for(CameraState.RECONNECTING)
    assert str(short_video) in event.detail
    assert "does not exist" in event.detail


def test_source_that_never_opens_fails_after_the_allowed_attempts(tmp_path: Path) -> None:
    log = StatusLog()
    missing = tmp_path / "nope.avi"
    pump = FramePump(source_for(missing), backoff_initial_s=0.01, max_open_attempts=3)
    pump.on_status(log)
    with pump:
        failed = log.wait_for(CameraState.FAILED)
        assert pump.latest(0, timeout=0.1) is None
    assert failed.attempt == 3
    assert str(missing) in failed.detail


def test_image_sequence_plays_from_its_first_numbered_file(tmp_path: Path) -> None:
    folder = tmp_path / "frames"
    folder.mkdir()
    for number in range(7, 13):  # does not start at 0 or 1, as exported clips often don't
        image = np.full((60, 80, 3), 30 * (number - 7), dtype=np.uint8)
        cv2.imwrite(str(folder / f"frame_{number:04d}.png"), image)
    for configured in (str(folder / "frame_%04d.png"), str(folder)):
        with FramePump(source_for(configured, fps=50.0), loop=False) as pump:
            got = frames_for(pump, 0.5)
        assert [int(f.image[0, 0, 0]) for f in got] == [0, 30, 60, 90, 120, 150], configured


def test_a_listener_that_raises_does_not_stop_the_pump(caplog: pytest.LogCaptureFixture) -> None:
    def broken(status: CameraStatus) -> None:
        raise RuntimeError("listener bug")

    log = StatusLog()
    pump = FramePump(FakeCamera(small_images(2), fps=30.0))
    pump.on_status(broken)
    pump.on_status(log)
    with pump:
        log.wait_for(CameraState.LIVE)
        first = pump.latest(0, timeout=5.0)
        assert first is not None
        assert pump.latest(first.seq, timeout=5.0) is not None
    assert "camera status listener failed" in caplog.text


def test_stop_returns_promptly_and_releases_the_source(video_30fps: Path) -> None:
    pump = FramePump(source_for(video_30fps))
    pump.start()
    assert pump.latest(0, timeout=10.0) is not None
    started = time.monotonic()
    assert pump.stop()
    assert time.monotonic() - started < 3.0
    assert not pump.running
    assert pump.state is CameraState.STOPPED


def test_frames_from_photos_at_their_fps_through_the_fake_camera() -> None:
    camera = FakeCamera(photos(2), fps=20.0)
    with FramePump(camera) as pump:
        got = frames_for(pump, 1.0)
    assert 8 <= len(got) <= 30
    assert pump.stats().fps == pytest.approx(20.0, rel=0.5)
