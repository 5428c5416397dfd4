"""The till's devices: every sale paid prints its receipt on the printer thread (the cash
drawer kicked for cash), a reprint prints again without the drawer, and a printer out of
paper is reported with its reason and the sale goes on (the printer is the fake that
writes the exact byte stream to a file, read back as what came out); a PLU is weighed at
the scale's stable weight, or typed by hand."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import pytest

from drivers.printer.paper import Cut, DrawerPulse, PrintedQr, lines_of, read_paper
from drivers.scale.events import Weight
from drivers.scale.fake import FakeScale
from terminal.app.parts import receipt_printing
from terminal.app.receipt_printing import ReceiptPrintOutcome
from terminal.app.till import Till
from terminal.config import PrinterSection, Settings
from terminal.errors import TillError
from terminal.storage.catalog import CatalogRepository

WATER, COLA = "6910263003875", "6979104402918"


def printing_till(settings: Settings, paper: Path) -> tuple[Till, list[ReceiptPrintOutcome]]:
    settings = dataclasses.replace(settings, printer=PrinterSection(device=f"file:{paper}"))
    till = Till(settings.db_path, settings, printing=receipt_printing(settings))
    outcomes: list[ReceiptPrintOutcome] = []
    done = threading.Event()

    def printed(outcome: ReceiptPrintOutcome) -> None:
        outcomes.append(outcome)
        done.set()

    till.on_receipt_printed(printed)
    till.start().wait(10)
    return till, outcomes


def test_a_cash_sale_prints_its_receipt_and_opens_the_drawer(
    settings: Settings, catalog: CatalogRepository, tmp_path: Path
) -> None:
    paper = tmp_path / "printer.bin"
    till, outcomes = printing_till(settings, paper)
    try:
        till.scan(WATER).wait(5)
        till.scan(COLA).wait(5)
        paid = till.pay_cash(1000).wait(5)
        assert paid.paid
        till.print_receipt(paid.order_no).wait(5)  # F7: again, without the drawer
    finally:
        assert till.stop()
    assert [o.printed for o in outcomes] == [True, True]
    printed = read_paper(paper.read_bytes())
    qrs = [item for item in printed if isinstance(item, PrintedQr)]
    assert [qr.data for qr in qrs] == [paid.order_no.encode()] * 2
    assert sum(isinstance(item, Cut) for item in printed) == 2
    assert sum(isinstance(item, DrawerPulse) for item in printed) == 1  # the sale only
    text = "\n".join(lines_of(printed))
    assert "农夫山泉" in text and "找零" in text


def test_out_of_paper_is_reported_and_the_till_sells_on(
    settings: Settings, catalog: CatalogRepository, tmp_path: Path
) -> None:
    paper = tmp_path / "printer.bin"
    Path(f"{paper}.paper-out").touch()
    till, outcomes = printing_till(settings, paper)
    try:
        till.scan(WATER).wait(5)
        first = till.pay_cash(200).wait(5)
        till.scan(COLA).wait(5)  # the next sale is not held up
        assert till.view.order_no != first.order_no
        Path(f"{paper}.paper-out").unlink()
        till.print_receipt(first.order_no).wait(5)  # refilled: reprint
    finally:
        assert till.stop()
    assert [(o.printed, o.reason.code if o.reason else None) for o in outcomes] == [
        (False, "printer.paper_out"),
        (True, None),
    ]


def shows(scale: FakeScale, grams: int, *, stable: bool) -> None:
    """Wait until the scale's newest frame is ``grams``, moving or stable."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        reading = scale.latest()
        if reading is not None and (reading.weight.grams, reading.weight.stable) == (
            grams,
            stable,
        ):
            return
        time.sleep(0.01)
    raise AssertionError(f"the scale never showed {grams} g (stable={stable})")


def test_a_plu_is_weighed_at_the_scales_stable_weight(
    settings: Settings, catalog: CatalogRepository
) -> None:
    scale = FakeScale()
    till = Till(settings.db_path, settings, scale=scale)
    scale.start()
    till.start().wait(10)
    try:
        scale.put(Weight.of(1234, stable=False))
        shows(scale, 1234, stable=False)
        with pytest.raises(TillError) as moving:
            till.weigh("00101").wait(5)
        assert moving.value.code == "weighing.unstable"
        scale.place(1234)  # settles: a few moving frames, then stable
        shows(scale, 1234, stable=True)
        view = till.weigh("00101").wait(5)  # bananas, 11.90 a kg
        [line] = view.lines
        assert (line.weight_grams, line.gross_cents) == (1234, 1468)
        with pytest.raises(TillError) as sold_by_piece:
            till.add_weighed("bogus", 100).wait(5)
        assert sold_by_piece.value.code == "item.unknown_plu"
        typed = till.add_weighed("00102", 500).wait(5)  # apples by hand: 15.90 a kg
        assert typed.lines[-1].gross_cents == 795
    finally:
        till.stop()
        scale.stop()


def test_without_a_scale_weighing_says_so(settings: Settings, catalog: CatalogRepository) -> None:
    till = Till(settings.db_path, settings)
    till.start().wait(10)
    try:
        with pytest.raises(TillError) as refused:
            till.weigh("00101").wait(5)
        assert refused.value.code == "weighing.no_scale"
        assert till.view.state.value == "idle"  # nothing opened
    finally:
        till.stop()
