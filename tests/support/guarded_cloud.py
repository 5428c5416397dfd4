"""A reference cloud whose rate limits are in the test's hands (the security tests): a
manual monotonic clock and limiters swapped on the running app (served with
``cloud_server.serving``)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from deploy.cloud.rate_limit import AUTH_FAILURES, REGISTRATIONS, Limit, RateLimiter
from tests.support.cloud_api import Cloud

WIDE_OPEN = 100_000  # attempts per window: no test that is not about limits meets it


class ManualClock:
    """A monotonic clock that moves only when told."""

    def __init__(self, start: float = 1_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class GuardedCloud:
    cloud: Cloud
    app: FastAPI
    db_url: str  # with its password, for facepay-cloud's --db

    def open_limits(self) -> None:
        """Every limit of the app wide open (each test starts from this)."""
        for limit in (REGISTRATIONS, AUTH_FAILURES):
            setattr(self.app.state, limit.state_name, RateLimiter(WIDE_OPEN, 60.0))

    def limit(self, limit: Limit, count: int, window_s: float, clock: ManualClock) -> RateLimiter:
        """Replace the running app's limiter for ``limit`` with a small one on ``clock``."""
        limiter = RateLimiter(count, window_s, clock=clock)
        setattr(self.app.state, limit.state_name, limiter)
        return limiter
