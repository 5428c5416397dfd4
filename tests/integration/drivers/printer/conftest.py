"""Fixtures for the printer over real pseudo-terminals and local TCP ports: simulated
printers that always close, and a check that no simulator thread or fd outlives a test."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printer.simulator import PtyPrinterSimulator, TcpPrinterSimulator
from tests.support.scanner_events import wait_for


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else set()


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    fds_before = _open_fds()
    yield
    assert wait_for(
        lambda: not [t for t in threading.enumerate() if t.name.startswith("printer-")]
    ), [t.name for t in threading.enumerate()]
    leaked = {fd for fd in _open_fds() - fds_before if os.path.exists(f"/proc/self/fd/{fd}")}
    assert not leaked, {fd: os.readlink(f"/proc/self/fd/{fd}") for fd in leaked}


@pytest.fixture
def pty_printer(tmp_path: Path) -> Iterator[PtyPrinterSimulator]:
    with PtyPrinterSimulator(tmp_path / "printer") as printer:
        yield printer


@pytest.fixture
def tcp_printer() -> Iterator[TcpPrinterSimulator]:
    with TcpPrinterSimulator() as printer:
        yield printer
