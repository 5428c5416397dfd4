"""Bytes from a serial scanner in, complete scans out: ``LineAssembler``.

Pure and reusable (no I/O, no threads, no clock). A scan ends at CR, LF or CRLF; any of
them is accepted, and because empty lines are ignored a CRLF counts as one terminator.
Partial data is kept across reads and read timeouts until its terminator arrives.

What a noisy line can carry, and what happens to it:
- a line longer than ``max_line_bytes`` with no terminator is dropped (one
  ``overlong_line`` problem), and reading resyncs at the next terminator;
- bytes that are not UTF-8 are removed (``invalid_utf8``);
- control characters (NUL, BEL, ESC, the SYN of a trigger echo, C1 controls, DEL) are
  removed (``control_characters``), except GS (0x1D), the GS1 FNC1 separator that
  ``terminal.domain.codes.gs1`` needs.
Problems carry counts and lengths, never the data, because a line may hold a payment code.

What must not live here: AIM prefixes (``aim.py``), duplicate suppression, the port.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

ProblemKind = Literal["overlong_line", "invalid_utf8", "control_characters"]

GROUP_SEPARATOR = "\x1d"
_TERMINATORS = re.compile(rb"[\r\n]")
# C0 controls except GS, DEL and the C1 block; CR and LF never reach this (they split lines).
_CONTROL = re.compile("[\x00-\x1c\x1e\x1f\x7f-\x9f]")
_REPLACEMENT = "\ufffd"


@dataclass(frozen=True, slots=True)
class FramingProblem:
    """Something removed from the stream; ``count`` says how much (bytes, characters)."""

    kind: ProblemKind
    count: int

    def describe(self) -> str:
        if self.kind == "overlong_line":
            return f"dropped a line of more than {self.count} bytes with no terminator"
        if self.kind == "invalid_utf8":
            return f"removed {self.count} invalid UTF-8 sequence(s)"
        return f"removed {self.count} control character(s)"


@dataclass(frozen=True, slots=True)
class Framed:
    """What one ``feed`` produced: complete scans in order, and what was cleaned away."""

    lines: tuple[str, ...] = ()
    problems: tuple[FramingProblem, ...] = ()


@dataclass(slots=True)
class LineAssembler:
    """Feed it bytes as they come; it returns the scans each chunk completes."""

    max_line_bytes: int = 4096
    _pending: bytearray = field(default_factory=bytearray)
    # True while skipping the rest of an over-long line, up to its terminator.
    _discarding: bool = False

    @property
    def pending_bytes(self) -> int:
        """How many bytes of an unfinished line are held (0 while discarding one)."""
        return len(self._pending)

    def feed(self, data: bytes) -> Framed:
        lines: list[str] = []
        problems: list[FramingProblem] = []
        start = 0
        for match in _TERMINATORS.finditer(data):
            self._take(data[start : match.start()], problems)
            if self._discarding:
                self._discarding = False
            else:
                line = self._finish(problems)
                if line is not None:
                    lines.append(line)
            self._pending.clear()
            start = match.end()
        self._take(data[start:], problems)
        return Framed(tuple(lines), tuple(problems))

    def reset(self) -> int:
        """Forget an unfinished line (the port was closed); returns how many bytes it had."""
        dropped = len(self._pending)
        self._pending.clear()
        self._discarding = False
        return dropped

    def _take(self, chunk: bytes, problems: list[FramingProblem]) -> None:
        if self._discarding or not chunk:
            return
        self._pending += chunk
        if len(self._pending) > self.max_line_bytes:
            # Reported once, when the limit is crossed, so that how the stream was split
            # into reads never changes what is reported.
            problems.append(FramingProblem("overlong_line", self.max_line_bytes))
            self._pending.clear()
            self._discarding = True

    def _finish(self, problems: list[FramingProblem]) -> str | None:
        if not self._pending:
            return None
        text = self._pending.decode("utf-8", errors="replace")
        bad = text.count(_REPLACEMENT)
        if bad:
            problems.append(FramingProblem("invalid_utf8", bad))
            text = text.replace(_REPLACEMENT, "")
        text, controls = _CONTROL.subn("", text)
        if controls:
            problems.append(FramingProblem("control_characters", controls))
        return text if text.strip() else None
