"""The ``[scale]`` section of the settings: off by default, and errors that name the key.

Kept apart from test_config.py so that the scale's settings can be read (and changed)
on their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.config import ConfigError, ScaleSection, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terminal.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_section_there_is_no_scale() -> None:
    assert load_settings(None, env={}).scale == ScaleSection(
        enabled=False, port=None, baud=9600, protocol="toledo"
    )


def test_a_full_section_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[scale]\nenabled = true\nport = "/dev/scale"\nbaud = 4800\nprotocol = "toledo-checksum"\n',
    )
    assert load_settings(path, env={}).scale == ScaleSection(
        enabled=True, port="/dev/scale", baud=4800, protocol="toledo-checksum"
    )


def test_a_port_may_be_set_while_the_scale_is_off(tmp_path: Path) -> None:
    scale = load_settings(write(tmp_path, '[scale]\nport = "/dev/scale"\n'), env={}).scale
    assert (scale.enabled, scale.port) == (False, "/dev/scale")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[scale]\nenabled = true\n", "scale.port is missing"),
        ('[scale]\nport = " "\n', "scale.port is empty"),
        ('[scale]\nenabled = "yes"\n', "scale.enabled must be a bool"),
        ("[scale]\nbaud = 0\n", "scale.baud must be a positive rate"),
        ('[scale]\nbaud = "9600"\n', "scale.baud must be an int"),
        ('[scale]\nprotocol = "xk3190"\n', "scale.protocol must be one of toledo, toledo-checksum"),
        ("[scale]\nparity = 'E'\n", "unknown key scale.parity"),
    ],
)
def test_a_bad_value_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), env={})
