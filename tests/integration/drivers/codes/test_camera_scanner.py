"""``CameraScanner`` over a real video file through OpenCV: a code shown to the camera is
one scan however many frames it is in, a code shown again after leaving is a new scan,
and the events look like the serial scanner's (AIM, symbology, masked repr)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from drivers.camera import FramePump, source_for
from drivers.codes.camera_scanner import CameraScanner
from drivers.scanner.events import ScanEvent
from tests.support.code_frames import (
    background,
    ean13_image,
    place_in_frame,
    qr_image,
    write_video,
)

WECHAT = "134567890123456781"
EAN = "6910263003875"


@pytest.fixture
def video(tmp_path: Path) -> Path:
    empty = background()
    return write_video(
        tmp_path / "codes.avi",
        [
            (empty, 0.6),
            (place_in_frame(qr_image(WECHAT)), 2.0),  # a phone held up for 2 s
            (empty, 2.5),  # taken away
            (place_in_frame(qr_image(WECHAT)), 1.0),  # shown again: a new scan
            (place_in_frame(ean13_image(EAN)), 1.0),
            (empty, 0.5),
        ],
    )


def test_each_showing_of_a_code_is_one_scan(video: Path) -> None:
    pump = FramePump(source_for(video), loop=False)
    scanner = CameraScanner(pump)
    events: list[ScanEvent] = []
    done = threading.Event()

    def got(event: ScanEvent) -> None:
        events.append(event)
        if len(events) == 3:
            done.set()

    scanner.on_scan(got)
    pump.start()
    scanner.start()
    try:
        assert done.wait(20), [e.code for e in events]
        time.sleep(1.0)  # the video's last second: nothing more comes
    finally:
        scanner.stop()
        pump.stop()
    assert [e.code for e in events] == [WECHAT, WECHAT, EAN]
    assert [e.aim for e in events] == ["]Q1", "]Q1", "]E0"]
    assert WECHAT not in repr(events[0])  # a payment code is masked in logs
    assert scanner.reads >= 10


def _two_phones(left: str, right: str) -> np.ndarray:
    """One frame: a payment code held up on the left and another on the right."""
    frame = background()
    for text, x in ((left, 40), (right, 400)):
        code = qr_image(text, module_px=5)
        height, width = code.shape
        frame[120 : 120 + height, x : x + width] = code[:, :, None]
    return frame


@pytest.mark.parametrize(("focus", "first"), [((120.0, 200.0), "left"), ((500.0, 200.0), "right")])
def test_of_two_codes_in_a_frame_the_one_nearest_the_face_comes_first(
    tmp_path: Path, focus: tuple[float, float], first: str
) -> None:
    codes = {"left": "134567890123456781", "right": "284567890123456782"}
    path = write_video(tmp_path / "two.mp4", [(_two_phones(codes["left"], codes["right"]), 1.0)])
    pump = FramePump(source_for(path), loop=False)
    scanner = CameraScanner(pump)
    scanner.set_focus(lambda: focus)
    events: list[ScanEvent] = []
    both = threading.Event()

    def got(event: ScanEvent) -> None:
        events.append(event)
        if len(events) == 2:
            both.set()

    scanner.on_scan(got)
    pump.start()
    scanner.start()
    try:
        assert both.wait(20), [e.code for e in events]
    finally:
        scanner.stop()
        pump.stop()
    assert events[0].code == codes[first]
    assert {e.code for e in events} == set(codes.values())
