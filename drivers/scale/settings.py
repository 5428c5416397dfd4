"""How to talk to one serial scale: ``ScaleSettings``, validated on creation.

Each field is checked when the object is built and a bad one raises
``ScaleSettingsError`` naming the field (``scale.protocol``), so a technician sees the
setting rather than a pyserial traceback at the first read. What must not live here:
opening the port (``reader.py``), the frame format (``toledo.py``), loading the TOML file
(``terminal/config.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import serial

# The protocol names a settings file may give; ``terminal/config.py`` lists the same.
# "toledo": METTLER TOLEDO continuous output, 17 bytes a frame; "toledo-checksum": the
# same frame followed by its checksum byte (the scale's "checksum on" setting).
ScaleProtocol = Literal["toledo", "toledo-checksum"]
PROTOCOLS: tuple[ScaleProtocol, ...] = ("toledo", "toledo-checksum")
Parity = Literal["N", "E", "O", "M", "S"]

BAUD_RATES = frozenset(serial.Serial.BAUDRATES)
_BYTESIZES = frozenset({7, 8})
_PARITIES = frozenset({"N", "E", "O", "M", "S"})
_STOPBITS = frozenset({1, 1.5, 2})


class ScaleSettingsError(ValueError):
    """A scale setting is out of range; the message names the field and what is allowed."""


@dataclass(frozen=True, slots=True)
class ScaleSettings:
    """One scale's port and behaviour.

    The Toledo format is 7-bit ASCII and many scales send it 7E1, others 8N1: the parser
    reads the low seven bits of every byte, so an 8N1 port also reads a 7E1 scale (the
    parity bit lands in bit 7), and the defaults fit both.
    """

    port: str
    protocol: ScaleProtocol = "toledo"
    baud: int = 9600
    bytesize: int = 8
    parity: Parity = "N"
    stopbits: float = 1
    reconnect_min_s: float = 0.25
    reconnect_max_s: float = 5.0
    # Short, so that stop() is prompt; a frame split across reads is kept (toledo.py).
    read_timeout_s: float = 0.1
    # The same kind of problem (garbage, a bad checksum...) is reported at most once per
    # this many seconds, with a count of those held back: a scale sending 10 frames a
    # second with a wrong setting must not fill the log. 0 reports every one.
    problem_interval_s: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.port, str) or not self.port.strip():
            raise ScaleSettingsError("scale.port: give the device path, e.g. /dev/ttyUSB0")
        if self.protocol not in PROTOCOLS:
            raise ScaleSettingsError(
                f"scale.protocol: {self.protocol!r} is not one of {', '.join(PROTOCOLS)}"
            )
        if self.baud not in BAUD_RATES:
            raise ScaleSettingsError(
                f"scale.baud: {self.baud!r} is not a standard rate (2400, 4800, 9600, ...)"
            )
        if self.bytesize not in _BYTESIZES:
            raise ScaleSettingsError(f"scale.bytesize: {self.bytesize!r} is not 7 or 8")
        if self.parity not in _PARITIES:
            raise ScaleSettingsError(f"scale.parity: {self.parity!r} is not one of N, E, O, M, S")
        if self.stopbits not in _STOPBITS:
            raise ScaleSettingsError(f"scale.stopbits: {self.stopbits!r} is not 1, 1.5 or 2")
        if not 0 < self.reconnect_min_s <= self.reconnect_max_s <= 300:
            raise ScaleSettingsError(
                f"scale.reconnect_min_s/reconnect_max_s: {self.reconnect_min_s!r} and"
                f" {self.reconnect_max_s!r} must satisfy 0 < min <= max <= 300 seconds"
            )
        if not 0.01 <= self.read_timeout_s <= 5:
            raise ScaleSettingsError(
                f"scale.read_timeout_s: {self.read_timeout_s!r} is not 0.01 to 5 seconds"
            )
        if not 0 <= self.problem_interval_s <= 3600:
            raise ScaleSettingsError(
                f"scale.problem_interval_s: {self.problem_interval_s!r} is not 0 to 3600"
                " seconds (0 reports every problem)"
            )

    @property
    def checksum(self) -> bool:
        """Whether each frame ends with a checksum byte after its CR."""
        return self.protocol == "toledo-checksum"
