"""``facepay-terminal run``'s parts from a settings file: a serial scanner on a real pty,
a video-file camera through OpenCV, the registration beside the store; and settings that
cannot work refused with the key named (exit 3 through the command line)."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera import FramePump, video_from_photos
from drivers.scanner import PtyScannerSimulator, ScanEvent, ScannerReader
from terminal.app.parts import build_parts
from terminal.cli import exit_codes
from terminal.config import ConfigError, Settings, load_settings
from terminal.demo.embedded_cloud import EmbeddedCloud
from tests.integration.test_cli import cli

WATER = "6910263003875"


@pytest.fixture
def video(tmp_path: Path) -> Path:
    photo = tmp_path / "shelf.png"
    image = np.zeros((480, 640, 3), dtype=np.uint8)
    cv2.rectangle(image, (100, 100), (540, 380), (40, 160, 220), thickness=-1)
    cv2.imwrite(str(photo), image)
    return video_from_photos([photo], tmp_path / "camera.avi", fps=15, seconds_per_photo=1)


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terminal.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_parts_from_a_file_scan_and_see(tmp_path: Path, video: Path) -> None:
    link = tmp_path / "ttyScanner"
    db = tmp_path / "till" / "terminal.db"
    config = write_config(
        tmp_path,
        f'[storage]\ndb = "{db}"\n'
        f'[scanner]\nport = "{link}"\nbaud = 115200\n'
        f'[camera]\nsource = "{video}"\n'
        '[ui]\ncashier_screen = "HDMI-1"\ncustomer_screen = "HDMI-2"\nlanguage = "en"\n'
        "full_screen = true\nthanks_seconds = 4\n"
        '[face]\nliveness = "simulated"\n[sync]\nsend_every_s = 1\n',
    )
    settings = load_settings(config, env={})
    with EmbeddedCloud(tmp_path / "cloud") as cloud:
        registration = cloud.register(db, "run test")

    with PtyScannerSimulator(link) as simulator:
        parts = build_parts(settings)
        assert parts.db_path == db and parts.registration == registration
        ui = parts.settings.ui
        assert (ui.cashier_screen, ui.customer_screen) == ("HDMI-1", "HDMI-2")
        assert (ui.language, ui.full_screen, ui.thanks_s) == ("en", True, 4.0)
        assert parts.settings.face.liveness == "simulated"
        assert parts.settings.sync.send_every_s == 1.0
        assert isinstance(parts.scanner, ScannerReader) and isinstance(parts.camera, FramePump)
        # Registered, with a camera and the models: face pay, codes at the camera, sync.
        assert parts.face is not None and parts.camera_codes is not None
        assert parts.sync is not None and parts.cloud is not None

        heard: list[ScanEvent] = []
        arrived = threading.Event()
        parts.scanner.on_scan(lambda event: (heard.append(event), arrived.set()))
        try:
            parts.scanner.start()
            parts.camera.start()
            frame = parts.camera.latest(timeout=5)
            assert frame is not None and frame.image.shape == (480, 640, 3)
            for _ in range(50):  # the reader opens the port on its own thread
                if simulator.send_scan(WATER) and arrived.wait(0.1):
                    break
            assert [event.code for event in heard[:1]] == [WATER]
        finally:
            assert parts.stop()
            parts.close()
        assert not parts.camera.running


def test_without_devices_nothing_is_made(tmp_path: Path) -> None:
    parts = build_parts(with_db(load_settings(None, env={}), tmp_path / "t.db"))
    assert (parts.scanner, parts.camera, parts.registration) == (None, None, None)
    assert (parts.face, parts.sync, parts.cloud, parts.scan_sources) == (None, None, None, ())
    assert parts.db_path == tmp_path / "t.db" and parts.settings.ui.language == "zh_CN"


def test_a_damaged_secrets_file_runs_without_the_cloud(tmp_path: Path) -> None:
    (tmp_path / "t.secrets.json").write_text("{not json")
    parts = build_parts(with_db(load_settings(None, env={}), tmp_path / "t.db"))
    assert parts.registration is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[scanner]\nport = "/dev/ttyS0"\nbaud = 12345\n', "scanner.baud"),
        ('[camera]\nsource = "/nowhere/clip.avi"\n', "camera.source: the file"),
        ('[camera]\nsource = "/nowhere/f_%04d.jpg"\n', "camera.source: no numbered images"),
    ],
)
def test_parts_that_cannot_work_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    settings = load_settings(write_config(tmp_path, text), env={})
    with pytest.raises(ConfigError, match=message):
        build_parts(with_db(settings, tmp_path / "t.db"))


def with_db(settings: Settings, path: Path) -> Settings:
    return dataclasses.replace(settings, db_path=path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[ui]\nlanguage = "fr"\n', "ui.language must be one of zh_CN, en"),
        ('[scanner]\nport = "/dev/ttyS0"\nbaud = 12345\n', "scanner.baud"),
        ('[camera]\nsource = "/nowhere/clip.avi"\n', "camera.source"),
    ],
)
def test_a_malformed_config_exits_3_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    config = write_config(tmp_path, text)
    result = cli("run", "--config", str(config), "--db", str(tmp_path / "t.db"))
    assert result.returncode == exit_codes.CONFIG, result.stderr
    assert "configuration error" in result.stderr and message in result.stderr
    assert str(config) in result.stderr
