"""A fixed, always-advancing UTC clock for tests: every reading is a new second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    """A UTC clock that moves one second per reading, so every event has its own time."""

    def __init__(self, start: datetime = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now
