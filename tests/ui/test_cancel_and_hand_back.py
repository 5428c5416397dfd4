"""F8 asks before it throws a sale away, and cash taken on a cancelled sale is handed
back with both screens saying how much."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from terminal.app.sale_view import SaleState
from terminal.demo.screenshots import COLA, WATER
from terminal.ui.customer_window import CustomerWindow
from terminal.ui.strings import Language

F = Qt.Key
# Kept after the run (git ignores it): the screenshots are the UI's test artifacts.
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _scan(front: Any, qtbot: QtBot, code: str) -> None:
    qtbot.keyClicks(front.cashier.scan_field, code)
    qtbot.keyClick(front.cashier.scan_field, F.Key_Return)
    assert front.wait_idle()


def _key(front: Any, qtbot: QtBot, key: Qt.Key, typed: str = "") -> None:
    if typed:
        qtbot.keyClicks(front.cashier.scan_field, typed)
    qtbot.keyClick(front.cashier.scan_field, key)
    assert front.wait_idle()


def _save(front: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    front.cashier.grab().save(str(ARTIFACTS / f"cashier-{name}.png"))
    front.customer.grab().save(str(ARTIFACTS / f"customer-{name}.png"))


def test_one_f8_asks_and_a_second_f8_cancels(qtbot: QtBot, make_front: Any) -> None:
    front = make_front()
    cashier = front.cashier
    _scan(front, qtbot, WATER)
    _scan(front, qtbot, COLA)
    _key(front, qtbot, F.Key_F2, "3")

    _key(front, qtbot, F.Key_F8)
    assert cashier.view.state is SaleState.OPEN  # not cancelled by one key
    assert cashier.cancel_armed
    assert cashier.status_line.property("level") == "warn"
    assert cashier.status_line.text() == (
        "Press F8 again to cancel the sale of 4 items (¥12.50); Esc keeps it"
    )
    assert QApplication.activeModalWidget() is None
    _save(front, "cancel-confirm-en")

    _key(front, qtbot, F.Key_F8)
    assert cashier.view.state is SaleState.CANCELLED
    assert not cashier.cancel_armed


def test_the_cancel_prompt_is_in_the_current_language(qtbot: QtBot, make_front: Any) -> None:
    front = make_front(language=Language.ZH_CN)
    _scan(front, qtbot, WATER)
    _key(front, qtbot, F.Key_F8)
    assert front.cashier.status_line.text() == "再按 F8 取消整笔交易（1 件，¥2.00）；按 Esc 保留"
    _save(front, "cancel-confirm-zh")
    front.cashier.buttons["language"].click()  # a key: it disarms, as any other would
    assert not front.cashier.cancel_armed


@pytest.mark.parametrize(
    "disarm",
    ["esc", "other_key", "scan", "timeout"],
)
def test_anything_else_after_the_first_f8_keeps_the_sale(
    qtbot: QtBot, make_front: Any, disarm: str
) -> None:
    front = make_front()
    cashier = front.cashier
    _scan(front, qtbot, WATER)
    cashier._cancel_timer.setInterval(50)
    _key(front, qtbot, F.Key_F8)
    assert cashier.cancel_armed
    if disarm == "esc":
        _key(front, qtbot, F.Key_Escape)
    elif disarm == "other_key":
        _key(front, qtbot, F.Key_F2, "2")
    elif disarm == "scan":
        _scan(front, qtbot, COLA)
    else:
        qtbot.waitUntil(lambda: not cashier.cancel_armed, timeout=2000)
    assert not cashier.cancel_armed
    assert cashier.status_line.property("level") == "info"
    _key(front, qtbot, F.Key_F8)  # a first F8 again: asks again
    assert cashier.view.state is SaleState.OPEN
    assert cashier.cancel_armed


def test_a_sale_with_no_items_left_cancels_at_once(qtbot: QtBot, make_front: Any) -> None:
    front = make_front()
    _scan(front, qtbot, WATER)
    _key(front, qtbot, F.Key_F3)  # void the only line
    _key(front, qtbot, F.Key_F8)
    assert front.cashier.view.state is SaleState.CANCELLED
    assert not front.cashier.cancel_armed


@pytest.mark.parametrize(
    ("language", "says"),
    [
        (
            Language.EN,
            (
                "Cancelled {order_no}: hand back ¥1.50 cash to the customer",
                "Hand back ¥1.50",
                "Your cash back ¥1.50",
            ),
        ),
        (
            Language.ZH_CN,
            ("已取消 {order_no}：请退还顾客现金 ¥1.50", "请退还现金 ¥1.50", "退还您的现金 ¥1.50"),
        ),
    ],
)
def test_cash_taken_on_a_cancelled_sale_is_handed_back_on_both_screens(
    qtbot: QtBot, make_front: Any, language: Language, says: tuple[str, str, str]
) -> None:
    """``says``: the cashier's status line, the cashier's banner, the customer screen."""
    cashier_says, banner, customer_says = says
    front = make_front(language=language)
    cashier, customer = front.cashier, front.customer
    _scan(front, qtbot, WATER)
    _key(front, qtbot, F.Key_F5, "1.5")  # a part payment: 0.50 still due
    assert cashier.view.state is SaleState.TENDERING
    _key(front, qtbot, F.Key_F8)
    _key(front, qtbot, F.Key_F8)

    view = cashier.view
    assert view.state is SaleState.CANCELLED
    assert view.handed_back_cents == 150
    assert cashier.status_line.text() == cashier_says.format(order_no=view.order_no)
    assert cashier.totals.banner.isVisible()
    assert cashier.totals.banner.text() == banner
    assert customer.pages.currentIndex() == CustomerWindow.RESULT_PAGE
    assert customer.result_hand_back.isVisible()
    assert customer.result_hand_back.text() == customer_says
    assert not customer.result_paid.isVisible()
    _save(front, f"hand-back-{language}")

    # The cashier's next scan does not hide it: only a key (here Esc) acknowledges it.
    _scan(front, qtbot, COLA)
    assert cashier.status_line.text() == cashier_says.format(order_no=view.order_no)
    _key(front, qtbot, F.Key_Escape)
    assert cashier.status_line.property("level") == "info"


def test_a_cancel_with_no_cash_taken_hands_nothing_back(qtbot: QtBot, make_front: Any) -> None:
    front = make_front()
    _scan(front, qtbot, WATER)
    _key(front, qtbot, F.Key_F8)
    _key(front, qtbot, F.Key_F8)
    assert front.cashier.view.handed_back_cents == 0
    assert not front.cashier.totals.banner.isVisible()
    assert front.customer.pages.currentIndex() == CustomerWindow.IDLE_PAGE
