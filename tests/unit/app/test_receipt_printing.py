"""Printing an order's receipt for the till: through the real printer code into the fake
printer's file, on the printer thread, with a reason code when it could not print."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from drivers.printer import PaperWidth, PrinterState, open_printer
from drivers.printer.paper import DrawerPulse, lines_of, read_paper
from terminal.app.receipt_printing import ReceiptPrinting, print_order_receipt, printer_for
from terminal.config import DrawerPin, PrinterSection, Settings
from terminal.errors import Reason
from tests.support.receipt_orders import paid_order

SETTINGS = Settings(device_id="T01")


def _with_printer(stream: Path, *, enabled: bool = True, drawer: DrawerPin = "pin2") -> Settings:
    section = PrinterSection(f"file:{stream}", enabled=enabled, paper_mm=58, drawer=drawer)
    return dataclasses.replace(SETTINGS, printer=section)


def test_no_printer_is_made_without_a_device_or_when_disabled(tmp_path: Path) -> None:
    assert printer_for(SETTINGS) is None
    assert printer_for(_with_printer(tmp_path / "r.bin", enabled=False)) is None
    assert printer_for(_with_printer(tmp_path / "r.bin")) is not None


def test_a_cash_sale_prints_in_the_tills_language_and_kicks_the_drawer(tmp_path: Path) -> None:
    stream = tmp_path / "r.bin"
    settings = _with_printer(stream, drawer="pin5")
    printer = printer_for(settings)
    assert printer is not None
    outcome = print_order_receipt(printer, paid_order(), settings, open_drawer=True)
    assert (outcome.order_no, outcome.printed, outcome.reason) == ("T01-20261122-0001", True, None)
    paper = read_paper(stream.read_bytes())
    lines = lines_of(paper)
    assert "单号 T01-20261122-0001" in lines and "找零" in lines[-2]  # zh_CN: the default
    assert max(len(line) + sum(not c.isascii() for c in line) for line in lines) == 32  # 58 mm
    assert DrawerPulse(pin=5, on_ms=100, real_time=False) in paper


def test_a_receipt_that_cannot_print_says_why_with_a_reason_code(tmp_path: Path) -> None:
    stream = tmp_path / "r.bin"
    stream.with_name("r.bin.paper-out").touch()
    outcome = print_order_receipt(open_printer(f"file:{stream}"), paid_order(), SETTINGS, "en")
    assert not outcome.printed
    assert outcome.reason == Reason("printer.paper_out")
    assert outcome.status.state is PrinterState.PAPER_OUT


def test_the_printer_thread_prints_opens_the_drawer_and_reports_in_order(tmp_path: Path) -> None:
    stream = tmp_path / "r.bin"
    printing = ReceiptPrinting(open_printer(f"file:{stream}", PaperWidth.MM_80), SETTINGS)
    printing.start()
    try:
        threads: list[str] = []
        receipt = printing.print_order(paid_order(), "en")
        receipt.success(lambda _: threads.append(threading.current_thread().name))
        drawer = printing.open_drawer()
        status = printing.status()
        assert receipt.wait(5).printed
        assert drawer.wait(5).ok
        assert status.wait(5).state is PrinterState.READY
    finally:
        assert printing.stop()
    assert threads == ["printer"]  # call_now: callbacks on the printer thread itself
    paper = read_paper(stream.read_bytes())
    assert "TOTAL" in " ".join(lines_of(paper))
    assert paper.index(DrawerPulse(pin=2, on_ms=100, real_time=False)) > 0  # after the receipt


def test_an_unreachable_printer_is_an_outcome_not_a_failure(tmp_path: Path) -> None:
    printing = ReceiptPrinting(open_printer(f"file:{tmp_path / 'gone' / 'r.bin'}"), SETTINGS)
    printing.start()
    try:
        outcome = printing.print_order(paid_order()).wait(5)
    finally:
        printing.stop()
    assert not outcome.printed
    assert outcome.reason == Reason("printer.unreachable")
