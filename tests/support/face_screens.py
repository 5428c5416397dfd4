"""Both windows on one real ``Till`` and a ``Bridge`` of their own, with a recording
``FaceActions``: the face stages are shown by emitting ``CustomerPanel``s on the bridge,
as the face checkout does, and every button press lands in ``FaceRecorder.calls``.

No ``FrontEnd`` here on purpose: its face checkout would answer the sale with panels of
its own, and these tests decide which panel the screens show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEvent, Qt
from PySide6.QtTest import QTest

from drivers.camera import FramePump
from terminal.app.consent import current
from terminal.app.customer_panel import CustomerPanel, FaceActions, Stage
from terminal.app.member_views import FacePayPrompt, Greeting
from terminal.app.till import Till
from terminal.config import Settings
from terminal.demo.screenshots import SIZE
from terminal.ui.bridge import Bridge
from terminal.ui.cashier_window import CashierWindow
from terminal.ui.customer_window import CustomerWindow
from terminal.ui.strings import Language, Strings

ZHANG = Greeting(member_id="m-zhang", name="Zhang**", points=120, balance_cents=5000)
PROMPT = FacePayPrompt(member_id="m-zhang", name="Zhang**", amount_cents=1230)

# One panel a stage, as the face checkout would send it.
PANELS: dict[Stage, CustomerPanel] = {
    Stage.OFF: CustomerPanel(),
    Stage.LOOKING: CustomerPanel(Stage.LOOKING, notice="face.looking"),
    Stage.GREETING: CustomerPanel(Stage.GREETING, greeting=ZHANG),
    Stage.INVITE: CustomerPanel(Stage.INVITE, consent=current("membership")),
    Stage.ENROLLING: CustomerPanel(Stage.ENROLLING),
    Stage.CONFIRM: CustomerPanel(
        Stage.CONFIRM, greeting=ZHANG, prompt=PROMPT, face_pay_wanted=True
    ),
    Stage.LAST4: CustomerPanel(Stage.LAST4, notice="face.last4.hint", face_pay_wanted=True),
    Stage.PAYING: CustomerPanel(Stage.PAYING, greeting=ZHANG, prompt=PROMPT, face_pay_wanted=True),
    Stage.FAILED: CustomerPanel(
        Stage.FAILED,
        greeting=ZHANG,
        notice="face.failed.declined",
        detail="pay.declined.insufficient_balance",
        face_pay_wanted=True,
    ),
    Stage.NOT_ME: CustomerPanel(Stage.NOT_ME, notice="face.not_me.choose", face_pay_wanted=True),
    Stage.TIMED_OUT: CustomerPanel(
        Stage.TIMED_OUT,
        greeting=ZHANG,
        notice="face.timeout.recognising",
        detail="decision.liveness_pending",
    ),
    Stage.SHOW_CODE: CustomerPanel(Stage.SHOW_CODE, greeting=ZHANG, code_cents=1230),
}
# The question taken back: looking again, with the reason above the camera.
WITHDRAWN = CustomerPanel(
    Stage.LOOKING,
    greeting=ZHANG,
    notice="face.looking",
    detail="question.withdrawn.no_face",
    face_pay_wanted=True,
)


@dataclass
class FaceRecorder:
    """A ``FaceActions`` that writes down what was asked."""

    calls: list[tuple[str, ...]] = field(default_factory=list)

    def want_face_pay(self) -> None:
        self.calls.append(("want_face_pay",))

    def ask_for_code(self) -> float:
        self.calls.append(("ask_for_code",))
        return 30.0

    def confirm(self) -> None:
        self.calls.append(("confirm",))

    def not_me(self) -> None:
        self.calls.append(("not_me",))

    def accept_join(self) -> None:
        self.calls.append(("accept_join",))

    def decline_join(self) -> None:
        self.calls.append(("decline_join",))

    def enter_last4(self, digits: str) -> None:
        self.calls.append(("enter_last4", digits))

    def use_last4(self) -> None:
        self.calls.append(("use_last4",))

    def try_again(self) -> None:
        self.calls.append(("try_again",))

    def forget_me(self) -> None:
        self.calls.append(("forget_me",))

    def forget(self, kind: str) -> None:
        self.calls.append(("forget", kind))

    def enter_forget_code(self, digits: str) -> None:
        self.calls.append(("enter_forget_code", digits))

    def dismiss(self) -> None:
        self.calls.append(("dismiss",))


def _is_face_actions(recorder: FaceRecorder) -> FaceActions:
    return recorder  # mypy checks the recorder against the protocol here


@dataclass
class Screens:
    till: Till
    bridge: Bridge
    strings: Strings
    face: FaceRecorder
    cashier: CashierWindow
    customer: CustomerWindow

    def wait_idle(self, timeout_s: float = 10.0) -> None:
        deadline = QDeadlineTimer(int(timeout_s * 1000))
        while not deadline.hasExpired():
            QCoreApplication.processEvents()
            if self.till.busy == 0:
                QCoreApplication.processEvents()
                return
        raise AssertionError("the till did not finish its intents in time")

    def type_entry(self, text: str) -> None:
        """Type into the cashier's scan field and press Enter (a keyboard-wedge scan)."""
        QTest.keyClicks(self.cashier.scan_field, text)
        QTest.keyClick(self.cashier.scan_field, Qt.Key.Key_Return)
        self.wait_idle()

    def show_panel(self, panel: CustomerPanel) -> None:
        self.bridge.customer_panel.emit(panel)
        QCoreApplication.processEvents()


@contextmanager
def face_screens(
    db_path: Path,
    settings: Settings,
    *,
    language: Language = Language.EN,
    face: bool = True,
    retry_dead: Callable[[], None] | None = None,
    camera: FramePump | None = None,
) -> Iterator[Screens]:
    bridge = Bridge()
    strings = Strings(language)
    recorder = FaceRecorder()
    actions = _is_face_actions(recorder) if face else None
    till = Till(db_path, settings, deliver=bridge.post)
    bridge.attach_till(till)
    cashier = CashierWindow(till, bridge, strings, face=actions, retry_dead=retry_dead)
    customer = CustomerWindow(
        bridge,
        strings,
        store_name="Test store",
        symbol="¥",
        face=actions,
        camera=camera,
        thanks_s=60,
    )
    screens = Screens(till, bridge, strings, recorder, cashier, customer)
    try:
        till.start()
        for window in (cashier, customer):
            window.resize(*SIZE)
            window.show()
        cashier.activateWindow()
        screens.wait_idle()
        yield screens
    finally:
        till.stop()
        for window in (customer, cashier):
            window.close()
            window.deleteLater()
        for obj in (bridge, strings):
            obj.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
