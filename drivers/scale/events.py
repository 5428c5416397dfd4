"""What a scale tells its listeners: ``ScaleReading`` (a ``Weight`` and when it was read),
``ScaleStatus`` (the link) and ``ScaleProblem`` (bytes dropped from the stream).

Plain data, safe to hand to another thread. ``Weight`` is what one frame said, in whole
grams: ``grams`` is None exactly when the scale is out of range (its digits then mean
nothing), so no caller can price an overload by accident. A weight is not secret:
problems may show a few of the offending bytes. The connection states are the scanner's
(``drivers.scanner.events.ConnectionState``), so the till shows every device's link the
same way. What must not live here: parsing, the port, what a weight costs
(``terminal.domain.weighing``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from drivers.scanner.events import ConnectionState

__all__ = [
    "ConnectionState",
    "ScaleProblem",
    "ScaleReading",
    "ScaleStatus",
    "Weight",
    "WeightState",
]


class WeightState(StrEnum):
    """What the display shows: a weight above, at or below zero, or out of range."""

    POSITIVE = "positive"
    ZERO = "zero"
    NEGATIVE = "negative"
    OVERLOAD = "overload"
    UNDERLOAD = "underload"


@dataclass(frozen=True, slots=True)
class Weight:
    """One frame's weight: the displayed weight and the tare, in grams; ``net`` when the
    display shows net weight (gross minus tare); ``stable`` when the scale is not moving.

    Build it with ``Weight.of(grams, ...)`` or ``Weight.out_of_range(...)``; a state that
    contradicts ``grams`` is refused.
    """

    state: WeightState
    grams: int | None
    stable: bool
    net: bool = False
    tare_grams: int = 0

    def __post_init__(self) -> None:
        out_of_range = self.state in (WeightState.OVERLOAD, WeightState.UNDERLOAD)
        if out_of_range != (self.grams is None):
            raise ValueError(f"{self.state} weight with grams={self.grams!r}")
        if self.grams is not None and self.state != _state_of(self.grams):
            raise ValueError(f"{self.grams} g is not a {self.state} weight")
        if self.tare_grams < 0:
            raise ValueError(f"tare of {self.tare_grams} g")

    @classmethod
    def of(
        cls, grams: int, *, stable: bool = True, net: bool = False, tare_grams: int = 0
    ) -> Weight:
        return cls(_state_of(grams), grams, stable, net, tare_grams)

    @classmethod
    def out_of_range(
        cls, *, over: bool, stable: bool = True, net: bool = False, tare_grams: int = 0
    ) -> Weight:
        state = WeightState.OVERLOAD if over else WeightState.UNDERLOAD
        return cls(state, None, stable, net, tare_grams)

    @property
    def overload(self) -> bool:
        return self.state is WeightState.OVERLOAD

    @property
    def underload(self) -> bool:
        return self.state is WeightState.UNDERLOAD


def _state_of(grams: int) -> WeightState:
    if grams > 0:
        return WeightState.POSITIVE
    return WeightState.ZERO if grams == 0 else WeightState.NEGATIVE


@dataclass(frozen=True, slots=True)
class ScaleReading:
    """A weight and when its frame was read: ``monotonic_ns`` (``time.monotonic_ns()``)
    for its age, ``received_at`` (UTC) for records."""

    weight: Weight
    port: str
    received_at: datetime
    monotonic_ns: int


@dataclass(frozen=True, slots=True)
class ScaleStatus:
    """The link to the scale changed; ``error`` says why it is down (None when up)."""

    state: ConnectionState
    port: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ScaleProblem:
    """Bytes dropped from the stream (noise, a frame that failed its checks, a frame in a
    unit the till cannot use, a frame cut by an unplug); ``detail`` is for a technician."""

    kind: str
    detail: str
    port: str
