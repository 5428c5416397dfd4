"""``CameraScanner`` over a real video file through OpenCV: a code shown to the camera is
one scan however many frames it is in, a code shown again after leaving is a new scan,
and the events look like the serial scanner's (AIM, symbology, masked repr)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

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
