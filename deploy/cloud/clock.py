"""The server's notion of now: UTC, ISO-8601 text, as stored and as answered."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
