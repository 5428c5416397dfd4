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
