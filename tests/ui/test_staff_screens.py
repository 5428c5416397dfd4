"""Staff and the shift on the cashier screen: on a till with staff, the first scan asks
for a sign-in (the PIN never shown), a sale needs an open shift (Ctrl+O with the float
typed), a restricted action asks for a manager's PIN, and Ctrl+T shows the X report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from terminal.app.sale_view import SaleState
from terminal.app.staff_login import StaffDirectory
from terminal.demo.screenshots import COLA, WATER
from terminal.storage.database import open_store

F = Qt.Key


def test_sign_in_open_the_shift_sell_and_a_manager_approves(
    qtbot: QtBot, make_front: Any, store_path: Path
) -> None:
    db = open_store(store_path)
    staff = StaffDirectory(db)
    staff.add_local("C01", "Li Na", "cashier", "1111")
    staff.add_local("M01", "Zhao Lei", "manager", "9999")
    db.close()
    front = make_front()
    cashier = front.cashier
    field = cashier.scan_field

    def keys(key: Qt.Key, typed: str = "", ctrl: bool = False) -> None:
        if typed:
            qtbot.keyClicks(field, typed)
        modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
        qtbot.keyClick(field, key, modifier)
        front.wait_idle()

    def pin(staff_id: str, digits: str) -> None:
        dialog = cashier.pin_dialog
        assert dialog.isVisible()
        assert dialog.pin.echoMode() is QLineEdit.EchoMode.Password
        dialog.staff_id.setText(staff_id)
        dialog.pin.setText(digits)
        dialog.submit()
        front.wait_idle()

    keys(F.Key_Return, WATER)  # nobody signed in: the sign-in comes up
    assert cashier.view.state is SaleState.IDLE
    pin("C01", "0000")
    assert cashier.pin_dialog.isVisible() and "PIN" in cashier.pin_dialog.message.text()
    assert cashier.pin_dialog.pin.text() == ""  # a try's digits never stay
    pin("C01", "1111")
    assert not cashier.pin_dialog.isVisible()
    keys(F.Key_Return, WATER)
    assert "shift" in cashier.status_line.text().lower()
    keys(F.Key_O, "100", ctrl=True)  # the float: 100.00
    assert "Shift 1 open" in cashier.status_line.text()
    keys(F.Key_Return, WATER)
    keys(F.Key_Return, COLA)
    assert cashier.view.item_count == 2
    keys(F.Key_F8)
    keys(F.Key_F8)  # a cashier cancelling a sale with lines: a manager's PIN is asked
    assert cashier.pin_dialog.isVisible() and cashier.view.state is SaleState.OPEN
    pin("M01", "9999")
    assert "approved" in cashier.status_line.text()
    keys(F.Key_F8)
    keys(F.Key_F8)
    assert cashier.view.state is SaleState.CANCELLED
    keys(F.Key_T, ctrl=True)
    report = cashier.receipt.text.toPlainText()
    assert "X report · shift 1" in report and "Float 100.00" in report


def test_f1_returns_part_of_a_sale_in_cash(qtbot: QtBot, make_front: Any) -> None:
    front = make_front()
    cashier = front.cashier
    field = cashier.scan_field

    def keys(key: Qt.Key, typed: str = "") -> None:
        if typed:
            qtbot.keyClicks(field, typed)
        qtbot.keyClick(field, key)
        front.wait_idle()

    keys(F.Key_Return, WATER)
    keys(F.Key_Return, COLA)
    keys(F.Key_F2, "2")  # two colas
    keys(F.Key_F6)
    order_no = cashier.view.order_no
    assert cashier.view.state is SaleState.PAID and order_no
    keys(F.Key_F1, order_no.lower())  # as a receipt's code is typed or scanned
    listed = cashier.status_line.text()
    assert "1) Nongfu" in listed and "2) Coca-Cola" in listed and "x2 ¥7.00" in listed
    keys(F.Key_F1, "2x1")  # one of the two colas
    assert "Refunded ¥3.50: hand back ¥3.50 in cash" in cashier.status_line.text()
    keys(F.Key_F1, order_no)
    assert "x1 ¥3.50" in cashier.status_line.text()  # what is left of the colas
    keys(F.Key_Escape)
    keys(F.Key_F1, "1")  # no return in progress any more: this is a new look-up
    assert "Refunded" not in cashier.status_line.text()
