"""The printer's device setting: each form parsed, each bad form a clear error that
quotes the setting, says what is wrong and lists the forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.printer import (
    Device,
    FileDevice,
    PrinterSettingError,
    SerialDevice,
    TcpDevice,
    UsbDevice,
    parse_device,
)
from terminal.errors import InputError

BY_PATH = "/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0"


@pytest.mark.parametrize(
    ("text", "device"),
    [
        ("file:/tmp/receipts.bin", FileDevice(Path("/tmp/receipts.bin"))),
        ("serial:/dev/ttyUSB0", SerialDevice("/dev/ttyUSB0", 9600)),
        ("serial:/dev/ttyUSB0:115200", SerialDevice("/dev/ttyUSB0", 115200)),
        (f"serial:{BY_PATH}", SerialDevice(BY_PATH, 9600)),  # colons in the name
        (f"serial:{BY_PATH}:19200", SerialDevice(BY_PATH, 19200)),
        ("usb:/dev/usb/lp0", UsbDevice(Path("/dev/usb/lp0"))),
        ("tcp:192.168.1.87:9100", TcpDevice("192.168.1.87", 9100)),
        ("tcp:printer.shop.lan", TcpDevice("printer.shop.lan", 9100)),
        ("tcp:[fd00::87]:9101", TcpDevice("fd00::87", 9101)),
        ("  tcp:10.0.0.5:9100  ", TcpDevice("10.0.0.5", 9100)),
    ],
)
def test_each_form_is_parsed(text: str, device: Device) -> None:
    assert parse_device(text) == device


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("/dev/usb/lp0", "'/dev/usb/lp0' is not a kind of printer connection"),
        ("lpt:/dev/lp0", "'lpt' is not a kind of printer connection"),
        ("file:receipts.bin", "give the absolute path of a file after the colon"),
        ("usb:", "give the absolute path of the device after the colon"),
        ("serial:ttyUSB0", "give the absolute path of the serial port after the colon"),
        ("serial:/dev/ttyUSB0:96OO", "the baud rate '96OO' is not a number"),
        ("serial:/dev/ttyUSB0:12345", "12345 is not a standard baud rate"),
        ("tcp:", "give the printer's host name or address after tcp:"),
        ("tcp::9100", "give the printer's host name or address after tcp:"),
        ("tcp:10.0.0.5:", "the port '' is not 1 to 65535"),
        ("tcp:10.0.0.5:70000", "the port '70000' is not 1 to 65535"),
        ("tcp:10.0.0.5:http", "the port 'http' is not 1 to 65535"),
        ("tcp:fd00::87", "an IPv6 address goes in brackets"),
        ("tcp:[fd00::87", "an IPv6 address goes in brackets"),
        ("tcp:my printer:9100", "'my printer' is not a host name or address"),
    ],
)
def test_each_bad_form_is_a_clear_error(text: str, problem: str) -> None:
    with pytest.raises(PrinterSettingError) as raised:
        parse_device(text)
    message = str(raised.value)
    assert message.startswith(f"printer device {text!r}: {problem}")
    assert "file:/path, serial:/dev/ttyUSB0[:baud], usb:/dev/usb/lp0 or tcp:HOST[:9100]" in (
        message
    )
    assert isinstance(raised.value, InputError)  # the CLI prints it and exits 1


def test_a_device_prints_as_the_setting_that_names_it() -> None:
    for text in ("serial:/dev/ttyS0:19200", "usb:/dev/usb/lp1", "tcp:[fd00::87]:9100"):
        assert str(parse_device(text)) == text
