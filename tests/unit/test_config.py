"""Settings: defaults, the TOML file, environment overrides, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.config import ConfigError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terminal.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file() -> None:
    settings = load_settings(None, env={})
    assert settings.device_id == "T01"
    assert settings.synchronous == "FULL"
    assert settings.timezone == "Asia/Shanghai"
    assert settings.weighed_layout.value == "price"


def test_a_full_file_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[device]\nid = "SH0042"\n[store]\nname = "罗森 南京西路店"\ntimezone = "Asia/Shanghai"\n'
        '[storage]\ndb = "/var/lib/facepay/terminal.db"\nsynchronous = "normal"\n'
        '[codes]\nweighed_pattern = "FFIIIIIVVVVVC"\nweighed_prefixes = ["28"]\n'
        'weighed_value = "weight"\n',
    )
    settings = load_settings(path, env={})
    assert settings.device_id == "SH0042"
    assert settings.store_name == "罗森 南京西路店"
    assert settings.db_path == Path("/var/lib/facepay/terminal.db")
    assert settings.synchronous == "NORMAL"
    assert settings.weighed_layout.prefixes == frozenset({"28"})
    assert settings.source == str(path)


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[device]\nid = "T01"\n')
    settings = load_settings(
        None, env={"FACEPAY_CONFIG": str(path), "FACEPAY_DEVICE_ID": "T99", "FACEPAY_DB": "/x.db"}
    )
    assert settings.device_id == "T99" and settings.db_path == Path("/x.db")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[device]\nid = "t-1"\n', "device.id"),
        ("[device]\nid = 7\n", "device.id must be a str"),
        ('[stroe]\nname = "x"\n', "unknown section [stroe]"),
        ('[storage]\nsynchronus = "FULL"\n', "unknown key storage.synchronus"),
        ('[storage]\nsynchronous = "OFF"\n', "storage.synchronous must be FULL or NORMAL"),
        ('[store]\ntimezone = "Mars/Olympus"\n', "store.timezone"),
        ('[codes]\nweighed_prefixes = ["30"]\n', "codes.weighed_"),
        ('[codes]\nweighed_value = "volume"\n', "codes.weighed_"),
        ("store = 3\n", "[store] must be a table"),
        ("[device\n", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(write(tmp_path, text), env={})
    assert message in str(error.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


def test_device_sections_default_when_absent() -> None:
    settings = load_settings(None, env={})
    assert settings.ui.language == "zh_CN" and settings.ui.thanks_s == 8.0
    assert settings.ui.full_screen is False and settings.ui.cashier_screen is None
    assert settings.scanner.port is None and settings.scanner.baud == 9600
    assert settings.camera.source is None and settings.camera.size is None
    assert settings.face.enabled is True and settings.face.liveness == "models"
    assert settings.face.debug_dir is None
    assert (settings.sync.send_every_s, settings.sync.pull_every_s, settings.sync.timeout_s) == (
        3.0,
        60.0,
        10.0,
    )
    assert settings.demo.photos is None


def test_device_sections_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[ui]\ncashier_screen = "HDMI-1"\ncustomer_screen = "DP-1"\nlanguage = "en"\n'
        "full_screen = true\nthanks_seconds = 5\n"
        '[scanner]\nport = "/dev/ttyACM0"\nbaud = 115200\n'
        '[camera]\nsource = "rtsp://cam.local/s1"\nwidth = 1280\nheight = 720\n'
        '[face]\nenabled = false\ndebug_dir = "~/face-debug"\nliveness = "simulated"\n'
        "[sync]\nsend_every_s = 1.5\npull_every_s = 30\ntimeout_s = 4\n"
        '[demo]\nphotos = "/srv/demo-faces"\n',
    )
    settings = load_settings(path, env={})
    ui = settings.ui
    assert (ui.cashier_screen, ui.customer_screen, ui.language) == ("HDMI-1", "DP-1", "en")
    assert ui.full_screen is True and ui.thanks_s == 5.0
    assert (settings.scanner.port, settings.scanner.baud) == ("/dev/ttyACM0", 115200)
    assert settings.camera.source == "rtsp://cam.local/s1"
    assert settings.camera.size == (1280, 720)
    assert settings.face.enabled is False and settings.face.liveness == "simulated"
    assert settings.face.debug_dir == Path("~/face-debug").expanduser()
    assert (settings.sync.send_every_s, settings.sync.pull_every_s, settings.sync.timeout_s) == (
        1.5,
        30.0,
        4.0,
    )
    assert settings.demo.photos == Path("/srv/demo-faces")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[ui]\nlanguage = "fr"\n', "ui.language must be one of zh_CN, en, got 'fr'"),
        ('[ui]\nfull_screen = "yes"\n', "ui.full_screen must be a bool"),
        ("[ui]\nthanks_seconds = 0\n", "ui.thanks_seconds must be more than 0"),
        ("[ui]\nthanks_seconds = true\n", "ui.thanks_seconds must be a number"),
        ('[ui]\ncustomer_screen = " "\n', "ui.customer_screen is empty"),
        ('[ui]\nscreen = "HDMI-1"\n', "unknown key ui.screen"),
        ('[scanner]\nbaud = "9600"\n', "scanner.baud must be an int"),
        ("[scanner]\nbaud = 9600.0\n", "scanner.baud must be an int"),
        ("[scanner]\nbaud = -1\n", "scanner.baud must be a positive rate"),
        ("[scanner]\nport = 0\n", "scanner.port must be a str"),
        ("[camera]\nsource = 0\n", "camera.source must be a str"),
        ("[camera]\nwidth = 640\n", "camera.height is missing"),
        ("[camera]\nwidth = 4\nheight = 4\n", "camera.width must be 16 to 8192"),
        ('[face]\nliveness = "none"\n', "face.liveness must be one of models, simulated"),
        ("[face]\nenabled = 1\n", "face.enabled must be a bool"),
        ('[sync]\ntimeout_s = "10"\n', "sync.timeout_s must be a number"),
        ("[sync]\nsend_every_s = -3\n", "sync.send_every_s must be more than 0"),
        ("[demo]\nphotos = 3\n", "demo.photos must be a str"),
        ('[demo]\nfolder = "x"\n', "unknown key demo.folder"),
    ],
)
def test_bad_device_settings_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(write(tmp_path, text), env={})
    assert message in str(error.value)
