"""ScaleSettings: defaults, errors that name the field, and the protocol names the
settings file may give (terminal/config.py lists the same)."""

from __future__ import annotations

from typing import Any

import pytest

from drivers.scale.settings import PROTOCOLS, ScaleSettings, ScaleSettingsError
from terminal.config import SCALE_PROTOCOLS


def test_defaults_are_toledo_at_9600_8n1_without_checksum() -> None:
    settings = ScaleSettings("/dev/ttyUSB0")
    assert (settings.protocol, settings.baud, settings.bytesize, settings.parity) == (
        "toledo",
        9600,
        8,
        "N",
    )
    assert not settings.checksum
    assert ScaleSettings("/dev/ttyUSB0", protocol="toledo-checksum").checksum


def test_a_7e1_scale_may_be_configured_as_such() -> None:
    settings = ScaleSettings("/dev/ttyS0", baud=4800, bytesize=7, parity="E")
    assert (settings.bytesize, settings.parity) == (7, "E")


def test_the_settings_file_knows_the_same_protocols_as_the_driver() -> None:
    assert SCALE_PROTOCOLS == PROTOCOLS


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"port": " "}, "scale.port"),
        ({"protocol": "xk3190"}, "scale.protocol"),
        ({"baud": 9601}, "scale.baud"),
        ({"bytesize": 6}, "scale.bytesize"),
        ({"parity": "X"}, "scale.parity"),
        ({"stopbits": 3}, "scale.stopbits"),
        ({"reconnect_min_s": 2.0, "reconnect_max_s": 1.0}, "reconnect_min_s"),
        ({"read_timeout_s": 0}, "scale.read_timeout_s"),
        ({"problem_interval_s": -1}, "scale.problem_interval_s"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ScaleSettingsError, match=field):
        ScaleSettings(**{"port": "/dev/ttyUSB0", **change})
