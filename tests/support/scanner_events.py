"""What a scanner reader emitted, gathered from its thread for a test to assert on, and
the polling wait those tests use (generous, because the suite must pass on a loaded
2-core machine; a wait ends as soon as its condition is met)."""

from __future__ import annotations

import time
from collections.abc import Callable

from drivers.scanner import (
    ConnectionState,
    ScanEvent,
    ScannerProblem,
    ScannerReader,
    ScannerStatus,
)

WAIT_S = 5.0


def wait_for(condition: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


class Heard:
    """Everything a reader emitted, in order, gathered from its thread."""

    def __init__(self, reader: ScannerReader) -> None:
        self.scans: list[ScanEvent] = []
        self.statuses: list[ScannerStatus] = []
        self.problems: list[ScannerProblem] = []
        reader.on_scan(self.scans.append)
        reader.on_status(self.statuses.append)
        reader.on_problem(self.problems.append)

    @property
    def codes(self) -> list[str]:
        return [scan.code for scan in self.scans]

    def states(self) -> list[ConnectionState]:
        return [status.state for status in self.statuses]

    def wait_codes(self, count: int) -> list[str]:
        assert wait_for(lambda: len(self.scans) >= count), f"only {self.codes}"
        return self.codes

    def wait_connected(self, times: int = 1) -> None:
        assert wait_for(lambda: self.states().count(ConnectionState.CONNECTED) >= times), (
            self.statuses
        )


# What the ``make_reader`` fixture hands a test: start a reader (keyword overrides of
# its settings) and get it back with what it is heard saying.
MakeReader = Callable[..., tuple[ScannerReader, Heard]]
