"""zh_CN and en, switched while the till runs."""

from __future__ import annotations

import string
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from terminal.demo.screenshots import WATER
from terminal.ui.strings import CATALOG, Language


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_fields() -> None:
    for msg_id, (zh, en) in CATALOG.items():
        assert zh.strip() and en.strip(), msg_id
        assert _fields(zh) == _fields(en), msg_id


def test_switching_language_changes_the_visible_texts_on_both_screens(
    qtbot: QtBot, make_front: Any
) -> None:
    front = make_front(language=Language.ZH_CN)
    cashier, customer = front.cashier, front.customer
    qtbot.keyClicks(cashier.scan_field, WATER)
    qtbot.keyClick(cashier.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(cashier.view.lines) == 1)
    line = cashier.view.lines[0]
    assert cashier.buttons["cash"].text() == "F5 现金收款"
    assert cashier.cart.item(0, 1).text() == line.name_zh
    assert customer.cart.item(0, 0).text() == line.name_zh
    assert customer.total_caption.text() == "合计"

    cashier.buttons["language"].click()

    assert cashier.buttons["cash"].text() == "F5 Cash"
    assert cashier.cart.horizontalHeaderItem(1).text() == "Item"
    assert cashier.cart.item(0, 1).text() == line.name_en
    assert customer.cart.item(0, 0).text() == line.name_en
    assert customer.total_caption.text() == "Total"
    assert customer.welcome.text() == "Welcome"
    assert cashier.sync_panel.title() == "Cloud sync"
