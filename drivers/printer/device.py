"""The printer's device setting, one string, parsed: ``parse_device``.

    file:/var/lib/facepay/receipts.bin   the fake printer: the byte stream is appended
    serial:/dev/ttyUSB0[:baud]           RS-232 or a USB serial adapter (9600 unless given)
    usb:/dev/usb/lp0                     a USB printer-class device (the kernel's usblp)
    tcp:HOST[:PORT]                      a network printer's raw port (9100 unless given);
                                         an IPv6 address goes in brackets: tcp:[fd00::5]:9100

A bad string raises ``PrinterSettingError`` (an ``InputError``: a technician's to fix)
that quotes it, says what is wrong and lists the forms. Parsing opens nothing. What must
not live here: opening devices (``transports.py``, ``fake.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import serial

from terminal.errors import InputError

DEFAULT_BAUD = 9600
DEFAULT_TCP_PORT = 9100
FORMS = "file:/path, serial:/dev/ttyUSB0[:baud], usb:/dev/usb/lp0 or tcp:HOST[:9100]"
_BAUD_RATES = frozenset(serial.Serial.BAUDRATES)
_HOST = re.compile(r"^[A-Za-z0-9._-]+$")


class PrinterSettingError(InputError):
    """The printer's device setting cannot be used; the message says why and how."""


@dataclass(frozen=True, slots=True)
class FileDevice:
    path: Path

    def __str__(self) -> str:
        return f"file:{self.path}"


@dataclass(frozen=True, slots=True)
class SerialDevice:
    port: str
    baud: int = DEFAULT_BAUD

    def __str__(self) -> str:
        return f"serial:{self.port}:{self.baud}"


@dataclass(frozen=True, slots=True)
class UsbDevice:
    path: Path

    def __str__(self) -> str:
        return f"usb:{self.path}"


@dataclass(frozen=True, slots=True)
class TcpDevice:
    host: str
    port: int = DEFAULT_TCP_PORT

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"tcp:{host}:{self.port}"


Device = FileDevice | SerialDevice | UsbDevice | TcpDevice


def parse_device(text: str) -> Device:
    """The device ``text`` names; ``PrinterSettingError`` when it names none."""
    if not isinstance(text, str) or not text.strip():
        raise _error(text, "it is empty")
    kind, sep, rest = text.strip().partition(":")
    if not sep or kind not in ("file", "serial", "usb", "tcp"):
        raise _error(text, f"{kind!r} is not a kind of printer connection")
    if kind == "tcp":
        return _tcp(text, rest)
    if kind == "serial":
        return _serial(text, rest)
    path = _absolute(text, rest, "a file" if kind == "file" else "the device")
    return FileDevice(path) if kind == "file" else UsbDevice(path)


def _error(text: object, problem: str) -> PrinterSettingError:
    return PrinterSettingError(f"printer device {text!r}: {problem}; use {FORMS}")


def _absolute(text: str, rest: str, what: str) -> Path:
    if not rest.startswith("/"):
        raise _error(text, f"give the absolute path of {what} after the colon")
    return Path(rest)


def _serial(text: str, rest: str) -> SerialDevice:
    port, baud = rest, DEFAULT_BAUD
    head, sep, tail = rest.rpartition(":")
    # /dev/serial/by-path names hold colons ("pci-0000:00:14.0-usb-0:2:1.0-port0"): after
    # the last one, digits are a baud rate, a lone word ("96OO") a mistyped one, and
    # anything else still the path.
    if sep and tail.isalnum():
        if not tail.isdigit():
            raise _error(text, f"the baud rate {tail!r} is not a number")
        port, baud = head, int(tail)
        if baud not in _BAUD_RATES:
            raise _error(text, f"{baud} is not a standard baud rate (9600, 19200, 115200, ...)")
    _absolute(text, port, "the serial port")
    return SerialDevice(port, baud)


def _tcp(text: str, rest: str) -> TcpDevice:
    if rest.startswith("["):
        host, sep, tail = rest[1:].partition("]")
        if not sep or (tail and not tail.startswith(":")):
            raise _error(text, "an IPv6 address goes in brackets: tcp:[fd00::5]:9100")
        port_text = tail[1:] if tail else ""
    else:
        host, _, port_text = rest.partition(":")
        if ":" in port_text:
            raise _error(text, "an IPv6 address goes in brackets: tcp:[fd00::5]:9100")
        if host and not _HOST.match(host):
            raise _error(text, f"{host!r} is not a host name or address")
    if not host:
        raise _error(text, "give the printer's host name or address after tcp:")
    port = DEFAULT_TCP_PORT
    if port_text or rest.endswith(":"):
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise _error(text, f"the port {port_text!r} is not 1 to 65535")
        port = int(port_text)
    return TcpDevice(host, port)
