"""Every function key of the cashier window does its action from the scan field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from terminal.app.sale_view import SaleState
from terminal.demo.screenshots import COLA, NOODLES, WATER
from terminal.ui.cashier_window import ACTIONS
from terminal.ui.strings import Language

F = Qt.Key


def test_every_function_key_works_from_the_scan_field(qtbot: QtBot, make_front: Any) -> None:
    front = make_front()
    cashier = front.cashier
    field = cashier.scan_field
    used: set[str] = set()

    def key(
        action_id: str, key: Qt.Key, typed: str = "", shift: bool = False, ctrl: bool = False
    ) -> None:
        if typed:
            qtbot.keyClicks(field, typed)
        modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
        if ctrl:
            modifier |= Qt.KeyboardModifier.ControlModifier
        qtbot.keyClick(field, key, modifier)
        front.wait_idle()
        used.add(action_id)

    def scan(code: str) -> None:
        qtbot.keyClicks(field, code)
        qtbot.keyClick(field, F.Key_Return)
        front.wait_idle()

    scan(WATER)
    scan(COLA)
    key("qty", F.Key_F2, "2")
    assert cashier.view.lines[-1].quantity == 2
    scan(NOODLES)
    key("void", F.Key_F3)
    assert cashier.view.lines[-1].voided
    key("discount", F.Key_F4, "1")
    assert cashier.view.discount_cents == 100
    key("line_discount", F.Key_F4, "0.5", shift=True)
    assert cashier.view.lines[1].discount_cents == 50  # the last active line: the colas
    key("cash", F.Key_F5, "5")
    assert cashier.view.state is SaleState.TENDERING
    assert cashier.view.paid_cents == 500
    key("exact", F.Key_F6)
    assert cashier.view.state is SaleState.PAID
    assert cashier.view.change_cents == 0
    key("reprint", F.Key_F7)
    assert cashier.receipt.isVisible()
    assert cashier.view.order_no in cashier.receipt.text.toPlainText()
    qtbot.keyClick(field, F.Key_Escape)
    assert not cashier.receipt.isVisible()
    key("weigh", F.Key_W, "00101", ctrl=True)  # no scale on this till: it says so
    assert "scale" in cashier.status_line.text()
    scan(WATER)
    held_no = cashier.view.order_no
    key("hold", F.Key_H, ctrl=True)
    assert cashier.view.state is SaleState.IDLE
    key("recall", F.Key_R, ctrl=True)  # the only held sale comes back
    assert cashier.view.order_no == held_no and cashier.view.state is SaleState.OPEN
    key("cancel", F.Key_F8)
    assert cashier.view.state is SaleState.OPEN  # a sale with items: asks first
    key("cancel", F.Key_F8)
    assert cashier.view.state is SaleState.CANCELLED
    key("sync", F.Key_F9)
    assert cashier.status_line.text() == "Not registered: nothing to sync with"
    # What face pay then does is the face checkout's (tests/ui/test_cashier_face.py).
    face_pay: list[bool] = []
    cashier.actions_by_id["face_pay"].triggered.connect(lambda: face_pay.append(True))
    key("face_pay", F.Key_F10)
    assert face_pay == [True]
    key("code", F.Key_F12)  # no camera on this till: it says so
    assert cashier.status_line.text() == "This till's camera cannot read payment codes"
    key("park", F.Key_F8, shift=True)  # nothing in flight: nothing to park
    assert cashier.view.state is SaleState.CANCELLED
    key("shift_open", F.Key_O, "50", ctrl=True)  # a till without staff: a shift all the same
    key("pay_in", F.Key_I, "5 change from the bank", ctrl=True)
    assert cashier.status_line.text() == "Paid in ¥5.00: change from the bank"
    key("pay_out", F.Key_I, "2 cleaner", shift=True, ctrl=True)
    assert cashier.status_line.text() == "Paid out ¥2.00: cleaner"
    key("drawer", F.Key_D, shift=True, ctrl=True)  # no printer on this till: it says so
    assert "printer" in cashier.status_line.text()
    key("x_report", F.Key_T, ctrl=True)
    assert "X report" in cashier.receipt.text.toPlainText()
    key("shift_close", F.Key_O, "53", shift=True, ctrl=True)
    assert "Variance 0.00" in cashier.receipt.text.toPlainText()
    key("return", F.Key_F1)  # nothing typed: it asks for the receipt's number
    assert "F1" in cashier.status_line.text()
    key("sign_in", F.Key_L, ctrl=True)
    assert cashier.pin_dialog.isVisible()
    cashier.pin_dialog.reject()
    qtbot.waitUntil(cashier.isActiveWindow, timeout=2000)  # back to the scan field
    key("language", F.Key_F11)
    assert front.strings.language is Language.ZH_CN
    assert used == set(ACTIONS)


def test_up_and_down_pick_the_line_f2_and_f3_change(qtbot: QtBot, make_front: Any) -> None:
    front = make_front()
    cashier = front.cashier
    field = cashier.scan_field

    def type_and(key: Qt.Key, typed: str = "") -> None:
        if typed:
            qtbot.keyClicks(field, typed)
        qtbot.keyClick(field, key)
        front.wait_idle()

    for code in (WATER, COLA, NOODLES):
        type_and(F.Key_Return, code)
    type_and(F.Key_Up)
    assert cashier.cart.selected_line_no() == 2
    type_and(F.Key_F2, "3")
    assert [line.quantity for line in cashier.view.lines] == [1, 3, 1]
    type_and(F.Key_Up)
    type_and(F.Key_Up)  # at the top it stays there
    assert cashier.cart.selected_line_no() == 1
    type_and(F.Key_F3)
    assert [line.voided for line in cashier.view.lines] == [True, False, False]
    type_and(F.Key_Down)
    type_and(F.Key_Down)
    assert cashier.cart.selected_line_no() == 3
    # The same item scanned again joins its line: one line of 4 colas, not a new line.
    type_and(F.Key_Return, COLA)
    assert len(cashier.view.lines) == 3
    assert cashier.view.lines[1].quantity == 4 and cashier.view.last_line_no == 2


def test_with_several_held_sales_ctrl_r_lists_them_and_a_number_picks_one(
    qtbot: QtBot, make_front: Any
) -> None:
    front = make_front()
    cashier = front.cashier
    field = cashier.scan_field

    def press(key: Qt.Key, typed: str = "", ctrl: bool = False) -> None:
        if typed:
            qtbot.keyClicks(field, typed)
        modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
        qtbot.keyClick(field, key, modifier)
        front.wait_idle()

    held = []
    for code in (WATER, COLA):
        press(F.Key_Return, code)
        held.append(cashier.view.order_no)
        press(F.Key_H, ctrl=True)
    press(F.Key_R, ctrl=True)
    listed = cashier.status_line.text()
    assert "1) " in listed and "2) " in listed and "Ctrl+R" in listed
    assert cashier.view.state is SaleState.IDLE
    press(F.Key_R, "2", ctrl=True)
    assert cashier.view.order_no == held[1]
    assert [line.name_en for line in cashier.view.lines] == ["Coca-Cola 500ml"]
