"""``FaceCheckout``'s rules without Qt, a camera or a store: face events, sale views and
sync statuses go in, the published ``CustomerPanel`` stages and codes come out.

The till is a small fake of ``TillActions`` (the interface ``Till`` offers the face
checkout): it answers with real ``Pending`` results, settled when the test pumps its inbox,
as the real till's ``deliver`` hands results to the GUI thread after the intent returned.
Whole face sales over a real till and the reference cloud are in
tests/integration/payments/test_face_checkout.py.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from terminal.app.customer_panel import CustomerPanel, Stage
from terminal.app.enrollment import Enrolled
from terminal.app.face_checkout import FaceCheckout, TillActions
from terminal.app.member_views import FacePayPrompt, Greeting
from terminal.app.sale_view import IDLE, LineView, SaleState, SaleView
from terminal.app.tasks import Pending
from terminal.app.tender_result import TenderResult
from terminal.domain.catalog import Unit
from terminal.domain.errors import PaymentError
from terminal.face.decide import Decision, Outcome, Why
from terminal.face.embed import Embedding
from terminal.face.gallery import Gallery
from terminal.face.worker import FaceEvent, TemplateResult
from terminal.payments.errors import OfflineRefused, UnknownMember
from terminal.sync.status import SyncStatus

ROOT = Path(__file__).resolve().parents[3]
ZHANG = Greeting(member_id="m-zhang", name="Zhang**", points=120, balance_cents=5000)
LI = Greeting(member_id="m-li", name="Li**", points=0, balance_cents=0)


class FakeTill:
    """``TillActions`` with scripted answers; every call is written down."""

    def __init__(self) -> None:
        self.registered = True
        self.members = {ZHANG.member_id: ZHANG, LI.member_id: LI}
        self.calls: list[tuple[object, ...]] = []
        self.inbox: list[Callable[[], None]] = []
        self.unhandled: list[BaseException] = []
        self.due_cents = 1230
        self.confirm_error: BaseException | None = None

    # -- TillActions -------------------------------------------------------------

    def recognise(self, member_id: str) -> Pending[Greeting]:
        self.calls.append(("recognise", member_id))
        greeting = self.members.get(member_id)
        error = None if greeting else UnknownMember("member.unknown")
        return self._answer("recognise", greeting, error)

    def forget_member(self) -> Pending[SaleView]:
        self.calls.append(("forget_member",))
        return self._answer("forget_member", IDLE)

    def stage_face_pay(self, member_id: str, decision: Decision) -> Pending[FacePayPrompt]:
        self.calls.append(("stage_face_pay", member_id, decision.outcome))
        if decision.outcome is not Outcome.PAY:
            return self._answer("stage_face_pay", None, PaymentError("payment.face.member"))
        greeting = self.members[member_id]
        return self._answer(
            "stage_face_pay", FacePayPrompt(member_id, greeting.name, self.due_cents)
        )

    def decline_face_pay(self) -> Pending[None]:
        self.calls.append(("decline_face_pay",))
        return self._answer("decline_face_pay", None)

    def confirm_face_pay(self) -> Pending[TenderResult]:
        self.calls.append(("confirm_face_pay",))
        return self._answer("confirm_face_pay", None, self.confirm_error)

    def enroll(
        self, embedding: Embedding, consent_version: str, *, gallery: Gallery | None = None
    ) -> Pending[Enrolled]:
        self.calls.append(("enroll", consent_version))
        return self._answer("enroll", Enrolled(LI.member_id, "e-1", consent_version))

    def decline_enrollment(self) -> Pending[None]:
        self.calls.append(("decline_enrollment",))
        return self._answer("decline_enrollment", None)

    # -- plumbing ----------------------------------------------------------------

    def _answer(self, name: str, value: Any, error: BaseException | None = None) -> Pending[Any]:
        """An answer delivered when the test pumps, as the real till delivers it."""
        answer: Pending[Any] = Pending(name, self.unhandled.append, lambda: None)
        self.inbox.append(lambda: answer.settle(value, error))
        return answer


class FakeFace:
    """The face worker's controls (``FaceControl``), written down."""

    def __init__(self) -> None:
        self.narrowed: list[str] = []
        self.resets = 0

    def narrow(self, last4: str) -> None:
        self.narrowed.append(last4)

    def reset(self) -> None:
        self.resets += 1

    def request_template(self, callback: Callable[[TemplateResult], None]) -> None:
        vector = np.ones(128, dtype=np.float32) / np.sqrt(128)
        callback(Embedding(vector, "sface_2021dec"))


class Rig:
    def __init__(self) -> None:
        self.till = FakeTill()
        self.face = FakeFace()
        self.posted: list[Callable[[], None]] = []
        self.panels: list[CustomerPanel] = []
        till: TillActions = self.till  # the fake offers the interface the checkout uses
        self.checkout = FaceCheckout(
            till, self.face, post=self.posted.append, show_panel=self.panels.append
        )

    def pump(self) -> None:
        """Deliver the till's answers and posted callbacks until nothing is left."""
        while self.till.inbox or self.posted:
            queue = self.till.inbox or self.posted
            queue.pop(0)()

    def sell(self, due_cents: int = 1230) -> None:
        self.till.due_cents = due_cents
        self.checkout.on_sale(sale(due_cents))
        self.pump()

    def decide(self, outcome: Outcome, member_id: str | None = None, why: Why = Why.NONE) -> None:
        decision = Decision(outcome, member_id, score=0.7, margin=0.3, votes=3, reason=why)
        self.checkout.on_face(
            FaceEvent(1, time.monotonic(), (640, 480), (), None, "", "", None, decision, 0.0, {})
        )
        self.pump()

    @property
    def panel(self) -> CustomerPanel:
        return self.checkout.panel

    @property
    def stage(self) -> Stage:
        return self.checkout.panel.stage


def sale(due_cents: int, state: SaleState = SaleState.OPEN) -> SaleView:
    """A one-line sale with ``due_cents`` to pay (nothing paid yet)."""
    line = LineView(1, "水", "Water", Unit.EACH, 1, None, due_cents, due_cents, 0, due_cents, False)
    return SaleView(
        state,
        "T01-20261207-0001",
        (line,),
        subtotal_cents=due_cents,
        total_cents=due_cents,
        balance_due_cents=due_cents,
    )


def sync_status(online: bool | None) -> SyncStatus:
    return SyncStatus(True, online, 0, 0, None, None, None, None, None)


@pytest.fixture
def rig() -> Rig:
    made = Rig()
    made.sell()
    return made


def test_a_sale_with_a_camera_starts_looking(rig: Rig) -> None:
    assert rig.stage is Stage.LOOKING
    assert rig.panels[-1] == rig.panel


def test_a_recognised_member_is_greeted_once(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    assert rig.stage is Stage.GREETING
    assert rig.panel.greeting == ZHANG
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    assert rig.till.calls.count(("recognise", ZHANG.member_id)) == 1


def test_not_me_drops_the_match_and_does_not_greet_that_member_again(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.not_me()
    rig.pump()
    assert rig.stage is Stage.LOOKING
    assert rig.panel.greeting is None
    assert ("forget_member",) in rig.till.calls
    assert rig.face.resets == 1
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    assert rig.stage is Stage.LOOKING
    assert rig.till.calls.count(("recognise", ZHANG.member_id)) == 1


def test_a_member_the_till_does_not_have_is_not_greeted(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, "m-not-pulled-yet")
    assert rig.stage is Stage.LOOKING
    assert rig.panel.greeting is None
    assert rig.till.unhandled == []


def test_an_unknown_face_is_invited_once_and_a_decline_is_not_asked_again(rig: Rig) -> None:
    rig.decide(Outcome.UNKNOWN, why=Why.NO_MEMBER)
    assert rig.stage is Stage.INVITE
    assert rig.panel.consent is not None and rig.panel.consent.version
    rig.checkout.decline_join()
    rig.pump()
    assert rig.stage is Stage.LOOKING
    assert ("decline_enrollment",) in rig.till.calls
    rig.decide(Outcome.UNKNOWN, why=Why.NO_MEMBER)
    assert rig.stage is Stage.LOOKING
    assert [p.stage for p in rig.panels].count(Stage.INVITE) == 1


def test_no_invitation_on_a_till_not_registered_with_the_cloud(rig: Rig) -> None:
    rig.till.registered = False
    rig.decide(Outcome.UNKNOWN, why=Why.NO_MEMBER)
    assert rig.stage is Stage.LOOKING


def test_accepting_the_invitation_enrolls_and_greets_the_new_member(rig: Rig) -> None:
    rig.decide(Outcome.UNKNOWN, why=Why.NO_MEMBER)
    version = rig.panel.consent.version if rig.panel.consent else ""
    rig.checkout.accept_join()
    rig.pump()
    assert ("enroll", version) in rig.till.calls
    assert rig.stage is Stage.GREETING
    assert rig.panel.joined and rig.panel.greeting == LI


def test_a_pay_decision_stages_the_question_with_the_amount_due(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.want_face_pay()
    rig.decide(Outcome.PAY, ZHANG.member_id)
    assert rig.stage is Stage.CONFIRM
    assert rig.panel.prompt == FacePayPrompt(ZHANG.member_id, "Zhang**", 1230)
    assert rig.panel.face_pay_wanted


def test_no_question_is_staged_unless_face_pay_is_wanted(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.decide(Outcome.PAY, ZHANG.member_id)
    assert rig.stage is Stage.GREETING
    assert not any(call[0] == "stage_face_pay" for call in rig.till.calls)


def test_a_cart_change_withdraws_the_question(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.want_face_pay()
    rig.decide(Outcome.PAY, ZHANG.member_id)
    assert rig.stage is Stage.CONFIRM
    rig.checkout.on_sale(sale(1630))  # one more item scanned: the amount asked is wrong
    rig.pump()
    assert ("decline_face_pay",) in rig.till.calls
    assert rig.stage is Stage.LOOKING
    assert rig.panel.prompt is None
    assert rig.panel.notice == "face.looking"


def test_ask_last4_opens_the_keypad_and_the_digits_narrow_the_search(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.want_face_pay()
    rig.decide(Outcome.ASK_LAST4, ZHANG.member_id, why=Why.CLOSE_RUNNER_UP)
    assert rig.stage is Stage.LAST4
    assert rig.panel.notice == "face.last4.hint"
    rig.checkout.enter_last4("12a4")
    assert rig.stage is Stage.LAST4 and rig.face.narrowed == []
    rig.checkout.enter_last4("1234")
    assert rig.face.narrowed == ["1234"]
    assert rig.stage is Stage.LOOKING


def test_narrowed_but_still_below_the_payment_threshold_says_no_match(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.want_face_pay()
    rig.decide(Outcome.ASK_LAST4, ZHANG.member_id, why=Why.BELOW_PAYMENT)
    rig.checkout.enter_last4("1234")
    rig.decide(Outcome.MEMBER, ZHANG.member_id, why=Why.BELOW_PAYMENT)
    assert rig.stage is Stage.FAILED
    assert rig.panel.notice == "face.last4.no_match"
    assert rig.panel.detail == Why.BELOW_PAYMENT


def test_a_spoof_while_face_pay_is_wanted_fails_with_the_decision_code(rig: Rig) -> None:
    rig.checkout.want_face_pay()
    rig.decide(Outcome.SPOOF, why=Why.LIVENESS_FAILED)
    assert rig.stage is Stage.FAILED
    assert rig.panel.notice == "face.failed.not_pay"
    assert rig.panel.detail == "decision.liveness_failed"


def test_an_offline_refusal_shows_the_offline_code_and_its_amounts(rig: Rig) -> None:
    rig.checkout.on_sync(sync_status(online=False))
    assert rig.panel.offline
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.want_face_pay()
    rig.decide(Outcome.PAY, ZHANG.member_id)
    rig.till.confirm_error = OfflineRefused(
        "offline.over_payment_cap", limit_cents=1000, amount_cents=1230
    )
    rig.checkout.confirm()
    assert rig.stage is Stage.PAYING
    rig.pump()
    assert rig.stage is Stage.FAILED
    assert rig.panel.notice == "face.failed.offline"
    assert rig.panel.detail == "offline.over_payment_cap"
    assert rig.panel.detail_params == {"limit_cents": 1000, "amount_cents": 1230}
    assert rig.panel.offline
    rig.checkout.dismiss()
    assert rig.stage is Stage.GREETING


def test_a_bug_shows_only_the_generic_notice(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.want_face_pay()
    rig.decide(Outcome.PAY, ZHANG.member_id)
    rig.till.confirm_error = RuntimeError("disk I/O error at /var/lib/facepay/till.db")
    rig.checkout.confirm()
    rig.pump()
    assert rig.stage is Stage.FAILED
    assert rig.panel.notice == "face.failed.error"
    assert rig.panel.detail == ""


def test_back_online_clears_the_offline_flag(rig: Rig) -> None:
    rig.checkout.on_sync(sync_status(online=False))
    rig.checkout.on_sync(sync_status(online=True))
    assert not rig.panel.offline


def test_the_sale_paid_ends_the_customer_and_keeps_the_greeting(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.on_sale(sale(1230, SaleState.PAID))
    assert rig.stage is Stage.OFF
    assert rig.panel.greeting == ZHANG
    assert rig.face.resets == 1


def test_face_checkout_imports_no_qt() -> None:
    code = "import sys, terminal.app.face_checkout; sys.exit('PySide6' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert done.returncode == 0
