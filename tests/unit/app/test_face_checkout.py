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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from terminal.app.consent import ConsentText, current
from terminal.app.customer_panel import CustomerPanel, Stage
from terminal.app.enrollment import Enrolled
from terminal.app.face_checkout import FaceCheckout, TillActions
from terminal.app.face_waits import (
    LAST4_TIMEOUT_S,
    PAY_FRESH_S,
    QUESTION_TIMEOUT_S,
    RECOGNISING_TIMEOUT_S,
    REFUSED_NOT_FRESH,
    WITHDRAWN_CHANGED,
    WITHDRAWN_NO_FACE,
)
from terminal.app.forget_me import ForgetKind, ForgetRefused
from terminal.app.member_views import FacePayPrompt, Greeting
from terminal.app.sale_view import IDLE, LineView, SaleState, SaleView
from terminal.app.tasks import Pending
from terminal.app.tender_result import TenderResult
from terminal.domain.catalog import Unit
from terminal.domain.errors import PaymentError
from terminal.domain.face_probe import FaceProbe
from terminal.face.decide import Decision, Outcome, Why
from terminal.face.detect import Face
from terminal.face.embed import Embedding
from terminal.face.gallery import Gallery
from terminal.face.worker import FaceEvent, TemplateResult
from terminal.payments.errors import OfflineRefused, UnknownMember
from terminal.sync.status import SyncStatus

ROOT = Path(__file__).resolve().parents[3]
ZHANG = Greeting(member_id="m-zhang", name="Zhang**", points=120, balance_cents=5000)
LI = Greeting(member_id="m-li", name="Li**", points=0, balance_cents=0)
PROBE = FaceProbe("sface_2021dec", np.ones(128, dtype="<f4").tobytes(), 0.95)
A_FACE = Face((200.0, 120.0, 180.0, 200.0), np.zeros((5, 2), dtype=np.float32), 0.9)
FRAME_S = 0.25  # a frame's decision every quarter second (the worker on a slow till)


class FakeTill:
    """``TillActions`` with scripted answers; every call is written down."""

    def __init__(self) -> None:
        self.registered = True
        self.members = {ZHANG.member_id: ZHANG, LI.member_id: LI}
        self.calls: list[tuple[object, ...]] = []
        self.probes: list[FaceProbe] = []
        self.inbox: list[Callable[[], None]] = []
        self.unhandled: list[BaseException] = []
        self.due_cents = 1230
        self.confirm_error: BaseException | None = None
        self.forget_error: BaseException | None = None

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

    def confirm_face_pay(self, probe: FaceProbe) -> Pending[TenderResult]:
        self.calls.append(("confirm_face_pay",))
        self.probes.append(probe)
        return self._answer("confirm_face_pay", None, self.confirm_error)

    def enroll(
        self,
        embedding: Embedding,
        consents: Sequence[ConsentText],
        *,
        gallery: Gallery | None = None,
    ) -> Pending[Enrolled]:
        versions = tuple(text.version for text in consents)
        self.calls.append(("enroll", versions))
        return self._answer("enroll", Enrolled(LI.member_id, "e-1", versions))

    def decline_enrollment(self) -> Pending[None]:
        self.calls.append(("decline_enrollment",))
        return self._answer("decline_enrollment", None)

    # -- plumbing ----------------------------------------------------------------

    def ask_forget_code(self, member_id: str) -> Pending[str]:
        self.calls.append(("ask_forget_code", member_id))
        return self._answer("ask_forget_code", "otp-1")

    def forget(
        self, member_id: str, kind: ForgetKind, *, otp_id: str, code: str, face_verified: bool
    ) -> Pending[None]:
        self.calls.append(("forget", member_id, str(kind), otp_id, code, face_verified))
        return self._answer("forget", None, self.forget_error)

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


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Rig:
    def __init__(self) -> None:
        self.till = FakeTill()
        self.face = FakeFace()
        self.clock = FakeClock()
        self.posted: list[Callable[[], None]] = []
        self.panels: list[CustomerPanel] = []
        till: TillActions = self.till  # the fake offers the interface the checkout uses
        self.checkout = FaceCheckout(
            till,
            self.face,
            post=self.posted.append,
            show_panel=self.panels.append,
            clock=self.clock,
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

    def decide(
        self,
        outcome: Outcome,
        member_id: str | None = None,
        why: Why = Why.NONE,
        *,
        face: bool = True,
    ) -> None:
        """One frame's event, grabbed now; ``face=False``: nobody in the frame."""
        decision = Decision(outcome, member_id, score=0.7, margin=0.3, votes=3, reason=why)
        primary = A_FACE if face else None
        faces = (A_FACE,) if face else ()
        now = self.clock.now
        probe = PROBE if outcome is Outcome.PAY and face else None
        self.checkout.on_face(
            FaceEvent(1, now, (640, 480), faces, primary, "", "", None, decision, now, {}, probe)
        )
        self.pump()

    def hold(
        self,
        seconds: float,
        outcome: Outcome,
        member_id: str | None = None,
        why: Why = Why.NONE,
        *,
        face: bool = True,
    ) -> None:
        """The same decision frame after frame for ``seconds``."""
        for _ in range(round(seconds / FRAME_S)):
            self.clock.advance(FRAME_S)
            self.decide(outcome, member_id, why, face=face)

    def ask(self) -> None:
        """Zhang is greeted, wants face pay, and the question is on screen."""
        self.decide(Outcome.MEMBER, ZHANG.member_id)
        self.checkout.want_face_pay()
        self.decide(Outcome.PAY, ZHANG.member_id)
        assert self.stage is Stage.CONFIRM

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
    assert rig.panel.consent == current("membership")
    rig.checkout.accept_join()
    rig.pump()
    # Face pay is a separate consent, on its own page: nothing is enrolled yet.
    assert rig.stage is Stage.INVITE and rig.panel.consent == current("face_pay")
    assert not any(call[0] == "enroll" for call in rig.till.calls)
    rig.checkout.accept_join()
    rig.pump()
    versions = (current("membership").version, current("face_pay").version)
    assert ("enroll", versions) in rig.till.calls
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


# -- the question is bound to the face; every face wait ends ------------------------


def test_the_question_stays_while_the_members_pay_decision_keeps_coming(rig: Rig) -> None:
    rig.ask()
    rig.hold(5.0, Outcome.PAY, ZHANG.member_id)
    assert rig.stage is Stage.CONFIRM
    rig.checkout.confirm()
    assert rig.stage is Stage.PAYING
    assert ("confirm_face_pay",) in rig.till.calls


def test_a_stranger_after_the_pay_decision_cannot_confirm(rig: Rig) -> None:
    rig.ask()
    # The member steps away; a stranger steps in front of the camera.
    rig.hold(1.0, Outcome.UNKNOWN, why=Why.NO_MEMBER)
    assert rig.stage is Stage.CONFIRM  # within the freshness window: decisions lag a frame
    rig.hold(0.75, Outcome.UNKNOWN, why=Why.NO_MEMBER)
    assert rig.stage is Stage.LOOKING
    assert rig.panel.prompt is None
    assert rig.panel.detail == WITHDRAWN_CHANGED
    assert rig.panel.face_pay_wanted
    assert ("decline_face_pay",) in rig.till.calls
    rig.checkout.confirm()  # a press that was on its way
    rig.pump()
    assert ("confirm_face_pay",) not in rig.till.calls
    # The member comes back: the question is asked again.
    rig.decide(Outcome.PAY, ZHANG.member_id)
    assert rig.stage is Stage.CONFIRM


def test_another_members_pay_decision_ends_the_question_at_once(rig: Rig) -> None:
    rig.ask()
    rig.clock.advance(FRAME_S)
    rig.decide(Outcome.PAY, LI.member_id)
    assert rig.stage is Stage.LOOKING
    assert rig.panel.detail == WITHDRAWN_CHANGED
    rig.checkout.confirm()
    assert ("confirm_face_pay",) not in rig.till.calls


def test_a_confirm_press_after_freshness_lapsed_is_refused_with_a_reason(rig: Rig) -> None:
    rig.ask()
    rig.clock.advance(PAY_FRESH_S + 0.1)  # no frame since (the camera stalled), no tick
    rig.checkout.confirm()
    rig.pump()
    assert ("confirm_face_pay",) not in rig.till.calls
    assert ("decline_face_pay",) in rig.till.calls
    assert rig.stage is Stage.LOOKING
    assert rig.panel.detail == REFUSED_NOT_FRESH
    assert rig.panel.notice == "face.looking"


def test_nobody_in_front_withdraws_the_question_after_the_freshness_window(rig: Rig) -> None:
    rig.ask()
    rig.hold(1.25, Outcome.SEARCHING, why=Why.NO_FACE, face=False)
    assert rig.stage is Stage.CONFIRM
    rig.hold(0.5, Outcome.SEARCHING, why=Why.NO_FACE, face=False)
    assert rig.stage is Stage.LOOKING
    assert rig.panel.detail == WITHDRAWN_NO_FACE
    assert ("decline_face_pay",) in rig.till.calls
    assert ("confirm_face_pay",) not in rig.till.calls


def test_tick_withdraws_the_question_when_no_frame_comes(rig: Rig) -> None:
    rig.ask()
    rig.clock.advance(PAY_FRESH_S - 0.1)
    rig.checkout.tick()
    assert rig.stage is Stage.CONFIRM
    rig.clock.advance(0.2)
    rig.checkout.tick()
    assert rig.stage is Stage.LOOKING
    assert rig.panel.detail == WITHDRAWN_NO_FACE


def test_the_question_times_out_after_20_s_with_a_way_out(rig: Rig) -> None:
    rig.ask()
    rig.hold(QUESTION_TIMEOUT_S - 1.0, Outcome.PAY, ZHANG.member_id)
    assert rig.stage is Stage.CONFIRM
    rig.hold(1.0, Outcome.PAY, ZHANG.member_id)
    assert rig.stage is Stage.TIMED_OUT
    assert rig.panel.notice == "face.timeout.question"
    assert rig.panel.prompt is None and not rig.panel.face_pay_wanted
    assert ("decline_face_pay",) in rig.till.calls
    rig.checkout.confirm()
    assert ("confirm_face_pay",) not in rig.till.calls
    # Frames do not move the way-out page on; "try again" asks anew.
    rig.decide(Outcome.PAY, ZHANG.member_id)
    assert rig.stage is Stage.TIMED_OUT
    rig.checkout.try_again()
    rig.pump()
    assert rig.stage is Stage.CONFIRM


def test_pay_another_way_after_a_timeout_goes_back_to_the_cart(rig: Rig) -> None:
    rig.ask()
    rig.clock.advance(QUESTION_TIMEOUT_S)
    rig.checkout.tick()
    assert rig.stage is Stage.TIMED_OUT
    rig.checkout.dismiss()
    assert rig.stage is Stage.GREETING
    assert not rig.panel.face_pay_wanted
    rig.hold(30.0, Outcome.PAY, ZHANG.member_id)
    assert rig.stage is Stage.GREETING  # no face pay asked: nothing waits, nothing times out


def test_not_me_during_face_pay_offers_the_last4_pad_or_another_tender(rig: Rig) -> None:
    rig.ask()
    rig.checkout.not_me()
    rig.pump()
    assert rig.stage is Stage.NOT_ME
    assert rig.panel.notice == "face.not_me.choose"
    assert rig.panel.greeting is None
    assert ("forget_member",) in rig.till.calls
    rig.hold(RECOGNISING_TIMEOUT_S + 5, Outcome.PAY, ZHANG.member_id)
    assert rig.stage is Stage.NOT_ME  # no search without end: the customer chooses
    rig.checkout.use_last4()
    assert rig.stage is Stage.LAST4
    assert rig.panel.notice == "face.last4.not_me"
    rig.checkout.enter_last4("5678")
    assert rig.face.narrowed == ["5678"]
    assert rig.stage is Stage.LOOKING and rig.panel.face_pay_wanted
    # Among the members with those digits, Li pays.
    rig.decide(Outcome.PAY, LI.member_id)
    assert rig.stage is Stage.CONFIRM
    assert rig.panel.prompt is not None and rig.panel.prompt.member_id == LI.member_id


def test_not_me_then_another_tender_ends_face_pay(rig: Rig) -> None:
    rig.ask()
    rig.checkout.not_me()
    rig.checkout.dismiss()
    rig.pump()
    assert rig.stage is Stage.LOOKING
    assert not rig.panel.face_pay_wanted
    assert ("confirm_face_pay",) not in rig.till.calls


def test_recognising_times_out_with_a_way_out_and_says_why(rig: Rig) -> None:
    rig.checkout.want_face_pay()  # F10 with nobody recognised yet
    assert rig.stage is Stage.LOOKING and rig.panel.face_pay_wanted
    rig.hold(10.0, Outcome.SEARCHING, why=Why.NO_FACE, face=False)
    rig.decide(Outcome.MEMBER, ZHANG.member_id)  # greeted: not a new wait
    assert rig.stage is Stage.GREETING
    rig.hold(RECOGNISING_TIMEOUT_S - 10.0, Outcome.MEMBER, ZHANG.member_id, Why.LIVENESS_PENDING)
    assert rig.stage is Stage.TIMED_OUT
    assert rig.panel.notice == "face.timeout.recognising"
    assert rig.panel.detail == Why.LIVENESS_PENDING
    assert not any(call[0] == "stage_face_pay" for call in rig.till.calls)
    rig.checkout.try_again()
    assert rig.stage is Stage.LOOKING and rig.panel.face_pay_wanted
    rig.clock.advance(RECOGNISING_TIMEOUT_S - 1)
    rig.checkout.tick()
    assert rig.stage is Stage.LOOKING  # a fresh wait
    rig.clock.advance(1)
    rig.checkout.tick()
    assert rig.stage is Stage.TIMED_OUT


def test_recognising_times_out_on_tick_when_the_camera_sends_nothing(rig: Rig) -> None:
    rig.checkout.want_face_pay()
    rig.clock.advance(RECOGNISING_TIMEOUT_S)
    rig.checkout.tick()
    assert rig.stage is Stage.TIMED_OUT
    assert rig.panel.notice == "face.timeout.recognising"
    assert rig.panel.detail == ""


def test_the_last4_pad_times_out_and_try_again_opens_it_afresh(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.want_face_pay()
    rig.decide(Outcome.ASK_LAST4, ZHANG.member_id, why=Why.CLOSE_RUNNER_UP)
    assert rig.stage is Stage.LAST4
    rig.hold(LAST4_TIMEOUT_S - 1.0, Outcome.ASK_LAST4, ZHANG.member_id, Why.CLOSE_RUNNER_UP)
    assert rig.stage is Stage.LAST4  # frames do not restart nor end the keypad
    rig.clock.advance(1.0)
    rig.checkout.enter_last4("1234")  # too late: not taken
    assert rig.face.narrowed == []
    assert rig.stage is Stage.TIMED_OUT
    assert rig.panel.notice == "face.timeout.last4"
    rig.checkout.try_again()
    assert rig.stage is Stage.LAST4
    rig.clock.advance(LAST4_TIMEOUT_S - 1.0)
    rig.checkout.enter_last4("1234")
    assert rig.face.narrowed == ["1234"]


def test_a_stranger_narrowed_by_digits_is_not_invited_and_the_wait_times_out(rig: Rig) -> None:
    rig.checkout.want_face_pay()
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.not_me()
    rig.checkout.use_last4()
    rig.checkout.enter_last4("0000")
    rig.hold(RECOGNISING_TIMEOUT_S, Outcome.UNKNOWN, why=Why.NO_MEMBER)
    assert Stage.INVITE not in [p.stage for p in rig.panels]
    assert rig.stage is Stage.TIMED_OUT
    assert rig.panel.detail == Why.NO_MEMBER


def test_face_checkout_imports_no_qt() -> None:
    code = "import sys, terminal.app.face_checkout; sys.exit('PySide6' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert done.returncode == 0


def test_the_code_step_asks_for_the_amount_due_and_takes_one_code(rig: Rig) -> None:
    seconds = rig.checkout.ask_for_code()
    assert seconds > 0 and rig.stage is Stage.SHOW_CODE
    assert rig.panel.code_cents == 1230
    # Frames do not move the step on (the person behind is not greeted over it).
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    assert rig.stage is Stage.SHOW_CODE
    now = rig.clock()
    assert not rig.checkout.code_step.take("T01-20261207-9999", now)  # another sale
    assert rig.checkout.code_step.take("T01-20261207-0001", now)
    assert not rig.checkout.code_step.take("T01-20261207-0001", now)  # once


def test_the_code_step_times_out_back_to_the_sale_and_cancel_closes_it(rig: Rig) -> None:
    rig.checkout.ask_for_code()
    rig.clock.advance(31.0)
    rig.checkout.tick()
    assert rig.stage is Stage.LOOKING
    assert not rig.checkout.code_step.take("T01-20261207-0001", rig.clock())
    rig.checkout.ask_for_code()
    rig.checkout.dismiss()
    assert rig.stage is Stage.LOOKING
    assert not rig.checkout.code_step.take("T01-20261207-0001", rig.clock())


def test_no_code_step_without_anything_due(rig: Rig) -> None:
    rig.checkout.on_sale(sale(0))
    assert rig.checkout.ask_for_code() == 0.0
    assert rig.stage is not Stage.SHOW_CODE


def test_declining_face_pay_after_membership_enrolls_nothing(rig: Rig) -> None:
    rig.decide(Outcome.UNKNOWN, why=Why.NO_MEMBER)
    rig.checkout.accept_join()
    rig.pump()
    assert rig.panel.consent == current("face_pay")
    rig.checkout.decline_join()
    rig.pump()
    assert not any(call[0] == "enroll" for call in rig.till.calls)
    assert ("decline_enrollment",) in rig.till.calls


def test_confirm_sends_the_face_of_the_pay_decision_as_evidence(rig: Rig) -> None:
    rig.ask()
    rig.decide(Outcome.PAY, ZHANG.member_id)
    rig.checkout.confirm()
    assert rig.till.probes == [PROBE]


def test_a_member_deletes_their_face_with_the_code_from_their_phone(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    assert rig.stage is Stage.GREETING
    rig.checkout.forget_me()
    assert rig.stage is Stage.FORGET
    rig.checkout.forget("face_pay")
    rig.pump()
    assert ("ask_forget_code", ZHANG.member_id) in rig.till.calls
    assert rig.stage is Stage.FORGET_CODE and rig.panel.notice == "forget.code.sent"
    rig.checkout.enter_forget_code("12345")  # too short: nothing sent
    assert not any(call[0] == "forget" for call in rig.till.calls)
    rig.checkout.enter_forget_code("123456")
    rig.pump()
    assert ("forget", ZHANG.member_id, "face_pay", "otp-1", "123456", True) in rig.till.calls
    assert rig.stage is Stage.FORGET_DONE and rig.panel.notice == "forget.done.face"
    assert ("forget_member",) in rig.till.calls  # guest prices from here on
    assert rig.panel.greeting is None
    # The member's face in the next frames greets nobody.
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    assert rig.stage is Stage.FORGET_DONE
    rig.checkout.dismiss()
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    assert rig.stage is Stage.LOOKING


def test_a_wrong_code_stays_on_the_keypad_with_the_tries_left(rig: Rig) -> None:
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.forget_me()
    rig.checkout.forget("membership")
    rig.pump()
    rig.till.forget_error = ForgetRefused("forget.code_wrong", tries_left=4)
    rig.checkout.enter_forget_code("000000")
    rig.pump()
    assert rig.stage is Stage.FORGET_CODE
    assert (rig.panel.notice, rig.panel.detail) == ("forget.code.wrong", "forget.code_wrong")
    assert rig.panel.detail_params == {"tries_left": 4}
    rig.till.forget_error = ForgetRefused("forget.offline")
    rig.checkout.enter_forget_code("000001")
    rig.pump()
    assert rig.stage is Stage.FAILED and rig.panel.detail == "forget.offline"
    assert rig.panel.greeting == ZHANG  # nothing was deleted: still the member


def test_forgetting_needs_a_greeted_member_and_can_be_cancelled(rig: Rig) -> None:
    rig.checkout.forget_me()
    assert rig.stage is not Stage.FORGET  # nobody recognised: nothing to delete
    rig.decide(Outcome.MEMBER, ZHANG.member_id)
    rig.checkout.forget_me()
    rig.checkout.dismiss()
    assert rig.stage is Stage.GREETING
    assert not any(call[0] in ("ask_forget_code", "forget") for call in rig.till.calls)
