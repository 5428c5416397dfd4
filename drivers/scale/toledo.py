"""Bytes from a scale in METTLER TOLEDO continuous output in, ``Weight``s out:
``ToledoFrames``. Pure (no I/O, no threads, no clock).

The protocol: "Toledo continuous" (the 8142 / 8530 continuous format), which METTLER
TOLEDO terminals send several times a second and which most Chinese weighing indicators
offer as their "托利多连续输出" mode. Sources: the METTLER TOLEDO Wildcat scale technical
manual, appendix 2 "Continuous Mode Output" (frame and status-byte tables); the Chinese
descriptions of the same 18-byte frame for the 8530D and compatible indicators
(leading zeros sent as spaces). A frame:

    STX SWA SWB SWC W W W W W W T T T T T T CR [CKS]

- STX (0x02) starts it, CR (0x0D) ends it; CKS, when the scale is set to send it, is the
  two's complement of the low seven bits of the sum of every byte before it (STX and CR
  included), so the low seven bits of the sum of the whole frame are zero.
- W: the displayed weight (gross or net), six digits, no sign and no decimal point;
  T: the tare, the same way. Leading zeros may come as spaces.
- SWA bits 0-2: where the decimal point is (0: two dummy zeros, x100; 1: one dummy zero,
  x10; 2: none; 3-7: one to five decimals); bits 3-4: the increment (x1, x2, x5).
- SWB bit 0 net, bit 1 negative, bit 2 out of range (overload, or underload when
  negative), bit 3 in motion, bit 4 kg (0: lb).
- SWC bits 0-2: 0 kg or lb (as SWB says), 1 g, 2 t.
The characters are 7-bit ASCII; bit 7 is parity on a 7E1 link, so only the low seven
bits of every byte are read and an 8N1 port also reads a 7E1 scale. The status bits that
vendors use differently (the constant bits, SWB bit 6, SWC's print and expanded-display
bits) are not read.

Frames are found by their STX and fixed length, never by CR alone (a checksum byte can
be 0x0D or 0x02). A candidate must end in CR, have status bytes that are printable
(every variant sets bit 5 or 6) and two fields of digits after optional leading spaces,
and, with a checksum, add up. Whatever is not part of a good frame is dropped: a run of
dropped bytes is reported once, when the next good frame ends it (or every
``max_run_bytes``), with the most telling reason it held (a bad checksum, then a frame
start that is not a frame, then plain garbage), so how the stream was cut into reads
never changes what is reported. A good frame in pounds or an unknown unit is dropped and
reported too: nothing is ever guessed.

Weights become whole grams with integer arithmetic: digits x 10^(dummy zeros) x grams
per unit / 10^decimals; a display finer than a gram (kg with four decimals) is rounded
half up to the gram. What must not live here: the port, threads, what a weight costs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from drivers.scale.events import Weight

ProblemKind = Literal[
    "garbage", "malformed_frame", "checksum", "unit_not_metric", "unknown_unit", "cut_frame"
]

STX = 0x02
CR = 0x0D
FRAME_BYTES = 17  # STX, 3 status bytes, 6 weight digits, 6 tare digits, CR
PREVIEW_BYTES = 4
# A frame starts at STX, with or without the parity bit.
_START = re.compile(rb"[\x02\x82]")
_FIELD = re.compile(rb" *[0-9]*")
_SEVEN_BITS = bytes(b & 0x7F for b in range(256))
# SWA bits 0-2 -> decimal places (negative: that many dummy zeros after the digits).
_DECIMALS = {0: -2, 1: -1, 2: 0, 3: 1, 4: 2, 5: 3, 6: 4, 7: 5}
_POWERS_OF_TEN = (1, 10, 100, 1000, 10_000, 100_000)
_GRAMS_PER_UNIT = {"g": 1, "kg": 1000, "t": 1_000_000}
# The reasons a run of dropped bytes can have, least telling first.
_RUN_RANK: dict[ProblemKind, int] = {"garbage": 0, "malformed_frame": 1, "checksum": 2}

_SWB_NET, _SWB_NEGATIVE, _SWB_OUT_OF_RANGE, _SWB_MOTION, _SWB_KG = 1, 2, 4, 8, 16


@dataclass(frozen=True, slots=True)
class FrameProblem:
    """Bytes dropped from the stream, and why. ``preview`` is the hex of the first few
    dropped bytes (a weight is not secret); ``status`` the SWC byte of a frame in an
    unknown unit."""

    kind: ProblemKind
    dropped_bytes: int
    preview: str = ""
    status: int | None = None

    def describe(self) -> str:
        first = f" (first: {self.preview})" if self.preview else ""
        if self.kind == "garbage":
            return (
                f"dropped {self.dropped_bytes} byte(s) between frames{first}; check the"
                " scale's baud rate, parity and output format (Toledo continuous)"
            )
        if self.kind == "malformed_frame":
            return (
                f"dropped {self.dropped_bytes} byte(s) that started like a frame but are"
                f" not one{first}; check the output format (Toledo continuous) and"
                " whether the scale sends a checksum"
            )
        if self.kind == "checksum":
            return (
                f"dropped {self.dropped_bytes} byte(s) holding a frame with a wrong"
                f" checksum{first}; line noise, or the scale sends no checksum"
            )
        if self.kind == "unit_not_metric":
            return "dropped a frame in pounds: set the scale to kg or g"
        if self.kind == "unknown_unit":
            return (
                f"dropped a frame in an unknown unit (status C 0x{self.status or 0:02x}):"
                " set the scale to kg or g"
            )
        return f"dropped an unfinished frame of {self.dropped_bytes} byte(s){first}"

    def log_fields(self) -> dict[str, object]:
        return {"dropped_bytes": self.dropped_bytes, "preview": self.preview}


@dataclass(frozen=True, slots=True)
class Decoded:
    """What one ``feed`` produced: the weights of the good frames in order, and the
    problems (runs of dropped bytes, frames in a unit the till cannot use)."""

    weights: tuple[Weight, ...] = ()
    problems: tuple[FrameProblem, ...] = ()


def checksum(body: bytes) -> int:
    """The checksum byte that follows ``body`` (STX through CR)."""
    return -sum(body.translate(_SEVEN_BITS)) & 0x7F


@dataclass(slots=True)
class ToledoFrames:
    """Feed it bytes as they come; it returns the weights of the frames each chunk
    completes. ``with_checksum``: each frame is followed by its checksum byte."""

    with_checksum: bool = False
    max_run_bytes: int = 256
    _buffer: bytearray = field(default_factory=bytearray)
    # The run of dropped bytes not reported yet.
    _run_bytes: int = 0
    _run_kind: ProblemKind = "garbage"
    _run_preview: bytearray = field(default_factory=bytearray)

    @property
    def frame_bytes(self) -> int:
        return FRAME_BYTES + 1 if self.with_checksum else FRAME_BYTES

    @property
    def pending_bytes(self) -> int:
        """Bytes of an unfinished frame held until the rest arrives."""
        return len(self._buffer)

    def feed(self, data: bytes) -> Decoded:
        weights: list[Weight] = []
        problems: list[FrameProblem] = []
        buffer = self._buffer
        buffer += data
        while buffer:
            start = _START.search(buffer)
            skip = start.start() if start else len(buffer)
            if skip:
                self._drop(bytes(buffer[:skip]), "garbage", problems)
                del buffer[:skip]
                continue
            if len(buffer) < self.frame_bytes:
                break
            frame = bytes(buffer[: self.frame_bytes])
            fault = self._fault(frame.translate(_SEVEN_BITS))
            if fault is not None:
                # Only the STX goes: a real frame may start inside a false one.
                self._drop(frame[:1], fault, problems)
                del buffer[:1]
                continue
            del buffer[: self.frame_bytes]
            self._end_run(problems)
            decoded = decode(frame)
            if isinstance(decoded, Weight):
                weights.append(decoded)
            else:
                problems.append(decoded)
        return Decoded(tuple(weights), tuple(problems))

    def reset(self) -> tuple[FrameProblem, ...]:
        """Forget everything held (the port was closed): the run of dropped bytes not
        reported yet and the unfinished frame, returned as problems."""
        problems: list[FrameProblem] = []
        self._end_run(problems)
        if self._buffer:
            problems.append(
                FrameProblem("cut_frame", len(self._buffer), _hex(self._buffer[:PREVIEW_BYTES]))
            )
            self._buffer.clear()
        return tuple(problems)

    def _fault(self, frame: bytes) -> ProblemKind | None:
        """Why the candidate (low seven bits) is not a frame; None when it is one."""
        if frame[FRAME_BYTES - 1] != CR:
            return "malformed_frame"
        if any(byte < 0x20 for byte in frame[1:4]):
            return "malformed_frame"
        if not (_FIELD.fullmatch(frame, 4, 10) and _FIELD.fullmatch(frame, 10, 16)):
            return "malformed_frame"
        if self.with_checksum and sum(frame) & 0x7F:
            return "checksum"
        return None

    def _drop(self, data: bytes, kind: ProblemKind, problems: list[FrameProblem]) -> None:
        while data:
            take = min(len(data), self.max_run_bytes - self._run_bytes)
            if len(self._run_preview) < PREVIEW_BYTES:
                self._run_preview += data[: PREVIEW_BYTES - len(self._run_preview)]
            self._run_bytes += take
            if _RUN_RANK[kind] > _RUN_RANK[self._run_kind]:
                self._run_kind = kind
            data = data[take:]
            if self._run_bytes >= self.max_run_bytes:
                self._end_run(problems)

    def _end_run(self, problems: list[FrameProblem]) -> None:
        if self._run_bytes:
            problems.append(FrameProblem(self._run_kind, self._run_bytes, _hex(self._run_preview)))
        self._run_bytes = 0
        self._run_kind = "garbage"
        self._run_preview.clear()


def decode(frame: bytes) -> Weight | FrameProblem:
    """The weight in a frame that passed the checks, or why it cannot be used."""
    low = frame.translate(_SEVEN_BITS)
    swa, swb, swc = low[1], low[2], low[3]
    unit_code = swc & 0b111
    if unit_code == 0:
        if not swb & _SWB_KG:
            return FrameProblem("unit_not_metric", len(frame))
        unit = "kg"
    elif unit_code == 1:
        unit = "g"
    elif unit_code == 2:
        unit = "t"
    else:
        return FrameProblem("unknown_unit", len(frame), status=swc)
    decimals = _DECIMALS[swa & 0b111]
    per_unit = _GRAMS_PER_UNIT[unit]
    stable = not swb & _SWB_MOTION
    net = bool(swb & _SWB_NET)
    negative = bool(swb & _SWB_NEGATIVE)
    tare_digits = low[10:16].strip(b" ")
    tare = _grams(int(tare_digits), decimals, per_unit) if tare_digits else 0
    if swb & _SWB_OUT_OF_RANGE:
        return Weight.out_of_range(over=not negative, stable=stable, net=net, tare_grams=tare)
    weight_digits = low[4:10].strip(b" ")
    if not weight_digits:
        # A blank weight in range is no reading at all.
        return FrameProblem("malformed_frame", len(frame), _hex(frame[:PREVIEW_BYTES]))
    grams = _grams(int(weight_digits), decimals, per_unit)
    return Weight.of(-grams if negative else grams, stable=stable, net=net, tare_grams=tare)


def _grams(digits: int, decimals: int, per_unit: int) -> int:
    """``digits`` with ``decimals`` places in a unit of ``per_unit`` grams, as whole grams
    (half up below a gram)."""
    if decimals <= 0:
        return digits * per_unit * _POWERS_OF_TEN[-decimals]
    divisor = _POWERS_OF_TEN[decimals]
    quotient, remainder = divmod(digits * per_unit, divisor)
    return quotient + (1 if 2 * remainder >= divisor else 0)


def _hex(data: bytes | bytearray) -> str:
    return bytes(data).hex(" ")
