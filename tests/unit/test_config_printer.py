"""The ``[printer]`` section: defaults, each key read, and errors that name the key (the
device string checked by the printer driver's own parser at start-up)."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.config import ConfigError, PrinterSection, load_settings


def _load(tmp_path: Path, text: str) -> PrinterSection:
    path = tmp_path / "terminal.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, env={}).printer


def test_no_section_no_printer() -> None:
    printer = load_settings(None, env={}).printer
    assert (printer.device, printer.enabled, printer.paper_mm, printer.drawer) == (
        None,
        True,
        80,
        "pin2",
    )
    assert printer.drawer_pin == 2


def test_the_section_is_read(tmp_path: Path) -> None:
    printer = _load(
        tmp_path,
        '[printer]\ndevice = "tcp:10.0.0.31:9100"\nenabled = false\npaper_mm = 58\n'
        'drawer = "none"\n',
    )
    assert printer == PrinterSection(
        "tcp:10.0.0.31:9100", enabled=False, paper_mm=58, drawer="none"
    )
    assert printer.drawer_pin is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[printer]\ndevice = "/dev/usb/lp0"\n',
            "printer.device cannot be used: printer device '/dev/usb/lp0': '/dev/usb/lp0' is"
            " not a kind of printer connection; use file:/path,",
        ),
        (
            '[printer]\ndevice = "serial:/dev/ttyUSB0:9601"\n',
            "printer.device cannot be used: printer device 'serial:/dev/ttyUSB0:9601': 9601 is"
            " not a standard baud rate",
        ),
        ('[printer]\ndevice = " "\n', "printer.device is empty"),
        ("[printer]\ndevice = 9100\n", "printer.device must be a str"),
        ("[printer]\npaper_mm = 76\n", "printer.paper_mm must be 58 or 80, got 76"),
        ('[printer]\npaper_mm = "80"\n', "printer.paper_mm must be an int"),
        ('[printer]\ndrawer = "pin3"\n', "printer.drawer must be one of pin2, pin5, none"),
        ('[printer]\nenabled = "yes"\n', "printer.enabled must be a bool"),
        ('[printer]\nport = "/dev/usb/lp0"\n', "unknown key printer.port"),
    ],
)
def test_bad_printer_settings_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, text)
    assert message in str(error.value)
