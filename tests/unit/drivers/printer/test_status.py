"""DLE EOT answers read into a state and a reason code, and made by the fake's side."""

from __future__ import annotations

import pytest

from drivers.printer import Condition, PrinterReason, PrinterState
from drivers.printer.commands import StatusQuery
from drivers.printer.status import is_status_byte, status_from_replies, status_reply


def test_an_online_printer_with_paper_is_ready() -> None:
    status = status_from_replies(0x12, paper=0x12)
    assert (status.state, status.reason, status.can_print) == (PrinterState.READY, None, True)


def test_a_roll_near_its_end_still_prints_with_a_warning() -> None:
    status = status_from_replies(0x12, paper=0x1E)  # bits 2 and 3: near end
    assert (status.state, status.reason) == (PrinterState.PAPER_LOW, PrinterReason.PAPER_LOW)
    assert status.can_print


@pytest.mark.parametrize(
    ("cause", "paper", "state", "reason"),
    [
        (0x32, 0x72, PrinterState.PAPER_OUT, PrinterReason.PAPER_OUT),  # stopped: paper end
        (0x16, 0x12, PrinterState.COVER_OPEN, PrinterReason.COVER_OPEN),
        (0x52, 0x12, PrinterState.ERROR, PrinterReason.ERROR),
        (0x12, 0x12, PrinterState.OFFLINE, PrinterReason.OFFLINE),  # offline, no cause
        (None, 0x72, PrinterState.PAPER_OUT, PrinterReason.PAPER_OUT),  # only the roll said
    ],
)
def test_an_offline_printer_says_why(
    cause: int | None, paper: int, state: PrinterState, reason: PrinterReason
) -> None:
    status = status_from_replies(0x1A, offline_cause=cause, paper=paper)  # bit 3: offline
    assert (status.state, status.reason, status.can_print) == (state, reason, False)
    assert status.detail.startswith("1a")  # the bytes, for the log


def test_answers_are_recognised_by_their_fixed_bits() -> None:
    assert is_status_byte(0x12) and is_status_byte(0x7E)
    assert not is_status_byte(0x00) and not is_status_byte(0xFF) and not is_status_byte(0x13)


@pytest.mark.parametrize(
    ("condition", "state"),
    [
        (Condition(), PrinterState.READY),
        (Condition(paper_low=True), PrinterState.PAPER_LOW),
        (Condition(paper_out=True), PrinterState.PAPER_OUT),
        (Condition(cover_open=True), PrinterState.COVER_OPEN),
        (Condition(error=True), PrinterState.ERROR),
    ],
)
def test_the_answers_a_simulated_printer_makes_read_back_as_its_condition(
    condition: Condition, state: PrinterState
) -> None:
    replies = {q: status_reply(q, condition) for q in StatusQuery}
    assert all(is_status_byte(reply) for reply in replies.values())
    status = status_from_replies(
        replies[StatusQuery.PRINTER],
        offline_cause=replies[StatusQuery.OFFLINE_CAUSE],
        paper=replies[StatusQuery.PAPER],
    )
    assert status.state is state
