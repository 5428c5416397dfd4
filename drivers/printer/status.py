"""What a printer says about itself: ``PrinterStatus`` (a state and a reason code),
``PrintResult``, and the DLE EOT real-time status bytes read both ways.

``status_from_replies`` reads the printer's answers; ``status_reply`` makes them (the
fake and the simulators answer with it, so the reading code runs for real in tests).
Bit meanings from Epson's ESC/POS reference, "DLE EOT n": every answer has bit 1 and
bit 4 set, bits 0 and 7 clear.

Reason codes are message ids: the screens turn them into words from their string
catalog (they are not ``TillError`` codes, so they live here, as the face pipeline's
``Why`` lives with it). What must not live here: I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from drivers.printer.commands import StatusQuery

_FIXED_MASK, _FIXED_BITS = 0x93, 0x12
_OFFLINE = 0x08  # PRINTER
_COVER_OPEN = 0x04  # OFFLINE_CAUSE
_STOPPED_BY_PAPER_END = 0x20  # OFFLINE_CAUSE
_ERROR = 0x40  # OFFLINE_CAUSE
_NEAR_END = 0x0C  # PAPER
_PAPER_END = 0x60  # PAPER


class PrinterState(StrEnum):
    READY = "ready"
    PAPER_LOW = "paper_low"  # prints; the roll is near its end
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    ERROR = "error"  # cutter jam, head too hot, ...
    OFFLINE = "offline"  # no contact, no answer, or the printer says offline
    UNKNOWN = "unknown"  # the link cannot answer (a USB printer-class file): assumed ready


class PrinterReason(StrEnum):
    """Why a printer cannot print (or should be looked at soon)."""

    PAPER_LOW = "printer.paper_low"
    PAPER_OUT = "printer.paper_out"
    COVER_OPEN = "printer.cover_open"
    ERROR = "printer.error"
    OFFLINE = "printer.offline"  # it answered: offline, for no reason it gave
    UNREACHABLE = "printer.unreachable"  # the port, device or host cannot be opened
    NO_REPLY = "printer.no_reply"  # connected, but no answer to the status request in time
    WRITE_FAILED = "printer.write_failed"  # the job did not go through in time
    NO_DRAWER = "printer.no_drawer"  # no cash drawer is configured


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """``detail``: English for the log (an errno text, the reply bytes in hex)."""

    state: PrinterState
    reason: PrinterReason | None = None
    detail: str = ""

    @property
    def can_print(self) -> bool:
        return self.state in (PrinterState.READY, PrinterState.PAPER_LOW, PrinterState.UNKNOWN)


READY = PrinterStatus(PrinterState.READY)


@dataclass(frozen=True, slots=True)
class PrintResult:
    """The end of one job: ``ok`` when every byte went to the printer; ``status`` as
    read before it (or the fault that stopped it), with its reason code."""

    ok: bool
    status: PrinterStatus
    bytes_sent: int = 0

    @property
    def reason(self) -> PrinterReason | None:
        return self.status.reason


def offline(reason: PrinterReason, detail: str = "") -> PrinterStatus:
    return PrinterStatus(PrinterState.OFFLINE, reason, detail)


def is_status_byte(value: int) -> bool:
    return value & _FIXED_MASK == _FIXED_BITS


def says_offline(printer: int) -> bool:
    """The answer to DLE EOT 1 says offline (then DLE EOT 2 tells why)."""
    return bool(printer & _OFFLINE)


def status_from_replies(
    printer: int, *, offline_cause: int | None = None, paper: int | None = None
) -> PrinterStatus:
    """The status from the answers to DLE EOT 1 (``printer``), 2 and 4 (None: not asked)."""
    detail = " ".join(f"{v:02x}" for v in (printer, offline_cause, paper) if v is not None)
    paper_end = paper is not None and bool(paper & _PAPER_END)
    if printer & _OFFLINE:
        cause = offline_cause or 0
        if cause & _COVER_OPEN:
            return PrinterStatus(PrinterState.COVER_OPEN, PrinterReason.COVER_OPEN, detail)
        if cause & _STOPPED_BY_PAPER_END or paper_end:
            return PrinterStatus(PrinterState.PAPER_OUT, PrinterReason.PAPER_OUT, detail)
        if cause & _ERROR:
            return PrinterStatus(PrinterState.ERROR, PrinterReason.ERROR, detail)
        return PrinterStatus(PrinterState.OFFLINE, PrinterReason.OFFLINE, detail)
    if paper_end:
        return PrinterStatus(PrinterState.PAPER_OUT, PrinterReason.PAPER_OUT, detail)
    if paper is not None and paper & _NEAR_END:
        return PrinterStatus(PrinterState.PAPER_LOW, PrinterReason.PAPER_LOW, detail)
    return PrinterStatus(PrinterState.READY, None, detail)


@dataclass(frozen=True, slots=True)
class Condition:
    """A printer's condition as a fake or a simulator holds it."""

    paper_out: bool = False
    paper_low: bool = False
    cover_open: bool = False
    error: bool = False

    @property
    def offline(self) -> bool:
        return self.paper_out or self.cover_open or self.error


NORMAL = Condition()


def status_reply(query: int, condition: Condition) -> int:
    """The byte a printer in ``condition`` answers to DLE EOT ``query``."""
    bits = 0
    if query == StatusQuery.PRINTER and condition.offline:
        bits = _OFFLINE
    elif query == StatusQuery.OFFLINE_CAUSE:
        bits = (
            (_COVER_OPEN if condition.cover_open else 0)
            | (_STOPPED_BY_PAPER_END if condition.paper_out else 0)
            | (_ERROR if condition.error else 0)
        )
    elif query == StatusQuery.PAPER:
        bits = (_PAPER_END if condition.paper_out else 0) | (
            _NEAR_END if condition.paper_low or condition.paper_out else 0
        )
    return _FIXED_BITS | bits
