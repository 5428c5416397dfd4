"""How to talk to one serial barcode scanner: ``ScannerSettings``, validated on creation.

Each field is checked when the object is built and a bad one raises
``ScannerSettingsError`` naming the field, so a technician sees ``scanner.baud`` rather than
a pyserial traceback at the first read. What must not live here: opening the port
(``reader.py``) and loading the TOML file (``terminal/config.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import serial

TriggerMode = Literal["continuous", "host"]
Parity = Literal["N", "E", "O", "M", "S"]

# Honeywell / Datalogic "serial trigger" commands: SYN T CR starts a read session, SYN U CR
# ends it. Scanners that do not know them ignore them.
TRIGGER_START = b"\x16T\r"
TRIGGER_STOP = b"\x16U\r"

BAUD_RATES = frozenset(serial.Serial.BAUDRATES)
_BYTESIZES = frozenset({5, 6, 7, 8})
_PARITIES = frozenset({"N", "E", "O", "M", "S"})
_STOPBITS = frozenset({1, 1.5, 2})
_TRIGGER_MODES = frozenset({"continuous", "host"})


class ScannerSettingsError(ValueError):
    """A scanner setting is out of range; the message names the field and what is allowed."""


@dataclass(frozen=True, slots=True)
class ScannerSettings:
    """One scanner's port and behaviour. Defaults fit most RS-232 / USB-CDC scanners."""

    port: str
    # 9600 8N1 is the common factory default; Honeywell RS-232 models ship at 115200.
    baud: int = 9600
    bytesize: int = 8
    parity: Parity = "N"
    stopbits: float = 1
    trigger: TriggerMode = "continuous"
    # A scanner in continuous mode re-reads a code held in front of it several times a
    # second; the same code again within this window (since it was last seen) is one scan.
    duplicate_window_ms: int = 800
    reconnect_min_s: float = 0.25
    reconnect_max_s: float = 5.0
    # A line with no terminator after this many bytes is noise, not a barcode (the largest
    # QR holds ~3 KB); it is dropped and reading resyncs at the next terminator.
    max_line_bytes: int = 4096
    # Short, so that stop() is prompt; partial lines survive a timeout (framing.py).
    read_timeout_s: float = 0.1

    def __post_init__(self) -> None:
        if not isinstance(self.port, str) or not self.port.strip():
            raise ScannerSettingsError("scanner.port: give the device path, e.g. /dev/ttyACM0")
        if self.baud not in BAUD_RATES:
            raise ScannerSettingsError(
                f"scanner.baud: {self.baud!r} is not a standard rate (9600, 19200, 38400,"
                " 57600, 115200, ...)"
            )
        if self.bytesize not in _BYTESIZES:
            raise ScannerSettingsError(f"scanner.bytesize: {self.bytesize!r} is not 5, 6, 7 or 8")
        if self.parity not in _PARITIES:
            raise ScannerSettingsError(
                f"scanner.parity: {self.parity!r} is not one of N, E, O, M, S"
            )
        if self.stopbits not in _STOPBITS:
            raise ScannerSettingsError(f"scanner.stopbits: {self.stopbits!r} is not 1, 1.5 or 2")
        if self.trigger not in _TRIGGER_MODES:
            raise ScannerSettingsError(
                f"scanner.trigger: {self.trigger!r} is not 'continuous' or 'host'"
            )
        if not 0 <= self.duplicate_window_ms <= 60_000:
            raise ScannerSettingsError(
                f"scanner.duplicate_window_ms: {self.duplicate_window_ms!r} is not 0 to 60000"
                " (0 turns duplicate suppression off)"
            )
        if not 0 < self.reconnect_min_s <= self.reconnect_max_s <= 300:
            raise ScannerSettingsError(
                f"scanner.reconnect_min_s/reconnect_max_s: {self.reconnect_min_s!r} and"
                f" {self.reconnect_max_s!r} must satisfy 0 < min <= max <= 300 seconds"
            )
        if not 64 <= self.max_line_bytes <= 1_048_576:
            raise ScannerSettingsError(
                f"scanner.max_line_bytes: {self.max_line_bytes!r} is not 64 to 1048576"
            )
        if not 0.01 <= self.read_timeout_s <= 5:
            raise ScannerSettingsError(
                f"scanner.read_timeout_s: {self.read_timeout_s!r} is not 0.01 to 5 seconds"
            )
