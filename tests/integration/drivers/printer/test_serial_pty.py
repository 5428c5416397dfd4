"""A serial printer over a real pseudo-terminal: pyserial opens it as hardware, the job's
bytes arrive exactly, DLE EOT answers come back over the wire, and a printer out of
paper, gone or silent is reported in bounded time."""

from __future__ import annotations

import time
from pathlib import Path

from drivers.printer import (
    Condition,
    PaperWidth,
    PrinterReason,
    PrinterState,
    ReceiptDoc,
    Row,
    Text,
    encode,
    open_printer,
)
from drivers.printer.commands import drawer_kick
from drivers.printer.simulator import PtyPrinterSimulator
from tests.support.receipt_orders import ASKED_WHEN_OFFLINE, ASKED_WHEN_ONLINE
from tests.support.scanner_events import wait_for

DOC = ReceiptDoc((Text("鲜果便利店"), Row("合计", "¥16.99")), open_drawer=True)


def test_a_receipt_arrives_byte_for_byte_after_the_status_requests(
    pty_printer: PtyPrinterSimulator,
) -> None:
    printer = open_printer(f"serial:{pty_printer.link}:115200", PaperWidth.MM_58)
    result = printer.print_receipt(DOC)
    assert result.ok, result.status
    assert result.status.state is PrinterState.READY
    expected = ASKED_WHEN_ONLINE + encode(DOC, PaperWidth.MM_58, drawer_pin=2)
    assert wait_for(lambda: pty_printer.received == expected), pty_printer.received


def test_paper_out_is_read_from_the_printers_answer_and_no_job_is_sent(
    pty_printer: PtyPrinterSimulator,
) -> None:
    pty_printer.condition = Condition(paper_out=True)
    printer = open_printer(f"serial:{pty_printer.link}")
    result = printer.print_receipt(DOC)
    assert (result.ok, result.status.state) == (False, PrinterState.PAPER_OUT)
    assert result.reason is PrinterReason.PAPER_OUT
    assert result.status.detail == "1a 32 7e"  # the answers to DLE EOT 1, 2 and 4
    time.sleep(0.1)
    assert pty_printer.received == ASKED_WHEN_OFFLINE
    # Paper loaded: the next receipt prints.
    pty_printer.condition = Condition()
    assert printer.print_receipt(DOC).ok


def test_the_drawer_kick_goes_over_serial(pty_printer: PtyPrinterSimulator) -> None:
    result = open_printer(f"serial:{pty_printer.link}", drawer_pin=2).open_drawer()
    assert result.ok
    assert wait_for(lambda: pty_printer.received == ASKED_WHEN_ONLINE + drawer_kick(2))


def test_a_printer_that_never_answers_is_offline_within_the_reply_timeout(
    tmp_path: Path,
) -> None:
    with PtyPrinterSimulator(tmp_path / "silent", answers=False) as silent:
        printer = open_printer(f"serial:{silent.link}")
        started = time.monotonic()
        result = printer.print_receipt(DOC)
        elapsed = time.monotonic() - started
    assert (result.ok, result.status.state) == (False, PrinterState.OFFLINE)
    assert result.reason is PrinterReason.NO_REPLY
    assert 0.4 < elapsed < 2.0  # one 0.5 s wait for the first answer, then no job


def test_a_port_that_is_gone_is_unreachable_at_once(tmp_path: Path) -> None:
    printer = open_printer(f"serial:{tmp_path / 'unplugged'}")
    started = time.monotonic()
    result = printer.print_receipt(DOC)
    assert time.monotonic() - started < 1.0
    assert (result.ok, result.reason) == (False, PrinterReason.UNREACHABLE)
    assert printer.status().reason is PrinterReason.UNREACHABLE


def test_a_printer_unplugged_between_receipts_is_reported_then_found_again(
    tmp_path: Path,
) -> None:
    link = tmp_path / "printer"
    printer = open_printer(f"serial:{link}")
    with PtyPrinterSimulator(link):
        assert printer.print_receipt(DOC).ok
    assert printer.print_receipt(DOC).reason is PrinterReason.UNREACHABLE
    with PtyPrinterSimulator(link) as plugged_again:
        assert printer.print_receipt(DOC).ok
        job = encode(DOC, PaperWidth.MM_80, drawer_pin=2)
        assert wait_for(lambda: plugged_again.received == ASKED_WHEN_ONLINE + job)
