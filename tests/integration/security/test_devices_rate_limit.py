"""The sliding-window limiter behind the 429s (``deploy.cloud.rate_limit``), on a manual
clock: exact waits, refused attempts not counted, successes given back, and no overshoot
when many threads try at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from deploy.cloud.rate_limit import Limit, RateLimiter, rate_limited
from tests.support.guarded_cloud import ManualClock


def test_the_window_slides_and_the_wait_is_exact() -> None:
    clock = ManualClock()
    limiter = RateLimiter(3, 60.0, clock=clock)
    for step in (0, 10, 10):
        clock.advance(step)
        assert limiter.hit("ip") is None
    assert limiter.hit("ip") == 40.0  # the first attempt leaves the window at 60
    assert limiter.wait("other") is None  # per key
    clock.advance(39.5)
    assert limiter.wait("ip") == 0.5
    clock.advance(0.5)
    assert limiter.hit("ip") is None  # one slot freed, taken
    assert limiter.hit("ip") == 10.0  # the next leaves at 70


def test_a_refused_attempt_is_not_counted_so_waiting_as_told_works() -> None:
    clock = ManualClock()
    limiter = RateLimiter(1, 5.0, clock=clock)
    assert limiter.hit("ip") is None
    for _ in range(100):
        clock.advance(0.01)
        assert limiter.hit("ip") is not None
    clock.advance(5.0)
    assert limiter.hit("ip") is None


def test_a_forgiven_attempt_gives_its_slot_back() -> None:
    limiter = RateLimiter(2, 60.0, clock=ManualClock())
    for _ in range(10):
        assert limiter.hit("ip") is None
        limiter.forgive("ip")
    limiter.forgive("never-seen")
    assert limiter.hit("ip") is None and limiter.hit("ip") is None
    assert limiter.hit("ip") is not None


def test_parallel_attempts_never_overshoot_the_limit() -> None:
    limiter = RateLimiter(10, 60.0, clock=ManualClock())
    start = threading.Barrier(40)

    def attempt(_: int) -> bool:
        start.wait()
        return limiter.hit("ip") is None

    with ThreadPoolExecutor(40) as pool:
        allowed = sum(pool.map(attempt, range(40)))
    assert allowed == 10


def test_it_forgets_idle_keys_first_when_full() -> None:
    clock = ManualClock()
    limiter = RateLimiter(1, 10.0, clock=clock, max_keys=3)
    for key in ("a", "b"):
        limiter.hit(key)
    clock.advance(11)  # a and b are idle now
    limiter.hit("c")
    limiter.hit("d")  # full: the idle a and b go
    limiter.hit("e")
    assert limiter.wait("c") is not None and limiter.wait("d") is not None


def test_the_429_says_when_to_come_back_in_whole_seconds() -> None:
    limit = Limit("test_limiter", 1, 60.0, "tries")
    error = rate_limited(0.2, limit)
    assert (error.status, error.code) == (429, "rate_limited")
    assert error.headers == {"Retry-After": "1"}
    assert rate_limited(59.01, limit).headers == {"Retry-After": "60"}
    assert "too many tries" in error.message


@pytest.mark.parametrize(("count", "window_s"), [(0, 60.0), (5, 0.0), (5, -1.0)])
def test_a_limit_that_allows_nothing_is_refused(count: int, window_s: float) -> None:
    with pytest.raises(ValueError, match="rate limit"):
        RateLimiter(count, window_s)
