"""Fixtures for the scanner over real pseudo-terminals: a simulator at a link in a temp
folder, readers that always stop, and a check that no thread or fd outlives a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.scanner import PtyScannerSimulator, ScannerReader, ScannerSettings
from tests.support.leaks import no_thread_or_fd_leaks
from tests.support.scanner_events import Heard, MakeReader


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    with no_thread_or_fd_leaks("scanner-"):
        yield


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
