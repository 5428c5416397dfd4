"""What a scanner tells its listeners: ``ScanEvent``, ``ScannerStatus``, ``ScannerProblem``.

Plain data, safe to hand to another thread. A scan may be a wallet payment code, which is
as good as cash for a minute, so ``ScanEvent``'s ``repr`` masks the code: an event that
ends up in a log line does not leak it. Only ``.code`` holds the real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from terminal.domain.codes.wallet import safe_preview


class ConnectionState(StrEnum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    RECONNECTING = "reconnecting"


@dataclass(frozen=True, slots=True, repr=False)
class ScanEvent:
    """One scan: data without AIM prefix, its symbology (when the scanner said), and when.

    ``monotonic_ns`` is ``time.monotonic_ns()`` when the terminator was read, for latency
    and duplicate windows; ``received_at`` is the UTC wall time, for records.
    """

    code: str
    symbology: str | None
    aim: str | None
    received_at: datetime
    monotonic_ns: int

    def __repr__(self) -> str:
        return (
            f"ScanEvent(code={safe_preview(self.code)!r}, aim={self.aim!r},"
            f" received_at={self.received_at.isoformat()})"
        )


@dataclass(frozen=True, slots=True)
class ScannerStatus:
    """The link to the scanner changed; ``error`` says why it is down (None when up)."""

    state: ConnectionState
    port: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ScannerProblem:
    """A line dropped from the stream (garbage in it, over-long, cut by an unplug).

    ``detail`` never holds scanned data, only counts and at most a few offending bytes in
    hex (a control character, a byte that is not UTF-8: never part of a code), so it may
    be shown and logged.
    """

    kind: str
    detail: str
    port: str
