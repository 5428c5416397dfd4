"""ScannerSettings: defaults and errors that name the field."""

from __future__ import annotations

from typing import Any

import pytest

from drivers.scanner.settings import ScannerSettings, ScannerSettingsError


def test_defaults_are_9600_8n1_continuous() -> None:
    settings = ScannerSettings("/dev/ttyACM0")
    assert (settings.baud, settings.bytesize, settings.parity, settings.stopbits) == (
        9600,
        8,
        "N",
        1,
    )
    assert settings.trigger == "continuous"
    assert settings.duplicate_window_ms == 800
    assert settings.max_line_bytes == 4096


def test_other_framings_are_accepted() -> None:
    settings = ScannerSettings("/dev/ttyS0", baud=115200, bytesize=7, parity="E", stopbits=2)
    assert settings.baud == 115200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"port": " "}, "scanner.port"),
        ({"baud": 9601}, "scanner.baud"),
        ({"bytesize": 9}, "scanner.bytesize"),
        ({"parity": "X"}, "scanner.parity"),
        ({"stopbits": 3}, "scanner.stopbits"),
        ({"trigger": "manual"}, "scanner.trigger"),
        ({"duplicate_window_ms": -1}, "scanner.duplicate_window_ms"),
        ({"reconnect_min_s": 2.0, "reconnect_max_s": 1.0}, "reconnect_min_s"),
        ({"reconnect_min_s": 0}, "reconnect_min_s"),
        ({"max_line_bytes": 10}, "scanner.max_line_bytes"),
        ({"read_timeout_s": 0}, "scanner.read_timeout_s"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ScannerSettingsError, match=field):
        ScannerSettings(**{"port": "/dev/ttyACM0", **change})
