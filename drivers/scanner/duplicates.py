"""``DuplicateFilter``: the same code read again within a window is one scan.

A scanner in continuous mode reads a code held in its beam several times a second. The
window runs from when the code was last *seen*, so a code held there for ten seconds is
still one scan; only the last code is remembered, so A, B, A are three scans (two items
of A with another in between). Pure: the caller passes the monotonic time.
"""

from __future__ import annotations


class DuplicateFilter:
    def __init__(self, window_ms: int) -> None:
        self._window_ns = window_ms * 1_000_000
        self._last_code: str | None = None
        self._last_seen_ns = 0

    def is_duplicate(self, code: str, now_ns: int) -> bool:
        """True when ``code`` repeats the last code within the window; remembers this read."""
        duplicate = (
            self._window_ns > 0
            and code == self._last_code
            and now_ns - self._last_seen_ns < self._window_ns
        )
        self._last_code = code
        self._last_seen_ns = now_ns
        return duplicate

    def forget(self) -> None:
        """After a reconnect the next read is a new scan, whatever came before."""
        self._last_code = None
