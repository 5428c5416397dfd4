"""Bytes from a serial scanner in, complete scans out: ``LineAssembler``.

Pure and reusable (no I/O, no threads, no clock). A scan ends at CR, LF or CRLF; any of
them is accepted, and because empty lines are ignored a CRLF counts as one terminator.
Partial data is kept across reads and read timeouts until its terminator arrives.

A line is a scan only when every character in it may be data: printable text (ASCII, or
any other UTF-8 that is not a control character) and GS (0x1D), the GS1 FNC1 separator
that ``terminal.domain.codes.gs1`` needs. A line that carries anything else is dropped
whole and reported once; its bytes are never cleaned and kept, because a partly garbled
code can be another valid code (a digit lost from an EAN, an ESC sequence whose tail
looks like data). What drops a line:
- bytes that are not UTF-8 (``invalid_utf8``), which includes 8-bit C1 controls such as
  a raw 0x9B CSI; this kind wins when a line also holds control characters;
- control characters (``control_characters``): NUL, every other C0 control but GS (BEL,
  BS, TAB, ESC, the SYN of a trigger echo...), DEL, and C1 controls sent as UTF-8;
- a line longer than ``max_line_bytes`` with no terminator (``overlong_line``), after
  which reading resyncs at the next terminator.
Either way the next line is judged on its own, so a good scan right after a bad line
comes through. Problems carry counts, lengths and at most ``PREVIEW_BYTES`` of the
offending bytes themselves (never of the data around them), because a line may hold a
payment code.

What must not live here: AIM prefixes (``aim.py``), duplicate suppression, the port.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

ProblemKind = Literal["overlong_line", "invalid_utf8", "control_characters"]

GROUP_SEPARATOR = "\x1d"
# How many of a dropped line's offending bytes a problem may show, in hex.
PREVIEW_BYTES = 4
_TERMINATORS = re.compile(rb"[\r\n]")
# Decoded with surrogateescape, each byte that is not UTF-8 becomes one of U+DC80-U+DCFF.
# C0 controls but GS, DEL and the C1 block; CR and LF never reach this (they split lines).
_NOT_DATA = re.compile("[\x00-\x1c\x1e\x1f\x7f-\x9f\udc80-\udcff]")
_FIRST_ESCAPED = "\udc80"


@dataclass(frozen=True, slots=True)
class FramingProblem:
    """A line dropped from the stream, and why.

    ``line_bytes`` is the dropped line's length (for ``overlong_line``, the limit it went
    past); ``preview`` is the hex of the first offending bytes, which are never data.
    """

    kind: ProblemKind
    line_bytes: int
    invalid_bytes: int = 0
    control_characters: int = 0
    preview: str = ""

    def describe(self) -> str:
        if self.kind == "overlong_line":
            return f"dropped a line of more than {self.line_bytes} bytes with no terminator"
        found: list[str] = []
        if self.invalid_bytes:
            found.append(f"{self.invalid_bytes} byte(s) that are not UTF-8")
        if self.control_characters:
            found.append(f"{self.control_characters} control character(s)")
        hint = (
            "check the scanner's baud rate and parity"
            if self.kind == "invalid_utf8"
            else "check the scanner's prefix and suffix settings"
        )
        return (
            f"dropped a line of {self.line_bytes} bytes with {' and '.join(found)}"
            f" (first: {self.preview}); {hint}"
        )

    def log_fields(self) -> dict[str, object]:
        """Structured fields for a log line; like ``describe``, free of scanned data."""
        return {
            "line_bytes": self.line_bytes,
            "invalid_bytes": self.invalid_bytes,
            "control_characters": self.control_characters,
            "preview": self.preview,
        }


@dataclass(frozen=True, slots=True)
class Framed:
    """What one ``feed`` produced: complete scans in order, and the lines dropped."""

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
        # Judged as a whole line, never per read: a character split between two reads is
        # whole here, and the verdict cannot depend on how the stream was cut.
        text = self._pending.decode("utf-8", errors="surrogateescape")
        offending = _NOT_DATA.findall(text)
        if offending:
            problems.append(_dropped(len(self._pending), offending))
            return None
        return text if text.strip() else None


def _dropped(line_bytes: int, offending: list[str]) -> FramingProblem:
    invalid = sum(1 for ch in offending if ch >= _FIRST_ESCAPED)
    # Back to the bytes that were sent: an escaped byte as itself, a C1 control as UTF-8.
    raw = "".join(offending).encode("utf-8", errors="surrogateescape")
    return FramingProblem(
        "invalid_utf8" if invalid else "control_characters",
        line_bytes,
        invalid_bytes=invalid,
        control_characters=len(offending) - invalid,
        preview=raw[:PREVIEW_BYTES].hex(" "),
    )
