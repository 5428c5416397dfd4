"""Fixtures for the printer over real pseudo-terminals and local TCP ports: simulated
printers that always close, and a check that no simulator thread or fd outlives a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printer.simulator import PtyPrinterSimulator, TcpPrinterSimulator
from tests.support.leaks import no_thread_or_fd_leaks


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    with no_thread_or_fd_leaks("printer-"):
        yield


@pytest.fixture
def pty_printer(tmp_path: Path) -> Iterator[PtyPrinterSimulator]:
    with PtyPrinterSimulator(tmp_path / "printer") as printer:
        yield printer


@pytest.fixture
def tcp_printer() -> Iterator[TcpPrinterSimulator]:
    with TcpPrinterSimulator() as printer:
        yield printer
