"""Fixtures for the scanner over real pseudo-terminals: a simulator at a link in a temp
folder, readers that always stop, and a check that no thread or fd outlives a test."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.scanner import (
    ConnectionState,
    PtyScannerSimulator,
    ScanEvent,
    ScannerProblem,
    ScannerReader,
    ScannerSettings,
    ScannerStatus,
)

# Generous: the suite must pass on a loaded 2-core machine; waits end as soon as met.
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


MakeReader = Callable[..., tuple[ScannerReader, Heard]]


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else set()


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    fds_before = _open_fds()
    yield
    assert wait_for(
        lambda: not [t for t in threading.enumerate() if t.name.startswith("scanner-")]
    ), [t.name for t in threading.enumerate()]
    # Every fd the test opened (ptys, ports, pipes) is closed again.
    leaked = {fd for fd in _open_fds() - fds_before if os.path.exists(f"/proc/self/fd/{fd}")}
    assert not leaked, {fd: os.readlink(f"/proc/self/fd/{fd}") for fd in leaked}


@pytest.fixture
def link(tmp_path: Path) -> Path:
    return tmp_path / "scanner"


@pytest.fixture
def simulator(link: Path) -> Iterator[PtyScannerSimulator]:
    with PtyScannerSimulator(link) as sim:
        yield sim


@pytest.fixture
def make_reader(link: Path) -> Iterator[MakeReader]:
    readers: list[ScannerReader] = []

    def make(**overrides: Any) -> tuple[ScannerReader, Heard]:
        options: dict[str, Any] = {
            "port": str(link),
            "reconnect_min_s": 0.05,
            "reconnect_max_s": 0.2,
            **overrides,
        }
        reader = ScannerReader(ScannerSettings(**options))
        heard = Heard(reader)
        readers.append(reader)
        reader.start()
        return reader, heard

    yield make
    for reader in readers:
        reader.stop()
