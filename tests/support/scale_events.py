"""What a scale reader emitted, gathered from its thread for a test to assert on (the
polling wait is the scanner tests' ``wait_for``: generous, ends as soon as met)."""

from __future__ import annotations

from collections.abc import Callable

from drivers.scale import (
    ConnectionState,
    ScaleProblem,
    ScaleReader,
    ScaleReading,
    ScaleStatus,
    Weight,
    WeightSource,
)
from tests.support.scanner_events import WAIT_S, wait_for

__all__ = ["WAIT_S", "HeardScale", "MakeScaleReader", "wait_for"]


class HeardScale:
    """Everything a scale emitted, in order, gathered from its thread."""

    def __init__(self, scale: WeightSource) -> None:
        self.readings: list[ScaleReading] = []
        self.statuses: list[ScaleStatus] = []
        self.problems: list[ScaleProblem] = []
        scale.on_reading(self.readings.append)
        scale.on_status(self.statuses.append)
        scale.on_problem(self.problems.append)

    @property
    def weights(self) -> list[Weight]:
        return [reading.weight for reading in self.readings]

    def states(self) -> list[ConnectionState]:
        return [status.state for status in self.statuses]

    def kinds(self) -> list[str]:
        return [problem.kind for problem in self.problems]

    def wait_weight(self, condition: Callable[[Weight], bool]) -> Weight:
        """The first weight heard that meets ``condition``, waiting for it."""

        def found() -> Weight | None:
            return next((w for w in list(self.weights) if condition(w)), None)

        assert wait_for(lambda: found() is not None), f"only {self.weights}"
        weight = found()
        assert weight is not None
        return weight

    def wait_stable(self, grams: int) -> Weight:
        return self.wait_weight(lambda w: w.stable and w.grams == grams)

    def wait_connected(self, times: int = 1) -> None:
        assert wait_for(lambda: self.states().count(ConnectionState.CONNECTED) >= times), (
            self.statuses
        )


# What the ``make_scale_reader`` fixture hands a test: start a reader (keyword overrides
# of its settings) and get it back with what it is heard saying.
MakeScaleReader = Callable[..., tuple[ScaleReader, HeardScale]]
