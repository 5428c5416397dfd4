"""The customer screen shows each face stage of a ``CustomerPanel`` beside the cart, and
its buttons ask the ``FaceActions`` for exactly one thing each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from drivers.camera import FakeCamera, FramePump
from terminal.app.consent import current
from terminal.app.customer_panel import CustomerPanel, FaceBox, FaceOverlay, Stage
from terminal.app.face_checkout import PUBLISHED_CODES
from terminal.app.sale_view import SaleState
from terminal.config import Settings
from terminal.demo.screenshots import SIZE, WATER
from terminal.face.quality import QualityCode
from terminal.ui.camera_view import CameraView
from terminal.ui.customer_window import CustomerWindow
from terminal.ui.strings import CATALOG, Language, Strings
from tests.support.face_screens import PANELS, WITHDRAWN, ZHANG, Screens, face_screens

MIN_TOUCH_PX = 72


@pytest.fixture
def screens(qtbot: QtBot, store_path: Path, ui_settings: Settings) -> Iterator[Screens]:
    """Both windows in English with one bottle of water (¥2.00) in the cart."""
    with face_screens(store_path, ui_settings) as made:
        made.type_entry(WATER)
        assert made.customer.view.balance_due_cents == 200
        yield made


def visible_buttons(widget: QWidget) -> list[QPushButton]:
    return [b for b in widget.findChildren(QPushButton) if b.isVisible()]


def assert_sale_still_on_show(screens: Screens) -> None:
    customer = screens.customer
    assert customer.pages.currentIndex() == CustomerWindow.SALE_PAGE
    assert customer.cart.isVisible() and customer.cart.rowCount() == 1
    assert customer.total.isVisible() and customer.total.text() == "¥2.00"


def assert_nothing_clipped(window: QWidget) -> None:
    """Every visible label and button of the face side has the room its text needs."""
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            assert needed <= label.height() + 1, (label.objectName(), label.text())
        else:
            assert label.sizeHint().width() <= label.width() + 1, label.text()
    for button in visible_buttons(window):
        assert button.height() >= MIN_TOUCH_PX, button.text()
        assert button.sizeHint().width() <= button.width() + 1, button.text()


def test_looking_shows_the_camera_with_guidance_and_a_pay_by_face_button(
    screens: Screens,
) -> None:
    customer, stages = screens.customer, screens.customer.face_stages
    screens.show_panel(PANELS[Stage.LOOKING])
    assert_sale_still_on_show(screens)
    assert stages.isVisible() and customer.camera_view.isVisible()
    assert customer.camera_view.guidance_text() == "Looking for you…"
    pay = stages.buttons["pay_by_face"]
    assert pay.isVisible() and pay.text() == "Pay by face"
    pay.click()
    assert screens.face.calls == [("want_face_pay",)]

    screens.strings.set_language(Language.ZH_CN)
    assert pay.text() == "刷脸支付"
    assert customer.camera_view.guidance_text() == "正在识别，请看摄像头…"

    # Asked for already: the button goes; the camera keeps looking.
    screens.show_panel(CustomerPanel(Stage.LOOKING, face_pay_wanted=True))
    assert not pay.isVisible() and customer.camera_view.isVisible()


def test_pay_by_face_is_offered_only_with_face_actions_and_a_balance(
    qtbot: QtBot, store_path: Path, ui_settings: Settings
) -> None:
    with face_screens(store_path, ui_settings, face=False) as screens:
        screens.type_entry(WATER)
        screens.show_panel(PANELS[Stage.LOOKING])
        assert not screens.customer.face_stages.buttons["pay_by_face"].isVisible()
    with face_screens(store_path, ui_settings) as screens:
        screens.show_panel(PANELS[Stage.LOOKING])
        # No sale yet: nothing to pay, and the welcome page is up.
        assert screens.customer.pages.currentIndex() == CustomerWindow.IDLE_PAGE
        assert not screens.customer.face_stages.buttons["pay_by_face"].isVisibleTo(screens.customer)


def test_greeting_shows_the_masked_name_and_points_and_welcomes_a_new_member(
    screens: Screens,
) -> None:
    stages = screens.customer.face_stages
    screens.show_panel(PANELS[Stage.GREETING])
    assert_sale_still_on_show(screens)
    assert stages.greeting.isVisible()
    assert stages.greeting.text() == "Hi, Zhang**! Points: 120"
    assert stages.balance.text() == "Balance ¥50.00"
    assert not stages.joined.isVisible()
    stages.buttons["greeting_not_me"].click()
    stages.buttons["greeting_pay_by_face"].click()
    assert screens.face.calls == [("not_me",), ("want_face_pay",)]

    screens.show_panel(CustomerPanel(Stage.GREETING, greeting=ZHANG, joined=True))
    assert stages.joined.isVisible() and stages.joined.text() == "Welcome, new member!"
    screens.strings.set_language(Language.ZH_CN)
    assert stages.greeting.text() == "Zhang**，您好！积分 120"
    assert stages.joined.text() == "欢迎新会员！"
    assert stages.buttons["greeting_not_me"].text() == "不是我"


def test_invite_shows_the_consent_text_in_the_current_language_with_its_version(
    screens: Screens,
) -> None:
    stages = screens.customer.face_stages
    consent = PANELS[Stage.INVITE].consent
    assert consent is not None
    screens.show_panel(PANELS[Stage.INVITE])
    assert_sale_still_on_show(screens)
    assert stages.invite_title.text() == "Step 1 of 2: join as a member"
    assert stages.consent.isVisible() and stages.consent.text() == consent.en
    assert stages.consent_version.text() == f"Terms version {consent.version}"
    accept, decline = stages.buttons["accept"], stages.buttons["decline"]
    assert (accept.text(), decline.text()) == ("Accept", "No thanks")
    decline.click()
    accept.click()
    assert screens.face.calls == [("decline_join",), ("accept_join",)]

    screens.strings.set_language(Language.ZH_CN)
    assert stages.consent.text() == consent.zh_cn
    assert stages.invite_title.text() == "第 1 步（共 2 步）：成为会员"
    assert (accept.text(), decline.text()) == ("同意", "不用了，谢谢")


def test_face_pay_is_a_separate_consent_on_its_own_page(screens: Screens) -> None:
    stages = screens.customer.face_stages
    face_pay = current("face_pay")
    screens.show_panel(CustomerPanel(Stage.INVITE, consent=face_pay))
    assert stages.invite_title.text() == (
        "Step 2 of 2: face recognition and face pay (a separate consent)"
    )
    assert stages.consent.text() == face_pay.en
    assert stages.consent_version.text() == f"Terms version {face_pay.version}"
    screens.strings.set_language(Language.ZH_CN)
    assert stages.consent.text() == face_pay.zh_cn
    assert stages.invite_title.text().startswith("第 2 步（共 2 步）")


def test_enrolling_asks_to_hold_still_over_the_camera(screens: Screens) -> None:
    stages = screens.customer.face_stages
    screens.show_panel(PANELS[Stage.ENROLLING])
    assert stages.camera_title.isVisible() and stages.camera_title.text() == "Hold still…"
    assert screens.customer.camera_view.isVisible()
    assert not stages.buttons["pay_by_face"].isVisible()
    screens.bridge.face_overlay.emit(FaceOverlay(3, 640, 480, (), "face.guide.blurry"))
    assert screens.customer.camera_view.guidance_text() == "Hold still, the picture is blurred"


def test_confirm_asks_the_member_to_pay_the_amount(screens: Screens) -> None:
    stages = screens.customer.face_stages
    screens.show_panel(PANELS[Stage.CONFIRM])
    assert_sale_still_on_show(screens)
    assert stages.question.isVisible() and stages.question.text() == "Zhang**, pay ¥12.30?"
    confirm, not_me = stages.buttons["confirm"], stages.buttons["not_me"]
    assert (confirm.text(), not_me.text()) == ("Confirm", "Not me")
    confirm.click()
    not_me.click()
    assert screens.face.calls == [("confirm",), ("not_me",)]
    screens.strings.set_language(Language.ZH_CN)
    assert stages.question.text() == "Zhang**，确认支付 ¥12.30？"
    assert confirm.text() == "确认支付"


def test_the_digit_pad_submits_exactly_four_digits(screens: Screens) -> None:
    stages = screens.customer.face_stages
    pad = stages.pad
    screens.show_panel(PANELS[Stage.LAST4])
    assert_sale_still_on_show(screens)
    assert pad.isVisible()
    assert stages.last4_hint.text() == ("Not sure it is you: enter the last 4 digits of your phone")
    for digit in "123":
        pad.keys[digit].click()
    assert pad.dots.text() == "● ● ● ○"
    assert not pad.ok.isEnabled()
    pad.ok.click()  # disabled: nothing happens
    pad.submit()  # nor when asked directly
    assert screens.face.calls == []
    pad.keys["4"].click()
    pad.keys["5"].click()  # a fifth digit is not taken
    assert pad.digits == "1234" and pad.ok.isEnabled()
    pad.back.click()
    pad.keys["9"].click()
    pad.ok.click()
    assert screens.face.calls == [("enter_last4", "1239")]
    assert pad.digits == "" and not pad.ok.isEnabled()

    # The answer: no such member. A fresh pad and the refusal in red.
    pad.keys["7"].click()
    screens.show_panel(CustomerPanel(Stage.LAST4, notice="face.last4.no_match"))
    assert pad.digits == ""
    assert stages.last4_hint.text() == "No member with those digits looks like you"
    assert stages.last4_hint.property("alert") is True
    pad.cancel.click()
    assert screens.face.calls[-1] == ("dismiss",)

    screens.strings.set_language(Language.ZH_CN)
    assert (pad.ok.text(), pad.cancel.text()) == ("确定", "取消")
    assert stages.last4_title.text() == "请输入手机号后四位"


def test_paying_and_failed_say_what_is_happening(screens: Screens) -> None:
    stages = screens.customer.face_stages
    screens.show_panel(PANELS[Stage.PAYING])
    assert stages.paying.isVisible() and stages.paying.text() == "Paying…"
    assert stages.paying_amount.text() == "¥12.30"
    assert visible_buttons(stages) == []

    screens.show_panel(PANELS[Stage.FAILED])
    assert_sale_still_on_show(screens)
    assert stages.failure.text() == "Face pay declined"
    assert stages.failure_detail.isVisible()
    assert stages.failure_detail.text() == "The member's balance is too low"
    other = stages.buttons["pay_other_way"]
    assert other.text() == "Pay another way"
    other.click()
    assert screens.face.calls == [("dismiss",)]
    screens.strings.set_language(Language.ZH_CN)
    assert stages.failure.text() == "刷脸支付被拒绝"
    assert stages.failure_detail.text() == "会员余额不足"
    assert other.text() == "换其他方式支付"

    # A refusal's amounts come as cents and show as money, in the current language.
    offline = CustomerPanel(
        Stage.FAILED,
        notice="face.failed.offline",
        detail="offline.over_payment_cap",
        detail_params={"limit_cents": 10000, "amount_cents": 12300},
    )
    screens.show_panel(offline)
    assert stages.failure_detail.text() == "离线刷脸每笔限额 ¥100.00，本笔 ¥123.00：请收现金"
    screens.strings.set_language(Language.EN)
    assert stages.failure_detail.text() == (
        "Offline face pay is limited to ¥100.00 a payment; this one is ¥123.00: take cash"
    )
    screens.strings.set_language(Language.ZH_CN)

    # An id this release does not know: the general sentence, not a crash or a raw id.
    screens.show_panel(CustomerPanel(Stage.FAILED, notice="face.failed.from_the_future"))
    assert stages.failure.text() == "刷脸支付未成功"
    assert not stages.failure_detail.isVisible()


def test_not_me_offers_the_phone_digits_or_another_way(screens: Screens) -> None:
    stages = screens.customer.face_stages
    screens.show_panel(PANELS[Stage.NOT_ME])
    assert_sale_still_on_show(screens)
    assert stages.not_me_choice.isVisible()
    assert stages.not_me_choice.text() == (
        "Not you? Enter your phone's last 4 digits, or pay another way"
    )
    digits, other = stages.buttons["use_last4"], stages.buttons["not_me_other_way"]
    assert visible_buttons(stages) == [digits, other]
    assert (digits.text(), other.text()) == ("Phone digits", "Pay another way")
    digits.click()
    other.click()
    assert screens.face.calls == [("use_last4",), ("dismiss",)]
    screens.strings.set_language(Language.ZH_CN)
    assert stages.not_me_choice.text() == "不是您？可输入手机号后四位，或换其他方式支付"
    assert (digits.text(), other.text()) == ("输入手机后四位", "换其他方式支付")

    # The keypad that follows says what the digits are for.
    screens.show_panel(CustomerPanel(Stage.LAST4, notice="face.last4.not_me"))
    assert stages.last4_hint.text() == "输入后请看摄像头，我们会重新识别"


@pytest.mark.parametrize(
    ("notice", "en", "zh"),
    [
        ("face.timeout.recognising", "We could not recognise you in time", "未能及时识别到您"),
        ("face.timeout.question", "The payment question timed out", "支付确认已超时"),
        ("face.timeout.last4", "Time ran out for the phone digits", "输入手机号后四位已超时"),
    ],
)
def test_a_timed_out_wait_offers_try_again_or_another_way(
    screens: Screens, notice: str, en: str, zh: str
) -> None:
    stages = screens.customer.face_stages
    screens.show_panel(CustomerPanel(Stage.TIMED_OUT, greeting=ZHANG, notice=notice))
    assert_sale_still_on_show(screens)
    assert stages.timed_out.isVisible() and stages.timed_out.text() == en
    assert not stages.timed_out_detail.isVisible()
    again, other = stages.buttons["try_again"], stages.buttons["timeout_other_way"]
    assert visible_buttons(stages) == [again, other]
    assert (again.text(), other.text()) == ("Try again", "Pay another way")
    again.click()
    other.click()
    assert screens.face.calls == [("try_again",), ("dismiss",)]
    screens.strings.set_language(Language.ZH_CN)
    assert stages.timed_out.text() == zh
    assert (again.text(), other.text()) == ("重试", "换其他方式支付")


def test_a_recognising_timeout_says_why_under_the_notice(screens: Screens) -> None:
    stages = screens.customer.face_stages
    screens.show_panel(PANELS[Stage.TIMED_OUT])
    assert stages.timed_out_detail.isVisible()
    assert stages.timed_out_detail.text() == "Liveness check still in progress"
    screens.strings.set_language(Language.ZH_CN)
    assert stages.timed_out_detail.text() == "正在进行活体检测"


@pytest.mark.parametrize(
    ("detail", "en", "zh"),
    [
        (
            "question.withdrawn.no_face",
            "We lost sight of you, so the question was withdrawn: look at the camera",
            "看不到您的脸，支付确认已撤回：请看摄像头",
        ),
        (
            "question.withdrawn.changed",
            "The camera no longer sees that member, so the question was withdrawn",
            "摄像头前已不是该会员，支付确认已撤回",
        ),
        (
            "question.refused.not_fresh",
            "Confirm not taken: the payer must be looking at the camera",
            "确认未生效：付款人须正对摄像头",
        ),
    ],
)
def test_a_withdrawn_question_says_why_above_the_camera(
    screens: Screens, detail: str, en: str, zh: str
) -> None:
    stages, customer = screens.customer.face_stages, screens.customer
    screens.show_panel(CustomerPanel(Stage.LOOKING, notice="face.looking", detail=detail,
                                     face_pay_wanted=True))  # fmt: skip
    assert_sale_still_on_show(screens)
    assert customer.camera_view.isVisible()
    assert stages.camera_reason.isVisible() and stages.camera_reason.text() == en
    assert not stages.buttons["pay_by_face"].isVisible()  # face pay is still wanted
    screens.strings.set_language(Language.ZH_CN)
    assert stages.camera_reason.text() == zh
    screens.show_panel(PANELS[Stage.LOOKING])
    assert not stages.camera_reason.isVisible()


@pytest.mark.parametrize("language", list(Language))
def test_the_withdrawn_question_fits_the_customer_screen(
    qtbot: QtBot, store_path: Path, ui_settings: Settings, tmp_path: Path, language: Language
) -> None:
    with face_screens(store_path, ui_settings, language=language) as screens:
        screens.type_entry(WATER)
        customer = screens.customer
        screens.show_panel(WITHDRAWN)
        customer.camera_view.show_frame(np.full((480, 640, 3), 90, dtype=np.uint8))
        customer.show_overlay(FaceOverlay(1, 640, 480, (), "face.guide.no_face"))
        qtbot.wait(1)
        pixmap = customer.grab()
        assert pixmap.save(str(tmp_path / f"customer-face-withdrawn-{language}.png"))
        assert (pixmap.width(), pixmap.height()) == SIZE
        assert customer.face_stages.camera_reason.isVisible()
        assert_nothing_clipped(customer)


def test_every_code_the_face_checkout_publishes_has_texts() -> None:
    for code in sorted(PUBLISHED_CODES):
        assert code in CATALOG, code
        zh, en = CATALOG[code]
        assert zh.strip() and en.strip(), code
    for stage in Stage:
        if stage is not Stage.OFF:  # the cashier's line hides
            assert f"cashier.face.{stage}" in CATALOG, stage


def test_off_hides_the_face_side_and_keeps_the_cart_and_total(screens: Screens) -> None:
    screens.show_panel(PANELS[Stage.CONFIRM])
    screens.show_panel(PANELS[Stage.OFF])
    assert_sale_still_on_show(screens)
    assert not screens.customer.face_stages.isVisible()
    assert visible_buttons(screens.customer) == []


def test_offline_banner_shows_while_the_panel_says_offline(screens: Screens) -> None:
    banner = screens.customer.offline
    assert not banner.isVisible()
    screens.show_panel(CustomerPanel(Stage.LOOKING, offline=True))
    assert banner.isVisible() and banner.text() == "Offline: cash; face pay within limits"
    screens.strings.set_language(Language.ZH_CN)
    assert banner.text().startswith("离线模式")
    screens.show_panel(CustomerPanel(Stage.LOOKING))
    assert not banner.isVisible()


def test_thank_you_page_shows_the_members_points(screens: Screens) -> None:
    customer = screens.customer
    screens.show_panel(PANELS[Stage.GREETING])
    screens.cashier.actions_by_id["exact"].trigger()
    screens.wait_idle()
    assert customer.view.state is SaleState.PAID
    assert customer.pages.currentIndex() == CustomerWindow.RESULT_PAGE
    assert customer.result_member.isVisible()
    assert customer.result_member.text() == "Hi, Zhang**! Points: 120"


def _colour_at(image: QImage, x: float, y: float) -> QColor:
    return image.pixelColor(QPoint(round(x), round(y)))


def _is_green(colour: QColor) -> bool:
    return colour.green() > 150 and colour.red() < 120 and colour.blue() < 160


def _is_orange(colour: QColor) -> bool:
    return colour.red() > 200 and 100 < colour.green() < 200 and colour.blue() < 80


def test_overlay_boxes_are_scaled_with_the_picture(qtbot: QtBot) -> None:
    strings = Strings(Language.EN)
    view = CameraView(strings)
    qtbot.addWidget(view)
    view.resize(500, 500)
    view.show()
    view.show_frame(np.full((480, 640, 3), 40, dtype=np.uint8))  # grey, 4:3
    view.show_overlay(
        FaceOverlay(
            seq=7,
            frame_width=640,
            frame_height=480,
            boxes=(FaceBox(160, 120, 160, 160, True), FaceBox(420, 200, 120, 120, False)),
            guidance="face.guide.too_far",
        )
    )
    picture = view.picture_rect()
    # Aspect kept: 4:3 fitted into the width, centred above the guidance band.
    assert picture.width() == 500 and picture.height() == 375
    scale = picture.width() / 640
    image = view.grab().toImage()
    primary_left = picture.left() + 160 * scale
    middle_y = picture.top() + (120 + 80) * scale
    assert _is_green(_colour_at(image, primary_left + 1, middle_y))
    assert not _is_green(_colour_at(image, primary_left + 12, middle_y))  # inside: picture
    other_top = picture.top() + 200 * scale
    assert _is_orange(_colour_at(image, picture.left() + 480 * scale, other_top + 1))
    assert view.guidance_text() == "Come a little closer"
    strings.set_language(Language.ZH_CN)
    assert view.guidance_text() == "请靠近一点"

    # A frame half the size with boxes in its own pixels lands on the same place.
    view.show_frame(np.full((240, 320, 3), 40, dtype=np.uint8))
    view.show_overlay(FaceOverlay(8, 320, 240, (FaceBox(80, 60, 80, 80, True),), ""))
    assert view.picture_rect() == picture
    (rect, primary), *_ = view.box_rects()
    assert primary and rect.left() == pytest.approx(primary_left)
    assert view.guidance_text() == ""


def test_boxes_go_when_the_face_worker_stops_sending_overlays(qtbot: QtBot) -> None:
    view = CameraView(Strings(Language.EN))
    qtbot.addWidget(view)
    view.resize(400, 400)
    frame = np.zeros((480, 640, 3), dtype=np.uint8)
    view.show_frame(frame)
    view.show_overlay(FaceOverlay(1, 640, 480, (FaceBox(0, 0, 100, 100, True),), "x"))
    assert len(view.box_rects()) == 1
    for _ in range(30):  # two seconds of pictures at the window's rate, no new overlay
        view.show_frame(frame)
    assert view.box_rects() == []


def test_the_live_view_shows_frames_from_the_pump_with_the_overlay(
    qtbot: QtBot, store_path: Path, ui_settings: Settings
) -> None:
    blue = np.zeros((480, 640, 3), dtype=np.uint8)
    blue[:, :, 0] = 255  # BGR
    pump = FramePump(FakeCamera([blue], fps=30))
    pump.start()
    try:
        with face_screens(store_path, ui_settings, camera=pump) as screens:
            screens.type_entry(WATER)
            screens.show_panel(CustomerPanel(Stage.LOOKING))
            screens.bridge.face_overlay.emit(
                FaceOverlay(1, 640, 480, (FaceBox(200, 100, 200, 200, True),), "face.guide.pose")
            )
            view = screens.customer.camera_view
            qtbot.waitUntil(lambda: not view.picture_rect().isEmpty(), timeout=5000)
            picture = view.picture_rect()
            image = view.grab().toImage()
            centre = _colour_at(image, picture.center().x(), picture.center().y())
            assert centre.blue() > 200 and centre.red() < 50
            left = picture.left() + 200 * picture.width() / 640
            assert _is_green(_colour_at(image, left + 1, picture.center().y()))
            assert view.guidance_text() == "Face the camera straight on"
    finally:
        pump.stop()


@pytest.mark.parametrize("language", list(Language))
def test_every_stage_fits_the_customer_screen(
    qtbot: QtBot, store_path: Path, ui_settings: Settings, tmp_path: Path, language: Language
) -> None:
    """A picture of each stage; the window keeps its size (nothing asks for more room than
    the screen has), texts are not cut and buttons are touch-sized."""
    with face_screens(store_path, ui_settings, language=language) as screens:
        screens.type_entry(WATER)
        customer = screens.customer
        for stage, panel in PANELS.items():
            shown = panel
            if stage is Stage.LOOKING:
                shown = CustomerPanel(Stage.LOOKING, notice="face.looking", offline=True)
            screens.show_panel(shown)
            customer.camera_view.show_frame(np.full((480, 640, 3), 90, dtype=np.uint8))
            customer.show_overlay(
                FaceOverlay(1, 640, 480, (FaceBox(220, 120, 200, 220, True),), "face.guide.pose")
            )
            qtbot.wait(1)
            path = tmp_path / f"customer-face-{stage}-{language}.png"
            pixmap = customer.grab()
            assert pixmap.save(str(path))
            assert (pixmap.width(), pixmap.height()) == SIZE, stage
            assert_nothing_clipped(customer)


def test_every_guidance_code_of_the_face_worker_has_a_text() -> None:
    codes = {str(code) for code in QualityCode if code is not QualityCode.OK}
    for code in codes | {"crowded", "spoof", "no_face"}:
        assert f"face.guide.{code}" in CATALOG, code


def test_the_code_step_shows_the_amount_and_a_way_out(screens: Screens) -> None:
    """The code step: the live camera, what a code shown now would pay, and Cancel."""
    screens.show_panel(PANELS[Stage.SHOW_CODE])
    face = screens.customer.face_stages
    assert face.stage is Stage.SHOW_CODE and face.camera_live()
    assert "12.30" in face.camera_title.text()
    assert face.buttons["code_cancel"].isVisible()
    assert not face.buttons["pay_by_face"].isVisible()
    face.buttons["code_cancel"].click()
    assert screens.face.calls[-1] == ("dismiss",)


def test_a_member_asks_to_delete_their_data_on_the_customer_screen(screens: Screens) -> None:
    stages = screens.customer.face_stages
    greeting = PANELS[Stage.GREETING].greeting
    screens.show_panel(CustomerPanel(Stage.GREETING, greeting=greeting))
    assert stages.buttons["forget_me"].text() == "Delete my data"
    stages.buttons["forget_me"].click()
    screens.show_panel(CustomerPanel(Stage.FORGET, greeting=greeting))
    assert stages.forget_title.text() == "What should we delete?"
    assert stages.buttons["forget_face"].text() == "My face only (stay a member)"
    assert stages.buttons["forget_all"].text() == "Everything (leave membership)"
    stages.buttons["forget_face"].click()
    stages.buttons["forget_all"].click()
    screens.show_panel(
        CustomerPanel(Stage.FORGET_CODE, greeting=greeting, notice="forget.code.sent")
    )
    assert stages.needs_room()
    assert stages.forget_code_hint.text().startswith("A code was sent to your phone")
    for digit in "123456":
        stages.code_pad.press(digit)
    stages.code_pad.ok.click()
    screens.show_panel(
        CustomerPanel(
            Stage.FORGET_CODE,
            greeting=greeting,
            notice="forget.code.wrong",
            detail="forget.code_wrong",
            detail_params={"tries_left": 4},
        )
    )
    assert stages.forget_code_hint.text() == "Wrong code; 4 tries left"
    screens.show_panel(CustomerPanel(Stage.FORGET_DONE, notice="forget.done.face"))
    assert stages.forget_done.text() == "Your face has been deleted. You are still a member."
    stages.buttons["forget_ok"].click()
    assert screens.face.calls == [
        ("forget_me",),
        ("forget", "face_pay"),
        ("forget", "membership"),
        ("enter_forget_code", "123456"),
        ("dismiss",),
    ]
    screens.strings.set_language(Language.ZH_CN)
    assert stages.forget_done.text() == "您的人脸信息已删除，会员身份保留。"
