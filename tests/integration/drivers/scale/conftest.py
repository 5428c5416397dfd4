"""Fixtures for the scale over real pseudo-terminals: a simulator at a link in a temp
folder, readers that always stop, and a check that no thread or fd outlives a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.scale import PtyScaleSimulator, ScaleReader, ScaleSettings
from tests.support.leaks import no_thread_or_fd_leaks
from tests.support.scale_events import HeardScale, MakeScaleReader


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    with no_thread_or_fd_leaks("scale-"):
        yield


@pytest.fixture
def link(tmp_path: Path) -> Path:
    return tmp_path / "scale"


@pytest.fixture
def simulator(link: Path) -> Iterator[PtyScaleSimulator]:
    with PtyScaleSimulator(link) as sim:
        yield sim


@pytest.fixture
def make_scale_reader(link: Path) -> Iterator[MakeScaleReader]:
    readers: list[ScaleReader] = []

    def make(**overrides: Any) -> tuple[ScaleReader, HeardScale]:
        options: dict[str, Any] = {
            "port": str(link),
            "reconnect_min_s": 0.05,
            "reconnect_max_s": 0.2,
            # Every problem reported: the tests count them.
            "problem_interval_s": 0,
            **overrides,
        }
        reader = ScaleReader(ScaleSettings(**options))
        heard = HeardScale(reader)
        readers.append(reader)
        reader.start()
        return reader, heard

    yield make
    for reader in readers:
        reader.stop()
