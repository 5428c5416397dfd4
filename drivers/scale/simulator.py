"""``PtyScaleSimulator``: a serial scale made of a pseudo-terminal, for tests and demos.

It publishes a pty at a chosen path (a symlink, as udev does for ``/dev/scale``), so
``ScaleReader`` opens it exactly as it opens real hardware, and writes Toledo continuous
frames (``toledo_frame`` builds any frame the protocol allows, ``weight_frame`` the frame
of a ``Weight``), or raw bytes of any kind. Unplugging closes the pty and removes the
link (the reader sees EIO, as when a USB cable is pulled); plugging again makes a new
pty behind the same path. The pty half is the scanner simulator's (a pty is a pty).

``play_weighings`` is the loop behind ``facepay-terminal sim scale``: items put on the
pan one after another (moving frames, then stable ones, then back to zero), an overload
now and then, line noise and unplugs on demand. Linux/macOS only (``os.openpty``).
Frames written while no reader has the port open are lost, as with hardware.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Self

from drivers.scale.events import Weight
from drivers.scale.settling import settling
from drivers.scale.toledo import CR, STX, checksum
from drivers.scanner.simulator import PtyScannerSimulator, SimulatorError

__all__ = [
    "OVERLOAD",
    "UNDERLOAD",
    "PtyScaleSimulator",
    "SimulatorError",
    "WeighingReport",
    "keep_sending",
    "noise",
    "play_weighings",
    "toledo_frame",
    "weight_frame",
]

Unit = Literal["kg", "g", "t", "lb"]
_UNIT_CODE = {"kg": 0, "lb": 0, "g": 1, "t": 2}
_INCREMENT_BITS = {1: 0b01000, 2: 0b10000, 5: 0b11000}
# Noise as a bad line or a wrong baud rate makes it: never STX (with or without the
# parity bit), so it cannot start a frame and only ever reads as garbage.
_NOISE_BYTES = bytes(b for b in range(256) if b & 0x7F != STX)
# Tokens of ``play_weighings`` that are not a weight.
OVERLOAD = "overload"
UNDERLOAD = "underload"


def toledo_frame(
    digits: int,
    *,
    decimals: int = 3,
    unit: Unit = "kg",
    negative: bool = False,
    out_of_range: bool = False,
    motion: bool = False,
    net: bool = False,
    tare_digits: int = 0,
    increment: Literal[1, 2, 5] = 1,
    with_checksum: bool = False,
    leading_spaces: bool = False,
) -> bytes:
    """One frame as a scale sends it: ``digits`` shown with ``decimals`` places (-2 and
    -1: dummy zeros), the status bits as given; ``leading_spaces`` sends leading zeros as
    spaces, as some indicators do."""
    if not -2 <= decimals <= 5:
        raise ValueError(f"decimals must be -2 to 5, got {decimals}")
    if not (0 <= digits <= 999_999 and 0 <= tare_digits <= 999_999):
        raise ValueError("a Toledo frame has six digits for the weight and for the tare")
    swa = 0x20 | (decimals + 2) | _INCREMENT_BITS[increment]
    swb = (
        0x20
        | (0b1 if net else 0)
        | (0b10 if negative else 0)
        | (0b100 if out_of_range else 0)
        | (0b1000 if motion else 0)
        | (0 if unit == "lb" else 0b10000)
    )
    swc = 0x20 | _UNIT_CODE[unit]
    width = "6d" if leading_spaces else "06d"
    body = (
        bytes([STX, swa, swb, swc])
        + format(digits, width).encode("ascii")
        + format(tare_digits, width).encode("ascii")
        + bytes([CR])
    )
    return body + bytes([checksum(body)]) if with_checksum else body


def weight_frame(
    weight: Weight, *, unit: Literal["kg", "g"] = "kg", with_checksum: bool = False
) -> bytes:
    """The frame of ``weight``: in kg with three decimals, or in whole grams."""
    decimals = 3 if unit == "kg" else 0
    return toledo_frame(
        abs(weight.grams or 0),
        decimals=decimals,
        unit=unit,
        negative=weight.underload or (weight.grams or 0) < 0,
        out_of_range=weight.grams is None,
        motion=not weight.stable,
        net=weight.net,
        tare_digits=weight.tare_grams,
        with_checksum=with_checksum,
    )


def noise(rng: random.Random, count: int = 4) -> bytes:
    return bytes(rng.choice(_NOISE_BYTES) for _ in range(count))


class PtyScaleSimulator:
    """A scale behind ``link``; ``with_checksum`` as the scale's checksum setting."""

    def __init__(self, link: Path | str, *, with_checksum: bool = False) -> None:
        self._pty = PtyScannerSimulator(link)
        self.with_checksum = with_checksum

    @property
    def link(self) -> Path:
        return self._pty.link

    @property
    def plugged(self) -> bool:
        return self._pty.plugged

    def plug(self) -> str:
        """Create a pty and point the link at it; returns the slave device name."""
        return self._pty.plug()

    def unplug(self) -> None:
        """Remove the link and close the pty: an open reader gets EIO on its next read."""
        self._pty.unplug()

    def replug(self) -> str:
        return self._pty.replug()

    def close(self) -> None:
        self._pty.close()

    def __enter__(self) -> Self:
        self.plug()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def write(self, data: bytes, timeout: float = 2.0) -> int:
        """Send raw bytes; returns how many went out (see ``PtyScannerSimulator.write``)."""
        return self._pty.write(data, timeout)

    def send(self, weight: Weight, *, unit: Literal["kg", "g"] = "kg") -> bool:
        """Send the frame of ``weight``; True when all of it went out."""
        frame = weight_frame(weight, unit=unit, with_checksum=self.with_checksum)
        return self.write(frame) == len(frame)


@dataclass(slots=True)
class WeighingReport:
    items: int = 0
    frames: int = 0
    overloads: int = 0
    # Frames that had noise sent just before them.
    garbage: int = 0
    unplugs: int = 0


def play_weighings(
    simulator: PtyScaleSimulator,
    items: Iterable[int | str],
    *,
    frame_interval_s: float = 0.1,
    hold_s: float = 2.0,
    unstable: int = 6,
    unit: Literal["kg", "g"] = "kg",
    garbage_rate: float = 0.0,
    unplug_every: int = 0,
    unplug_for_s: float = 1.0,
    rng: random.Random | None = None,
    stop: threading.Event | None = None,
) -> WeighingReport:
    """Put each item on the pan in turn: a weight in grams settles (``unstable`` moving
    frames, then stable frames for ``hold_s``), ``OVERLOAD`` / ``UNDERLOAD`` show out of
    range for ``hold_s``; after each, the pan is empty (stable zero) for ``hold_s / 2``.

    ``garbage_rate`` is the chance per frame of a burst of noise just before it. After
    every ``unplug_every`` items the scale is unplugged for ``unplug_for_s``.
    """
    rng = rng or random.Random()
    stop = stop or threading.Event()
    report = WeighingReport()
    holding = max(1, round(hold_s / frame_interval_s)) if frame_interval_s else 1
    simulator.plug()

    def send(weights: Iterable[Weight]) -> bool:
        for weight in weights:
            if stop.wait(frame_interval_s):
                return False
            if garbage_rate and rng.random() < garbage_rate:
                simulator.write(noise(rng, rng.randint(1, 6)))
                report.garbage += 1
            simulator.send(weight, unit=unit)
            report.frames += 1
        return True

    for item in items:
        if item in (OVERLOAD, UNDERLOAD):
            report.overloads += 1
            frames = [Weight.out_of_range(over=item == OVERLOAD)] * holding
        elif isinstance(item, int):
            frames = settling(item, unstable=unstable, stable=holding, rng=rng)
        else:
            raise ValueError(f"not a weight in grams, {OVERLOAD!r} or {UNDERLOAD!r}: {item!r}")
        if not send([*frames, *[Weight.of(0)] * max(1, holding // 2)]):
            break
        report.items += 1
        if unplug_every and report.items % unplug_every == 0:
            simulator.unplug()
            report.unplugs += 1
            if stop.wait(unplug_for_s):
                break
            simulator.plug()
    return report


def keep_sending(
    simulator: PtyScaleSimulator,
    weight: Weight,
    *,
    frame_interval_s: float = 0.1,
    unit: Literal["kg", "g"] = "kg",
    stop: threading.Event,
) -> None:
    """Send ``weight`` every ``frame_interval_s`` until ``stop``, as an idle scale does."""
    while not stop.wait(frame_interval_s):
        simulator.send(weight, unit=unit)
