"""The real ``EscPosPrinter`` over the fake (``file:``) transport: the exact byte stream
in the file, and each fault reported as a status with a reason code, without raising."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from drivers.printer import (
    Condition,
    EscPosPrinter,
    FakeTransport,
    PaperWidth,
    PrinterReason,
    PrinterState,
    ReceiptDoc,
    Text,
    encode,
    open_printer,
)
from drivers.printer.commands import drawer_kick, drawer_pulse_now
from tests.support.receipt_orders import ASKED_WHEN_OFFLINE, ASKED_WHEN_ONLINE

DOC = ReceiptDoc((Text("小票"), Text("T01-20261122-0001")))


@pytest.fixture
def stream(tmp_path: Path) -> Path:
    return tmp_path / "receipts.bin"


def test_a_receipt_is_appended_after_the_status_requests_byte_for_byte(stream: Path) -> None:
    printer = open_printer(f"file:{stream}", PaperWidth.MM_58)
    first, second = printer.print_receipt(DOC), printer.print_receipt(DOC)
    job = encode(DOC, PaperWidth.MM_58, drawer_pin=2)
    assert stream.read_bytes() == (ASKED_WHEN_ONLINE + job) * 2
    assert first.ok and first.bytes_sent == len(job)
    assert (first.status.state, first.reason) == (PrinterState.READY, None)
    assert second.ok


@pytest.mark.parametrize(
    ("flag", "state", "reason"),
    [
        ("paper-out", PrinterState.PAPER_OUT, PrinterReason.PAPER_OUT),
        ("cover-open", PrinterState.COVER_OPEN, PrinterReason.COVER_OPEN),
    ],
)
def test_a_printer_that_says_it_cannot_print_gets_no_job(
    stream: Path, flag: str, state: PrinterState, reason: PrinterReason
) -> None:
    stream.with_name(f"{stream.name}.{flag}").touch()
    result = open_printer(f"file:{stream}").print_receipt(DOC)
    assert (result.ok, result.status.state, result.reason) == (False, state, reason)
    assert stream.read_bytes() == ASKED_WHEN_OFFLINE  # asked, and nothing printed


def test_paper_loaded_again_prints_the_next_receipt(stream: Path) -> None:
    flag = stream.with_name(f"{stream.name}.paper-out")
    flag.touch()
    printer = open_printer(f"file:{stream}")
    assert printer.status().state is PrinterState.PAPER_OUT
    flag.unlink()
    assert printer.status().state is PrinterState.READY
    assert printer.print_receipt(DOC).ok


def test_a_low_roll_prints_and_warns(stream: Path) -> None:
    printer = EscPosPrinter(FakeTransport(stream, condition=Condition(paper_low=True)))
    result = printer.print_receipt(DOC)
    assert result.ok and result.reason is PrinterReason.PAPER_LOW


def test_an_offline_printer_is_reported_unreachable_and_nothing_is_written(stream: Path) -> None:
    printer = EscPosPrinter(FakeTransport(stream, offline=True))
    result = printer.print_receipt(DOC)
    assert (result.ok, result.status.state) == (False, PrinterState.OFFLINE)
    assert result.reason is PrinterReason.UNREACHABLE
    assert "offline" in result.status.detail
    assert not stream.exists()
    assert printer.status().reason is PrinterReason.UNREACHABLE


def test_a_printer_that_never_answers_is_offline_and_gets_no_job(stream: Path) -> None:
    stream.with_name(f"{stream.name}.no-reply").touch()
    result = open_printer(f"file:{stream}").print_receipt(DOC)
    assert (result.ok, result.status.state) == (False, PrinterState.OFFLINE)
    assert result.reason is PrinterReason.NO_REPLY
    assert stream.read_bytes() == ASKED_WHEN_ONLINE[:3]  # asked once, then gave up


def test_the_drawer_opens_with_esc_p_and_with_the_real_time_pulse_when_out_of_paper(
    stream: Path,
) -> None:
    printer = open_printer(f"file:{stream}", drawer_pin=5)
    assert printer.open_drawer().ok
    assert stream.read_bytes() == ASKED_WHEN_ONLINE + drawer_kick(5)
    stream.unlink()
    stream.with_name(f"{stream.name}.paper-out").touch()
    result = printer.open_drawer()
    # The cash still goes in the drawer; the paper is reported all the same.
    assert result.ok and result.reason is PrinterReason.PAPER_OUT
    assert stream.read_bytes() == ASKED_WHEN_OFFLINE + drawer_pulse_now(5)


def test_without_a_drawer_open_drawer_says_so_and_sends_nothing(stream: Path) -> None:
    result = open_printer(f"file:{stream}", drawer_pin=None).open_drawer()
    assert (result.ok, result.reason) == (False, PrinterReason.NO_DRAWER)
    assert not stream.exists()


def test_a_printer_told_not_to_ask_prints_without_status_requests(stream: Path) -> None:
    printer = EscPosPrinter(FakeTransport(stream), PaperWidth.MM_80, ask_status=False)
    result = printer.print_receipt(DOC)
    assert result.ok and result.status.state is PrinterState.UNKNOWN
    assert stream.read_bytes() == encode(DOC, PaperWidth.MM_80, drawer_pin=2)


def test_a_fault_comes_back_as_a_result_in_bounded_time(tmp_path: Path) -> None:
    # The folder for the stream does not exist: opening it fails at once.
    printer = open_printer(f"file:{tmp_path / 'gone' / 'receipts.bin'}")
    started = time.monotonic()
    result = printer.print_receipt(DOC)
    assert time.monotonic() - started < 1.0
    assert (result.ok, result.reason) == (False, PrinterReason.UNREACHABLE)
