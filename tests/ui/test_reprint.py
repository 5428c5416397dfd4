"""F7 reprints the last paid sale, unless the cashier picked another order since the
recent-orders list last refreshed; the receipt reads in the till's language."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from terminal.app.sale_view import SaleState
from terminal.demo.screenshots import COLA, NOODLES, WATER
from terminal.ui.strings import Language

F = Qt.Key


def _sell(front: Any, qtbot: QtBot, code: str) -> str:
    """One sale of ``code`` paid with exact cash; its order number."""
    field = front.cashier.scan_field
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, F.Key_Return)
    assert front.wait_idle()
    qtbot.keyClick(field, F.Key_F6)
    assert front.wait_idle()
    assert front.cashier.view.state is SaleState.PAID
    return str(front.cashier.view.order_no)


def _reprint(front: Any, qtbot: QtBot) -> str:
    qtbot.keyClick(front.cashier.scan_field, F.Key_F7)
    assert front.wait_idle()
    assert front.cashier.receipt.isVisible()
    return str(front.cashier.receipt.order_no)


def test_f7_reprints_the_newest_paid_order_after_three_sales(qtbot: QtBot, make_front: Any) -> None:
    front = make_front()
    sold = [_sell(front, qtbot, code) for code in (WATER, COLA, NOODLES)]
    assert front.cashier.recent.list.count() == 3
    assert _reprint(front, qtbot) == sold[-1]
    assert sold[-1] in front.cashier.receipt.text.toPlainText()


def test_a_picked_order_is_reprinted_until_the_next_sale_closes(
    qtbot: QtBot, make_front: Any
) -> None:
    front = make_front()
    recent = front.cashier.recent
    first = _sell(front, qtbot, WATER)
    _sell(front, qtbot, COLA)
    item = recent.list.item(1)
    assert item.data(Qt.ItemDataRole.UserRole) == first
    recent.list.setCurrentItem(item)
    recent.list.itemClicked.emit(item)  # what a click on the row does
    assert _reprint(front, qtbot) == first
    front.cashier.refresh_recent()  # a refresh with no new order keeps the pick
    assert front.wait_idle()
    assert _reprint(front, qtbot) == first
    third = _sell(front, qtbot, NOODLES)
    assert _reprint(front, qtbot) == third


def test_a_cancelled_sale_is_not_what_f7_reprints(qtbot: QtBot, make_front: Any) -> None:
    front = make_front()
    paid = _sell(front, qtbot, WATER)
    field = front.cashier.scan_field
    qtbot.keyClicks(field, COLA)
    qtbot.keyClick(field, F.Key_Return)
    assert front.wait_idle()
    front.cashier.cancel()
    front.cashier.cancel()
    assert front.wait_idle()
    assert front.cashier.view.state is SaleState.CANCELLED
    assert _reprint(front, qtbot) == paid


def test_the_reprint_reads_in_the_tills_language(qtbot: QtBot, make_front: Any) -> None:
    front = make_front(language=Language.ZH_CN)
    _sell(front, qtbot, WATER)
    _reprint(front, qtbot)
    text = front.cashier.receipt.text.toPlainText()
    assert "合计" in text and "TOTAL" not in text
    assert front.cashier.view.lines[0].name_zh in text


def test_an_open_receipt_follows_a_language_switch(qtbot: QtBot, make_front: Any) -> None:
    front = make_front(language=Language.EN)
    _sell(front, qtbot, WATER)
    _reprint(front, qtbot)
    assert "TOTAL" in front.cashier.receipt.text.toPlainText()
    front.cashier.buttons["language"].click()
    assert front.wait_idle()
    text = front.cashier.receipt.text.toPlainText()
    assert "合计" in text and "TOTAL" not in text
    assert front.cashier.receipt.windowTitle().startswith("小票")
