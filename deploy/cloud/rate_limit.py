"""Sliding-window rate limits, in process: how often one key (a client's IP address) may
try a kind of thing in any ``window_s`` seconds, and the 429 answer once it is over.

The interface, kept small for every route that limits something:

- ``RateLimiter(limit, window_s, clock=time.monotonic)``: thread-safe; ``hit(key)``
  counts one attempt and answers None, or, when the key is already at its limit, the
  seconds until it may try again (that refused attempt is not counted, so a client that
  waits as told is let in); ``wait(key)`` gives the same answer without counting;
  ``forgive(key)`` takes back the key's newest counted attempt (it turned out fine).
- ``Limit``: a limiter's name on ``app.state``, its default size, and what it counts
  (for the message); ``limiter_for(request, limit)`` is the app's limiter of that name,
  made from the defaults the first time when the app configured none.
- ``client_key(request)``: the key for "this client": its IP address.
- ``rate_limited(seconds, limit)``: the ``ApiError`` 429 ``rate_limited`` with a
  ``Retry-After`` header (whole seconds, at least 1); ``refuse_when_over(request, limit)``
  counts an attempt and raises it when over.

The limits of this module's routes (``REGISTRATIONS``, ``AUTH_FAILURES``) count failures
only, taken before the check so a burst of parallel attempts cannot overshoot; what a
success costs is given back. State is per process (the server runs one worker) and is
forgotten on restart: enough to make guessing codes or tokens hopeless, not a shield
against a distributed flood, which belongs in front of the server.

What must not live here: what a route does once it is let in; persistence.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from deploy.cloud.errors import ApiError

log = logging.getLogger(__name__)

Clock = Callable[[], float]
DEFAULT_MAX_KEYS = 100_000


class RateLimiter:
    """At most ``limit`` counted attempts per key in any ``window_s`` seconds.

    Remembers at most ``max_keys`` keys: past that, keys with nothing in their window are
    dropped, then the oldest ones (a flood from that many addresses is not stopped here).
    """

    def __init__(
        self,
        limit: int,
        window_s: float,
        *,
        clock: Clock = time.monotonic,
        max_keys: int = DEFAULT_MAX_KEYS,
    ):
        if limit < 1:
            raise ValueError(f"a rate limit must allow at least 1 attempt, not {limit}")
        if not window_s > 0:
            raise ValueError(f"a rate limit window must be longer than 0 s, not {window_s}")
        self.limit = limit
        self.window_s = float(window_s)
        self._clock = clock
        self._max_keys = max(1, max_keys)
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Count one attempt of ``key``: None when allowed, else the seconds to wait."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                return self._wait(hits, now)
            if key not in self._hits:
                self._make_room(now)
                self._hits[key] = hits
            hits.append(now)
            return None

    def wait(self, key: str) -> float | None:
        """The seconds ``key`` must wait before its next attempt is allowed, or None."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            return self._wait(hits, now) if len(hits) >= self.limit else None

    def forgive(self, key: str) -> None:
        """Take back the newest counted attempt of ``key`` (it succeeded)."""
        with self._lock:
            hits = self._hits.get(key)
            if hits:
                hits.pop()
                if not hits:
                    del self._hits[key]

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        horizon = now - self.window_s
        while hits and hits[0] <= horizon:
            hits.popleft()
        return hits

    def _wait(self, hits: deque[float], now: float) -> float:
        # The attempt that has to leave the window before one more fits.
        oldest = hits[len(hits) - self.limit]
        return max(oldest + self.window_s - now, 0.0)

    def _make_room(self, now: float) -> None:
        if len(self._hits) < self._max_keys:
            return
        horizon = now - self.window_s
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= horizon]:
            del self._hits[key]
        # Still full: forget the longest-known keys, down to nine tenths so this scan
        # does not run again on the very next new key.
        keep = self._max_keys * 9 // 10
        while len(self._hits) > keep:
            del self._hits[next(iter(self._hits))]


@dataclass(frozen=True, slots=True)
class Limit:
    """A limiter the app keeps on ``app.state.<state_name>``; ``limit`` attempts per
    ``window_s`` when the app sets none; ``what`` it counts, for the 429 message."""

    state_name: str
    limit: int
    window_s: float
    what: str

    def new_limiter(self, clock: Clock = time.monotonic) -> RateLimiter:
        return RateLimiter(self.limit, self.window_s, clock=clock)


# Failed device registrations (a code unknown, used or expired) per client address.
REGISTRATIONS = Limit("registration_limiter", 10, 60.0, "failed device registrations")
# Requests whose bearer token is not valid (unknown or revoked) per client address; once
# over, every request with a token from that address waits, a valid token's as well.
AUTH_FAILURES = Limit("auth_failure_limiter", 20, 60.0, "requests with a token that is not valid")

_made = threading.Lock()


def limiter_for(request: Request, limit: Limit) -> RateLimiter:
    """The app's limiter for ``limit``; made with the defaults when the app set none."""
    state = request.app.state
    found: RateLimiter | None = getattr(state, limit.state_name, None)
    if found is None:
        with _made:
            found = getattr(state, limit.state_name, None)
            if found is None:
                found = limit.new_limiter()
                setattr(state, limit.state_name, found)
    return found


def client_key(request: Request) -> str:
    """The client's address: behind a proxy, uvicorn takes it from X-Forwarded-For only
    when the proxy is one it trusts (--forwarded-allow-ips)."""
    return request.client.host if request.client is not None else "unknown"


def rate_limited(seconds: float, limit: Limit) -> ApiError:
    retry = max(1, math.ceil(seconds))
    return ApiError(
        429,
        "rate_limited",
        f"too many {limit.what} from this address; try again in {retry} s",
        {"Retry-After": str(retry)},
    )


def refuse_when_over(request: Request, limit: Limit) -> str:
    """Count an attempt of this client against ``limit``; 429 when it is over. Returns the
    client's key (for ``forgive`` once the attempt succeeded)."""
    key = client_key(request)
    seconds = limiter_for(request, limit).hit(key)
    if seconds is not None:
        log.info("rate limited", extra={"limit": limit.state_name, "client": key})
        raise rate_limited(seconds, limit)
    return key
