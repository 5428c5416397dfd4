"""``FaceStageView``: the face-and-payment side of the customer screen, one page a stage.

It shows a ``CustomerPanel`` (made by the face checkout) next to the cart: the live
camera with guidance and a "Pay by face" button while looking, the member's greeting, the
consent page that invites a stranger to join, "hold still" while enrolling, the face-pay
question, the phone-digits keypad, "paying..." and why face pay did not go through; after
"Not me" the choice of phone digits or another tender, and after a wait ran out "try
again" or "pay another way". While looking, why the question was taken back (a reason
code) shows above the camera. Each button calls one ``FaceActions`` method and nothing
else; the answer comes back as the next panel.

What must not live here: deciding whether face pay is allowed, matching, money rules.
The only condition computed here is whether offering the "Pay by face" button makes sense
on the screen (a ``FaceActions`` to call and a balance left to pay).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from terminal.app.customer_panel import CustomerPanel, FaceActions, Stage
from terminal.app.face_forget import CODE_DIGITS
from terminal.app.sale_view import SaleState, SaleView
from terminal.domain.money import format_cents
from terminal.ui.camera_view import CameraView
from terminal.ui.digits_pad import DigitsPad
from terminal.ui.strings import Strings

Intent = Callable[[FaceActions], None]

# Stages that show the live camera (None: no panel has come yet, the preview of part 1).
CAMERA_STAGES = (None, Stage.LOOKING, Stage.ENROLLING, Stage.SHOW_CODE)
# Stages whose page needs more of the screen (a page of text, a keypad).
ROOMY_STAGES = (Stage.INVITE, Stage.LAST4, Stage.FORGET_CODE)


class FaceStageView(QStackedWidget):
    """See the module docstring. ``show_state(panel, view)`` in; buttons out."""

    def __init__(
        self,
        strings: Strings,
        symbol: str,
        face: FaceActions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("faceStages")
        self._strings = strings
        self._symbol = symbol
        self._face = face
        self.panel: CustomerPanel | None = None
        self._view = SaleView(SaleState.IDLE)
        self.buttons: dict[str, QPushButton] = {}
        self.camera_view = CameraView(strings)
        self.pad = DigitsPad(strings)
        self.pad.submitted.connect(self._enter_last4)
        self.pad.cancelled.connect(self._ask(lambda face: face.dismiss()))
        self.code_pad = DigitsPad(strings, length=CODE_DIGITS)
        self.code_pad.submitted.connect(self._enter_forget_code)
        self.code_pad.cancelled.connect(self._ask(lambda face: face.dismiss()))
        self._pages: dict[Stage | None, QWidget] = {}
        camera = self._camera_page()
        for stage in CAMERA_STAGES:
            self._pages[stage] = camera
        self._pages[Stage.GREETING] = self._greeting_page()
        self._pages[Stage.INVITE] = self._invite_page()
        self._pages[Stage.CONFIRM] = self._confirm_page()
        self._pages[Stage.LAST4] = self._last4_page()
        self._pages[Stage.PAYING] = self._paying_page()
        self._pages[Stage.FAILED] = self._failed_page()
        self._pages[Stage.NOT_ME] = self._not_me_page()
        self._pages[Stage.TIMED_OUT] = self._timed_out_page()
        self._pages[Stage.FORGET] = self._forget_page()
        self._pages[Stage.FORGET_CODE] = self._forget_code_page()
        self._pages[Stage.FORGET_DONE] = self._forget_done_page()
        self._pages[Stage.OFF] = QWidget()  # never current: the view hides instead
        for page in dict.fromkeys(self._pages.values()):
            self.addWidget(page)
        self._render()

    # -- pages -------------------------------------------------------------------

    @staticmethod
    def _page() -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        # The column around the stack has margins already: every pixel of height counts.
        layout.setContentsMargins(0, 0, 0, 0)
        return page, layout

    def _label(self, name: str, layout: QVBoxLayout, wrap: bool = True) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(wrap)
        layout.addWidget(label)
        return label

    def _button(self, key: str, intent: Intent, role: str = "primary") -> QPushButton:
        button = QPushButton()
        button.setObjectName(f"face_{key}")
        button.setProperty("role", role)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(self._ask(intent))
        self.buttons[key] = button
        return button

    def _pair(self, layout: QVBoxLayout, *buttons: QPushButton) -> None:
        row = QHBoxLayout()
        row.setSpacing(16)
        for button in buttons:
            row.addWidget(button, 1)
        layout.addLayout(row)

    def _camera_page(self) -> QWidget:
        page, layout = self._page()
        self.camera_title = self._label("faceTitle", layout)
        self.camera_reason = self._label("faceHint", layout)  # why the question went
        self.camera_reason.setProperty("alert", True)
        layout.addWidget(self.camera_view, 1)
        self._pair(
            layout,
            self._button("pay_by_face", lambda face: face.want_face_pay()),
            self._button("pay_with_code", _ask_for_code, "secondary"),
        )
        layout.addWidget(self._button("code_cancel", lambda f: f.dismiss(), "secondary"))
        return page

    def _greeting_page(self) -> QWidget:
        page, layout = self._page()
        layout.addStretch(1)
        self.joined = self._label("faceJoined", layout)
        self.greeting = self._label("faceGreeting", layout)
        self.balance = self._label("faceBalance", layout)
        layout.addStretch(1)
        layout.addWidget(self._button("greeting_pay_by_face", lambda face: face.want_face_pay()))
        layout.addWidget(self._button("greeting_not_me", lambda f: f.not_me(), "secondary"))
        layout.addWidget(self._button("forget_me", lambda face: face.forget_me(), "secondary"))
        return page

    def _invite_page(self) -> QWidget:
        page, layout = self._page()
        self.invite_title = self._label("faceTitle", layout)
        self.consent = QLabel()
        self.consent.setObjectName("consentText")
        self.consent.setWordWrap(True)
        self.consent.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # The text is the contract the customer accepts: it scrolls rather than clips.
        scroll = QScrollArea()
        scroll.setObjectName("consentScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.consent)
        layout.addWidget(scroll, 1)
        self.consent_version = self._label("consentVersion", layout)
        self._pair(
            layout,
            self._button("decline", lambda face: face.decline_join(), "secondary"),
            self._button("accept", lambda face: face.accept_join()),
        )
        return page

    def _confirm_page(self) -> QWidget:
        page, layout = self._page()
        layout.addStretch(1)
        self.question = self._label("faceQuestion", layout)
        layout.addStretch(1)
        self._pair(
            layout,
            self._button("not_me", lambda face: face.not_me(), "secondary"),
            self._button("confirm", lambda face: face.confirm()),
        )
        return page

    def _last4_page(self) -> QWidget:
        page, layout = self._page()
        self.last4_title = self._label("faceTitle", layout)
        self.last4_hint = self._label("faceHint", layout)
        layout.addWidget(self.pad, 1)
        return page

    def _paying_page(self) -> QWidget:
        page, layout = self._page()
        layout.addStretch(1)
        self.paying = self._label("facePaying", layout)
        self.paying_amount = self._label("faceHint", layout)
        layout.addStretch(1)
        return page

    def _failed_page(self) -> QWidget:
        page, layout = self._page()
        layout.addStretch(1)
        self.failure = self._label("faceFailure", layout)
        self.failure_detail = self._label("faceDetail", layout)
        layout.addStretch(1)
        layout.addWidget(self._button("pay_other_way", lambda face: face.dismiss()))
        return page

    def _not_me_page(self) -> QWidget:
        page, layout = self._page()
        layout.addStretch(1)
        self.not_me_choice = self._label("faceTitle", layout)
        layout.addStretch(1)
        layout.addWidget(self._button("use_last4", lambda face: face.use_last4()))
        layout.addWidget(self._button("not_me_other_way", lambda f: f.dismiss(), "secondary"))
        return page

    def _timed_out_page(self) -> QWidget:
        page, layout = self._page()
        layout.addStretch(1)
        self.timed_out = self._label("faceFailure", layout)
        self.timed_out_detail = self._label("faceDetail", layout)
        layout.addStretch(1)
        layout.addWidget(self._button("try_again", lambda face: face.try_again()))
        layout.addWidget(self._button("timeout_other_way", lambda f: f.dismiss(), "secondary"))
        return page

    def _forget_page(self) -> QWidget:
        page, layout = self._page()
        layout.addStretch(1)
        self.forget_title = self._label("faceTitle", layout)
        self.forget_explain = self._label("faceHint", layout)
        layout.addStretch(1)
        layout.addWidget(self._button("forget_face", lambda face: face.forget("face_pay")))
        layout.addWidget(
            self._button("forget_all", lambda face: face.forget("membership"), "secondary")
        )
        layout.addWidget(self._button("forget_cancel", lambda f: f.dismiss(), "secondary"))
        return page

    def _forget_code_page(self) -> QWidget:
        page, layout = self._page()
        self.forget_code_title = self._label("faceTitle", layout)
        self.forget_code_hint = self._label("faceHint", layout)
        layout.addWidget(self.code_pad, 1)
        return page

    def _forget_done_page(self) -> QWidget:
        page, layout = self._page()
        layout.addStretch(1)
        self.forget_done = self._label("faceGreeting", layout)
        layout.addStretch(1)
        layout.addWidget(self._button("forget_ok", lambda face: face.dismiss()))
        return page

    # -- state in ----------------------------------------------------------------

    @property
    def stage(self) -> Stage | None:
        """The panel's stage; None until the first panel (the plain camera preview)."""
        return None if self.panel is None else self.panel.stage

    def needs_room(self) -> bool:
        """Whether the current page wants a wider column and less around it."""
        return self.stage in ROOMY_STAGES

    def camera_live(self) -> bool:
        """Whether the camera picture is on show, so worth polling for."""
        return not self.isHidden() and self.stage in CAMERA_STAGES

    def show_state(self, panel: CustomerPanel | None, view: SaleView) -> None:
        old = self.panel
        self.panel, self._view = panel, view
        # A fresh keypad on arrival and after a refusal ("no member with those digits").
        if (
            panel is not None
            and panel.stage is Stage.LAST4
            and (old is None or old.stage is not Stage.LAST4 or old.notice != panel.notice)
        ):
            self.pad.clear()
        if (
            panel is not None
            and panel.stage is Stage.FORGET_CODE
            and (old is None or old.stage is not Stage.FORGET_CODE or old.notice != panel.notice)
        ):
            self.code_pad.clear()
        self._render()

    def retranslate(self) -> None:
        self._render()

    def _render(self) -> None:
        stage = self.stage
        self.setVisible(stage is not Stage.OFF)
        current = self._pages[stage]
        # A stack is as big as its biggest page unless the others are told to give way:
        # the keypad must not make the camera's column taller than the screen.
        for page in dict.fromkeys(self._pages.values()):
            policy = QSizePolicy.Policy.Preferred if page is current else QSizePolicy.Policy.Ignored
            if page.sizePolicy().horizontalPolicy() is not policy:
                page.setSizePolicy(policy, policy)
        self.setCurrentWidget(current)
        panel = self.panel or CustomerPanel()  # the data of "no panel yet": all empty
        offer = (
            self._face is not None
            and self._view.in_progress
            and self._view.balance_due_cents > 0
            and not panel.face_pay_wanted
        )
        self._render_camera(stage, panel.notice, offer)
        self._render_reason(stage, panel)
        self._render_greeting(panel, offer)
        self._render_invite(panel)
        self._render_payment(panel)
        self._render_last4(panel.notice)
        self._render_failed(panel)
        self._render_way_out(panel)
        self._render_forget(panel)

    def _render_camera(self, stage: Stage | None, notice: str, offer: bool) -> None:
        tr, panel = self._strings.text, self.panel
        if stage is Stage.SHOW_CODE and panel is not None:
            amount = format_cents(panel.code_cents, self._symbol)
            self.camera_title.setText(tr("face.code.show", amount=amount))
        else:
            self.camera_title.setText(tr("face.enrolling"))
        self.camera_title.setVisible(stage in (Stage.ENROLLING, Stage.SHOW_CODE))
        self.buttons["pay_by_face"].setText(tr("face.pay_by_face"))
        self.buttons["pay_by_face"].setVisible(stage is Stage.LOOKING and offer)
        self.buttons["pay_with_code"].setText(tr("face.code.pay_with_code"))
        self.buttons["pay_with_code"].setVisible(stage is Stage.LOOKING and offer)
        self.buttons["code_cancel"].setText(tr("face.code.cancel"))
        self.buttons["code_cancel"].setVisible(stage is Stage.SHOW_CODE)
        if stage is Stage.LOOKING:
            self.camera_view.set_hint(notice or "face.looking")
        else:
            self.camera_view.set_hint(notice if stage is Stage.ENROLLING else "")

    def _render_greeting(self, panel: CustomerPanel, offer: bool) -> None:
        tr, greeting = self._strings.text, panel.greeting
        self.greeting.setText(
            tr("face.greeting", name=greeting.name, points=greeting.points) if greeting else ""
        )
        self.joined.setText(tr("face.joined"))
        self.joined.setVisible(panel.joined)
        balance = greeting.balance_cents if greeting else 0
        self.balance.setText(tr("face.balance", amount=format_cents(balance, self._symbol)))
        self.balance.setVisible(balance > 0)
        self.buttons["greeting_pay_by_face"].setText(tr("face.pay_by_face"))
        self.buttons["greeting_pay_by_face"].setVisible(offer)
        self.buttons["greeting_not_me"].setText(tr("face.not_me"))

    def _render_invite(self, panel: CustomerPanel) -> None:
        tr, consent = self._strings.text, panel.consent
        face_page = consent is not None and consent.kind == "face_pay"
        self.invite_title.setText(
            tr("face.invite.face_title" if face_page else "face.invite.title")
        )
        self.consent.setText(consent.text(self._language()) if consent else "")
        self.consent_version.setText(
            tr("face.consent.version", version=consent.version) if consent else ""
        )
        self.buttons["accept"].setText(tr("face.accept"))
        self.buttons["decline"].setText(tr("face.decline"))

    def _render_payment(self, panel: CustomerPanel) -> None:
        tr, prompt = self._strings.text, panel.prompt
        self.question.setText(
            tr(
                "face.prompt",
                name=prompt.name,
                amount=format_cents(prompt.amount_cents, prompt.symbol),
            )
            if prompt
            else ""
        )
        self.buttons["confirm"].setText(tr("face.confirm"))
        self.buttons["not_me"].setText(tr("face.not_me"))
        self.paying.setText(tr("face.paying"))
        self.paying_amount.setText(
            format_cents(prompt.amount_cents, prompt.symbol) if prompt else ""
        )

    def _render_last4(self, notice: str) -> None:
        self.pad.retranslate()
        self.last4_title.setText(self._strings.text("face.last4.title"))
        self.last4_hint.setText(self._strings.message(notice, "face.last4.hint"))
        self.last4_hint.setProperty("alert", notice == "face.last4.no_match")
        self.last4_hint.style().unpolish(self.last4_hint)
        self.last4_hint.style().polish(self.last4_hint)

    def _render_failed(self, panel: CustomerPanel) -> None:
        self.failure.setText(self._strings.message(panel.notice, "face.failed.error"))
        # Why, in the customer's language: a reason code, never a sentence from the logic.
        detail = self._strings.reason(panel.detail, panel.detail_params, fallback="")
        self.failure_detail.setText(detail)
        self.failure_detail.setVisible(bool(detail))
        self.buttons["pay_other_way"].setText(self._strings.text("face.pay_other_way"))

    def _render_reason(self, stage: Stage | None, panel: CustomerPanel) -> None:
        # Only while looking: the question was taken back, or a late Confirm refused.
        looking = stage is Stage.LOOKING
        reason = (
            self._strings.reason(panel.detail, panel.detail_params, fallback="") if looking else ""
        )
        self.camera_reason.setText(reason)
        self.camera_reason.setVisible(bool(reason))

    def _render_way_out(self, panel: CustomerPanel) -> None:
        tr, message = self._strings.text, self._strings.message
        not_me, timed_out = panel.stage is Stage.NOT_ME, panel.stage is Stage.TIMED_OUT
        self.not_me_choice.setText(message(panel.notice, "face.not_me.choose") if not_me else "")
        self.buttons["use_last4"].setText(tr("face.use_last4"))
        self.buttons["not_me_other_way"].setText(tr("face.pay_other_way"))
        self.timed_out.setText(
            message(panel.notice, "face.timeout.recognising") if timed_out else ""
        )
        detail = (
            self._strings.reason(panel.detail, panel.detail_params, fallback="")
            if timed_out
            else ""
        )
        self.timed_out_detail.setText(detail)
        self.timed_out_detail.setVisible(bool(detail))
        self.buttons["try_again"].setText(tr("face.try_again"))
        self.buttons["timeout_other_way"].setText(tr("face.pay_other_way"))

    def _render_forget(self, panel: CustomerPanel) -> None:
        tr, message = self._strings.text, self._strings.message
        self.buttons["forget_me"].setText(tr("face.forget_me"))
        self.forget_title.setText(tr("forget.title"))
        self.forget_explain.setText(tr("forget.explain"))
        self.buttons["forget_face"].setText(tr("forget.face_only"))
        self.buttons["forget_all"].setText(tr("forget.everything"))
        self.buttons["forget_cancel"].setText(tr("forget.cancel"))
        self.forget_code_title.setText(tr("forget.code.title"))
        on_code = panel.stage is Stage.FORGET_CODE
        hint = message(panel.notice, "forget.code.sent") if on_code else ""
        detail = self._strings.reason(panel.detail, panel.detail_params, fallback="")
        # A refusal says it all ("wrong code; 4 tries left"); otherwise where the code went.
        self.forget_code_hint.setText(detail if on_code and detail else hint)
        self.forget_code_hint.setProperty("alert", panel.notice == "forget.code.wrong")
        done = panel.stage is Stage.FORGET_DONE
        self.forget_done.setText(message(panel.notice, "forget.done.all") if done else "")
        self.buttons["forget_ok"].setText(tr("forget.ok"))

    # -- intents out -------------------------------------------------------------

    def _ask(self, intent: Intent) -> Callable[[], None]:
        def ask() -> None:
            if self._face is not None:
                intent(self._face)

        return ask

    def _enter_forget_code(self, digits: str) -> None:
        if self._face is not None:
            self._face.enter_forget_code(digits)

    def _enter_last4(self, digits: str) -> None:
        if self._face is not None:
            self._face.enter_last4(digits)

    def _language(self) -> str:
        return str(self._strings.language)


def _ask_for_code(face: FaceActions) -> None:
    face.ask_for_code()  # the customer screen shows the step itself; the seconds are the cashier's
