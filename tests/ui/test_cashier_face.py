"""The cashier's side of face pay: F10 asks the face checkout, the member badge and a
status line follow the customer screen's panel, and parked sync entries can be retried."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from terminal.app.customer_panel import CustomerPanel, Stage
from terminal.config import Settings
from terminal.demo.screenshots import WATER, offline_status
from terminal.ui.strings import Language, Strings
from terminal.ui.sync_panel import SyncPanel
from tests.support.face_screens import PANELS, ZHANG, face_screens


def test_f10_asks_the_face_checkout_for_face_pay(
    qtbot: QtBot, store_path: Path, ui_settings: Settings
) -> None:
    with face_screens(store_path, ui_settings) as screens:
        screens.type_entry(WATER)
        cashier = screens.cashier
        qtbot.keyClick(cashier.scan_field, Qt.Key.Key_F10)
        assert screens.face.calls == [("want_face_pay",)]
        cashier.buttons["face_pay"].click()
        assert screens.face.calls == [("want_face_pay",)] * 2
        assert cashier.buttons["face_pay"].text() == "F10 Face pay"
        screens.strings.set_language(Language.ZH_CN)
        assert cashier.buttons["face_pay"].text() == "F10 刷脸"


def test_f10_without_face_pay_says_so_in_the_status_line(
    qtbot: QtBot, store_path: Path, ui_settings: Settings
) -> None:
    with face_screens(store_path, ui_settings, face=False) as screens:
        qtbot.keyClick(screens.cashier.scan_field, Qt.Key.Key_F10)
        assert screens.cashier.status_line.text() == "Face pay is not set up on this till"
        assert screens.face.calls == []


def test_member_badge_and_face_line_follow_the_customer_panel(
    qtbot: QtBot, store_path: Path, ui_settings: Settings
) -> None:
    with face_screens(store_path, ui_settings) as screens:
        screens.type_entry(WATER)
        cashier = screens.cashier
        badge, line = cashier.totals.member, cashier.face_status
        assert badge.text() == "Guest" and not line.isVisible()

        screens.show_panel(PANELS[Stage.LOOKING])
        assert line.isVisible() and line.text() == "Customer: looking for a face"
        screens.show_panel(PANELS[Stage.GREETING])
        assert badge.text() == "Member Zhang** · 120 pts"
        assert badge.property("member") is True
        assert line.text() == "Customer: member recognised"
        screens.show_panel(PANELS[Stage.CONFIRM])
        assert line.text() == "Customer is confirming face pay"
        screens.show_panel(PANELS[Stage.FAILED])
        # The specific reason (the panel's detail code) when there is one.
        assert line.text() == "Face pay failed: The member's balance is too low"
        assert line.property("stage") == "failed"
        # A scan repaints the totals: the badge keeps the member.
        screens.type_entry(WATER)
        assert badge.text() == "Member Zhang** · 120 pts"

        screens.strings.set_language(Language.ZH_CN)
        assert badge.text() == "会员 Zhang** · 积分 120"
        assert line.text() == "刷脸未成功：会员余额不足"
        for stage in Stage:
            screens.show_panel(CustomerPanel(stage, greeting=ZHANG))
            assert line.isVisible() is (stage is not Stage.OFF), stage
            assert line.text()  # every stage has its line in both languages

        screens.show_panel(CustomerPanel())
        assert badge.text() == "非会员" and not line.isVisible()


def test_the_face_line_shows_not_me_and_a_timed_out_wait(
    qtbot: QtBot, store_path: Path, ui_settings: Settings
) -> None:
    with face_screens(store_path, ui_settings) as screens:
        screens.type_entry(WATER)
        line = screens.cashier.face_status
        screens.show_panel(PANELS[Stage.NOT_ME])
        assert line.isVisible()
        assert line.text() == "Customer said 'not me': phone digits or another tender"
        screens.show_panel(PANELS[Stage.TIMED_OUT])
        assert line.text() == "Face pay timed out: take another tender, or F10 to retry"
        assert line.property("stage") == "timed_out"
        screens.strings.set_language(Language.ZH_CN)
        assert line.text() == "刷脸等待超时：请换其他方式，或按 F10 重试"
        screens.show_panel(PANELS[Stage.NOT_ME])
        assert line.text() == "顾客表示不是本人：手机后四位或换其他方式"


def test_retry_parked_entries_shows_only_with_parked_entries_and_a_callable(
    qtbot: QtBot, store_path: Path, ui_settings: Settings
) -> None:
    retried: list[bool] = []
    with face_screens(store_path, ui_settings, retry_dead=lambda: retried.append(True)) as s:
        panel = s.cashier.sync_panel
        assert not panel.retry.isVisible()
        s.bridge.sync_status.emit(offline_status())  # 2 parked entries
        assert panel.retry.isVisible() and panel.retry.text() == "Retry parked entries"
        panel.retry.click()
        assert retried == [True]
        assert s.cashier.status_line.text() == "Parked entries queued again"
        s.strings.set_language(Language.ZH_CN)
        assert panel.retry.text() == "重新上传被拒条目"
        s.bridge.sync_status.emit(dataclasses.replace(offline_status(), online=True, dead=0))
        assert not panel.retry.isVisible()


def test_without_retry_dead_the_sync_panel_has_no_retry_button(qtbot: QtBot) -> None:
    panel = SyncPanel(Strings(Language.EN))
    qtbot.addWidget(panel)
    panel.show()
    panel.show_status(offline_status())
    assert panel.dead.isVisible()
    assert not panel.retry.isVisible()
