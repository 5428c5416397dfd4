"""A whole cash sale through the real scanner driver on a pty, and keyboard-wedge entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from drivers.scanner import FakeScanner, PtyScannerSimulator, ScannerReader, ScannerSettings
from terminal.app.sale_view import SaleState
from terminal.demo.screenshots import COLA, NOODLES, NOT_IN_CATALOG, WATER
from terminal.domain.order import OrderState
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from terminal.ui.customer_window import CustomerWindow
from terminal.ui.sounds import RecordingSounds
from terminal.ui.strings import CATALOG

# Kept after the run (git ignores it): the screenshots are the UI's test artifacts.
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def test_pty_scans_become_a_paid_order_on_both_screens_and_in_the_store(
    qtbot: QtBot, make_front: Any, tmp_path: Path, store_path: Path
) -> None:
    with PtyScannerSimulator(tmp_path / "scanner") as simulator:
        reader = ScannerReader(ScannerSettings(port=str(simulator.link)))
        front = make_front(scanner=reader)
        cashier, customer = front.cashier, front.customer
        qtbot.waitUntil(lambda: front.cashier.devices.scanner.text() == "Scanner: connected")

        assert simulator.send_scan(WATER)
        assert simulator.send_scan(COLA)
        qtbot.waitUntil(lambda: len(cashier.view.lines) == 2, timeout=5000)
        qtbot.keyClicks(cashier.scan_field, "3")
        qtbot.keyClick(cashier.scan_field, Qt.Key.Key_F2)
        qtbot.waitUntil(lambda: cashier.view.lines[-1].quantity == 3)

        # Both screens show the same cart: water 2.00 + 3 colas at 3.50.
        assert cashier.cart.rowCount() == 2
        assert cashier.cart.item(1, 2).text() == "3"
        assert cashier.totals._values["totals.total"].text() == "¥12.50"
        assert customer.pages.currentIndex() == CustomerWindow.SALE_PAGE
        assert customer.cart.rowCount() == 2
        assert customer.total.text() == "¥12.50"

        qtbot.keyClicks(cashier.tender.amount, "20")
        assert cashier.tender.hint.text() == "Change ¥7.50"
        qtbot.keyClick(cashier.scan_field, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: cashier.view.state is SaleState.PAID)
        front.wait_idle()

        assert customer.pages.currentIndex() == CustomerWindow.RESULT_PAGE
        assert customer.result_change.text() == "Your change ¥7.50"
        order_no = cashier.view.order_no
        assert cashier.recent.selected_order_no() == order_no

    db = open_store(store_path)
    try:
        order = OrderRepository(db).load(order_no)
    finally:
        db.close()
    assert order.state is OrderState.PAID
    assert order.totals().total_cents == 1250
    assert [(line.sku[-13:], line.quantity) for line in order.cart.lines] == [
        (WATER, 1),
        (COLA, 3),
    ]
    assert order.change_cents == 750


def test_typed_code_and_enter_adds_the_item_like_a_wedge_scanner(
    qtbot: QtBot, make_front: Any
) -> None:
    front = make_front()
    field = front.cashier.scan_field
    qtbot.keyClicks(field, NOODLES)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(front.cashier.view.lines) == 1)
    assert field.text() == ""
    assert front.cashier.cart.item(0, 1).text() == front.cashier.view.lines[0].name_en


def test_a_refused_code_stays_on_screen_with_an_error_sound_until_the_cashier_acts(
    qtbot: QtBot, make_front: Any
) -> None:
    """A refusal stays through the next accepted scan (which beeps and shows its item
    beside it): a cashier who looked away still sees the miss; Esc acknowledges it."""
    front = make_front()
    sounds = front.cashier.sounds = RecordingSounds()
    field = front.cashier.scan_field
    qtbot.keyClicks(field, NOT_IN_CATALOG)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    front.wait_idle()
    status = front.cashier.status_line
    assert status.property("level") == "error"
    # The refusal's reason code in words from the catalog, never the domain's English
    # ("check digit wrong: 6910263003876 should end in 5; ...").
    refusal = CATALOG["code.check_digit"][1]
    assert status.text() == refusal
    assert sounds.played == ["error"]
    assert QApplication.activeModalWidget() is None

    qtbot.keyClicks(field, WATER)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(front.cashier.view.lines) == 1)
    front.wait_idle()
    assert sounds.played == ["error", "ok"]
    assert status.property("level") == "error" and status.text() == refusal
    beside = front.cashier.status.beside
    assert beside.isVisible()
    assert beside.text() == f"✓ Added {front.cashier.view.lines[0].name_en}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    front.cashier.grab().save(str(ARTIFACTS / "cashier-refused-then-accepted-en.png"))

    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert status.property("level") == "info"
    assert not beside.isVisible()


def test_a_second_refusal_replaces_the_first(qtbot: QtBot, make_front: Any) -> None:
    front = make_front()
    sounds = front.cashier.sounds = RecordingSounds()
    field = front.cashier.scan_field
    for code in (NOT_IN_CATALOG, "12345"):
        qtbot.keyClicks(field, code)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        front.wait_idle()
    assert sounds.played == ["error", "error"]
    assert front.cashier.status_line.property("level") == "error"
    assert front.cashier.status_line.text() != CATALOG["code.check_digit"][1]


def test_change_due_shows_large_on_both_screens_after_a_cash_sale(
    qtbot: QtBot, make_front: Any
) -> None:
    front = make_front()
    cashier, customer = front.cashier, front.customer
    qtbot.keyClicks(cashier.scan_field, COLA)
    qtbot.keyClick(cashier.scan_field, Qt.Key.Key_Return)
    front.wait_idle()
    assert not cashier.totals.banner.isVisible()
    qtbot.keyClicks(cashier.scan_field, "10")
    qtbot.keyClick(cashier.scan_field, Qt.Key.Key_F5)
    front.wait_idle()
    assert cashier.view.state is SaleState.PAID
    assert cashier.totals.banner.isVisible()
    assert cashier.totals.banner.text() == "Change ¥6.50"
    assert customer.result_change.text() == "Your change ¥6.50"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    cashier.grab().save(str(ARTIFACTS / "cashier-change-due-en.png"))
    # The next sale starts without it.
    qtbot.keyClicks(cashier.scan_field, WATER)
    qtbot.keyClick(cashier.scan_field, Qt.Key.Key_Return)
    front.wait_idle()
    assert not cashier.totals.banner.isVisible()


def test_the_front_end_routes_every_scan_source_to_the_till(qtbot: QtBot, make_front: Any) -> None:
    """Scans reach the till through ``FrontEnd`` itself, not through a widget; a refused
    one reaches the cashier's status line through the till's error listeners."""
    scanner = FakeScanner(delay_s=0.0)
    front = make_front(scanner=scanner)
    scanner.type(WATER)
    qtbot.waitUntil(lambda: len(front.till.view.lines) == 1, timeout=5000)
    scanner.type(NOT_IN_CATALOG)
    status = front.cashier.status_line
    qtbot.waitUntil(lambda: status.property("level") == "error", timeout=5000)
    scanner.type(COLA)
    qtbot.waitUntil(lambda: len(front.till.view.lines) == 2, timeout=5000)
    assert front.cashier.view.lines[0].name_en.startswith("Nongfu")


def test_scanner_scans_beep_and_a_refused_one_sounds_an_error(
    qtbot: QtBot, make_front: Any
) -> None:
    scanner = FakeScanner(delay_s=0.0)
    front = make_front(scanner=scanner)
    sounds = front.cashier.sounds = RecordingSounds()
    scanner.type(WATER)
    qtbot.waitUntil(lambda: sounds.played == ["ok"], timeout=5000)
    scanner.type(NOT_IN_CATALOG)
    qtbot.waitUntil(lambda: sounds.played == ["ok", "error"], timeout=5000)
    scanner.type(COLA)
    qtbot.waitUntil(lambda: sounds.played == ["ok", "error", "ok"], timeout=5000)
    assert front.cashier.status_line.property("level") == "error"  # still on screen
    assert front.cashier.status.beside.text().startswith("✓ Added")
