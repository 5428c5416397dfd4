"""``FaceCheckout``: the face side of a sale, from the first frame to "paid by face".

It listens to the face worker's decisions, the sale and the sync status, asks the ``Till``
to act (recognise, stage and confirm a face payment, enroll), and publishes what the
customer screen shows as a ``CustomerPanel``. The customer's buttons (``FaceActions``)
come back here. All of it runs on one thread, the GUI thread in the product: worker
events and till results reach it through ``post``/the till's ``deliver``, so its state
needs no lock. No Qt here, so the rules are tested without a screen.

The rules, in the order a customer meets them:
- a member recognised (membership threshold, votes over frames) is greeted once, and the
  sale gets member prices; "Not me" drops the match and the member prices;
- an unknown face is invited to join, once per customer: the consent text with its
  version; declining stores nothing and is not asked again; accepting makes a template
  from the frames already seen and enrolls it at once (usable in the next sale, offline);
- face pay, once wanted (the customer's button or the cashier's key): a PAY decision
  (payment threshold, margin, liveness) stages the question "Zhang**, pay 12.30?"; an
  unclear one asks for the phone's last 4 digits and searches again among those members;
- the question is bound to the face: Confirm counts only while the same member's PAY
  decision is fresh (``FaceWaits.pay_fresh_s`` since the last frame that said so); when
  the face goes or the decision changes for longer than that, the question is withdrawn
  (back to looking, with a reason code), and a late press is refused the same way;
- "Not me" during face pay offers the phone's last 4 digits or another tender;
- every face wait (recognising, the question, the keypad) ends after its ``FaceWaits``
  time in TIMED_OUT, whose buttons are "try again" and "pay another way";
- the customer confirms, the till pays (online, or offline within the caps), and the sale
  closes like any other; a refusal says why and lets them pay another way.

This module routes: which input leads to which step. The steps live in their own modules
and share one ``FaceSession`` (``face_session``: the state and the panel shown):
greeting, "Not me" and joining in ``face_membership``; "delete my data" in
``face_forget``; the question's lifecycle in ``face_question``; the keypad in
``face_last4``; deadlines in ``face_timeouts``; the message ids in ``face_notices``;
what the till and the face worker are asked in
``face_ports``. What must not live here: the steps themselves, words, Qt.

Time is the injected monotonic ``clock`` (``FaceClock`` and the times, ``FaceWaits``, are
in ``face_waits``). Deadlines are checked on every face event (the worker sends one a
frame while the camera runs), on every press that a deadline guards, and on ``tick()``,
which the front end's timer calls so a stalled camera times out too.

Why is always a code, never a sentence: decisions carry a ``Why`` code, refusals a
``TillError`` code; the panel passes them on as ``notice`` and ``detail`` message ids for
the screens to translate.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from terminal.app.code_step import CodeStep
from terminal.app.customer_panel import OFF, CustomerPanel, FaceBox, FaceOverlay, Stage
from terminal.app.face_forget import ForgetMe
from terminal.app.face_last4 import Last4Keypad
from terminal.app.face_membership import Membership
from terminal.app.face_notices import (
    _ENROLL_CODES,
    PUBLISHED_CODES,
    enrollment_detail,
    failure_notice,
)
from terminal.app.face_ports import FaceControl, Post, TillActions
from terminal.app.face_question import FacePayQuestion
from terminal.app.face_session import FaceSession
from terminal.app.face_timeouts import FaceTimeouts
from terminal.app.face_waits import Clock, FaceClock, FaceWaits, Wait
from terminal.app.sale_view import SaleState, SaleView
from terminal.face.decide import Decision, Outcome, Why
from terminal.face.gallery import Gallery
from terminal.face.worker import FaceEvent
from terminal.sync.status import SyncStatus

# Importable from here as before (the screens, the tests).
__all__ = [
    "PUBLISHED_CODES",
    "_ENROLL_CODES",
    "FaceCheckout",
    "FaceControl",
    "Post",
    "TillActions",
    "enrollment_detail",
    "failure_notice",
    "overlay_of",
]

_RECOGNISED = (Outcome.MEMBER, Outcome.PAY, Outcome.ASK_LAST4)
# Stages that wait for the customer (or the till): new frames do not move them on (the
# question's freshness is still tracked).
_WAITING = (
    Stage.INVITE,
    Stage.ENROLLING,
    Stage.CONFIRM,
    Stage.LAST4,
    Stage.PAYING,
    Stage.FAILED,
    Stage.NOT_ME,
    Stage.TIMED_OUT,
    Stage.SHOW_CODE,
    Stage.FORGET,
    Stage.FORGET_CODE,
    Stage.FORGET_DONE,
)


def overlay_of(event: FaceEvent) -> FaceOverlay:
    boxes = tuple(FaceBox(*face.box, primary=face is event.primary) for face in event.faces)
    if event.guidance_code:
        guidance = f"face.guide.{event.guidance_code}"
    elif event.primary is None:
        guidance = "face.guide.no_face"
    else:
        guidance = ""
    width, height = event.frame_size
    return FaceOverlay(event.seq, width, height, boxes, guidance)


class FaceCheckout:
    """See the module docstring. Implements ``FaceActions`` for the screens."""

    def __init__(
        self,
        till: TillActions,
        face: FaceControl | None,
        *,
        post: Post,
        show_panel: Callable[[CustomerPanel], None],
        show_overlay: Callable[[FaceOverlay], None] = lambda overlay: None,
        gallery: Gallery | None = None,
        clock: Clock = time.monotonic,
        waits: FaceWaits | None = None,
    ) -> None:
        self._till = till
        self._face = face
        self._show_overlay = show_overlay
        # The same clock as ``FaceEvent.frame_time`` (time.monotonic in the product).
        self._session = FaceSession(show_panel, FaceClock(clock, waits or FaceWaits()))
        timeouts = FaceTimeouts(self._session, till)
        self._question = FacePayQuestion(self._session, till, timeouts)
        self._keypad = Last4Keypad(self._session, face, timeouts)
        self._membership = Membership(
            self._session, till, face, post=post, then_pay=self._pay_step, gallery=gallery
        )
        self._forget = ForgetMe(self._session, till)
        self._forget.gallery = gallery
        # When a payment code the camera sees may pay (the front end's camera reader asks).
        self.code_step = CodeStep()
        self._primary_centre: tuple[float, float] | None = None

    @property
    def panel(self) -> CustomerPanel:
        """What the customer screen shows now."""
        return self._session.panel

    @property
    def gallery(self) -> Gallery | None:
        """Where a new member's template goes; the front end sets it on a reload."""
        return self._membership.gallery

    @gallery.setter
    def gallery(self, gallery: Gallery | None) -> None:
        self._membership.gallery = gallery
        self._forget.gallery = gallery

    # -- inputs ------------------------------------------------------------------

    def on_sale(self, view: SaleView) -> None:
        session = self._session
        was_selling = session.selling
        session.view = view
        if was_selling and not session.selling:
            # The customer is done: the next face is a new customer.
            greeting = session.member if view.state is SaleState.PAID else None
            if self._face is not None:
                self._face.reset()
            session.new_customer()
            session.publish(dataclasses.replace(OFF, greeting=greeting, offline=session.offline))
        elif session.selling and session.panel.stage is Stage.OFF and self._face is not None:
            session.show(Stage.LOOKING)
        else:
            self._question.follow_cart(view)

    def on_sync(self, status: SyncStatus) -> None:
        session = self._session
        offline = status.registered and status.online is False  # None: not tried yet
        if offline != session.offline:
            session.offline = offline
            session.publish(dataclasses.replace(session.panel, offline=offline))

    @property
    def primary_centre(self) -> tuple[float, float] | None:
        """The centre of the face being served in the last frame (frame pixels), read by
        the camera's code reader from its own thread: a whole tuple, swapped at once."""
        return self._primary_centre

    def on_face(self, event: FaceEvent) -> None:
        session = self._session
        primary = event.primary
        self._primary_centre = (
            (primary.box[0] + primary.box[2] / 2, primary.box[1] + primary.box[3] / 2)
            if primary is not None
            else None
        )
        self._show_overlay(overlay_of(event))
        decision = event.decision
        if session.selling:
            now = session.time.now()
            session.last = decision
            session.time.saw(event, now)
            if decision.outcome is Outcome.PAY and decision.member_id and event.probe:
                session.probe = (decision.member_id, event.probe)
            if self._question.check_time(now):
                return
        # A customer invited to join who turns out to be a member (the gallery caught up,
        # or the frames settled) is greeted instead: the invitation goes away.
        recognised_while_invited = (
            session.panel.stage is Stage.INVITE and decision.outcome in _RECOGNISED
        )
        if not session.selling or session.busy:
            return
        if session.panel.stage in _WAITING and not recognised_while_invited:
            return
        member_id = decision.member_id
        if decision.outcome in _RECOGNISED and member_id and member_id not in session.not_me:
            if session.member is None or session.member.member_id != member_id:
                self._membership.recognise(member_id)
                return
            if session.wanted:
                self._pay_step(decision)
        elif decision.outcome is Outcome.UNKNOWN and session.member is None:
            # Narrowed by the digits and still nobody: the recognising wait times out
            # (no invitation to join in the middle of paying).
            if session.narrowed:
                return
            if self._membership.may_invite:
                self._membership.invite()
            elif session.wanted:
                session.fail("face.failed.not_pay", decision.reason)
        elif decision.outcome is Outcome.SPOOF and session.wanted:
            session.fail("face.failed.not_pay", decision.reason)

    def tick(self, now: float | None = None) -> None:
        """The front end's timer: deadlines and freshness when no frame comes."""
        session = self._session
        if not session.selling:
            return
        now = session.time.now() if now is None else now
        if session.panel.stage is Stage.SHOW_CODE:
            if not self.code_step.is_open(now):  # no code shown in time: back to the sale
                session.show(Stage.GREETING if session.member else Stage.LOOKING)
            return
        self._question.check_time(now)

    # -- FaceActions (the customer's and the cashier's buttons) --------------------

    def want_face_pay(self) -> None:
        session = self._session
        if not session.selling or session.view.balance_due_cents <= 0:
            return
        if session.panel.stage in (Stage.CONFIRM, Stage.PAYING, Stage.ENROLLING):
            return
        session.wanted = True
        session.time.restart()  # asked again: a fresh wait
        last = session.last
        if (
            session.time.recent(session.time.now())
            and session.member is not None
            and last.member_id == session.member.member_id
        ):
            self._pay_step(last)
            if session.panel.stage not in (Stage.LOOKING, Stage.GREETING, Stage.TIMED_OUT):
                return
        session.show(Stage.LOOKING, notice="face.looking")

    def ask_for_code(self) -> float:
        """The code step: the customer shows a wallet payment code to the camera, which
        then pays this sale's balance (once, within ``CodeStep.step_s``)."""
        session = self._session
        if not session.selling or session.view.balance_due_cents <= 0:
            return 0.0
        if session.panel.stage in (Stage.CONFIRM, Stage.PAYING, Stage.ENROLLING):
            return 0.0
        if session.panel.stage is Stage.LAST4 or session.wanted:
            self.dismiss()  # one way to pay at a time: face pay is dropped
        self.code_step.open(session.view.order_no, session.time.now())
        session.publish(
            CustomerPanel(
                stage=Stage.SHOW_CODE,
                greeting=session.member,
                code_cents=session.view.balance_due_cents,
                offline=session.offline,
            )
        )
        return self.code_step.step_s

    def confirm(self) -> None:
        self._question.confirm()

    def not_me(self) -> None:
        self._membership.not_me()

    def use_last4(self) -> None:
        self._keypad.use_last4()

    def try_again(self) -> None:
        session = self._session
        if session.panel.stage is not Stage.TIMED_OUT:
            return
        if session.timed_out is Wait.LAST4 and self._face is not None:
            self._keypad.reopen()
        else:
            self.want_face_pay()

    def accept_join(self) -> None:
        self._membership.accept_join()

    def decline_join(self) -> None:
        self._membership.decline_join()

    def enter_last4(self, digits: str) -> None:
        self._keypad.enter_last4(digits)

    def forget_me(self) -> None:
        self._forget.start()

    def forget(self, kind: str) -> None:
        self._forget.choose(kind)

    def enter_forget_code(self, digits: str) -> None:
        self._forget.enter_code(digits)

    def dismiss(self) -> None:
        session = self._session
        self.code_step.close()
        if session.panel.stage is Stage.CONFIRM:
            self._till.decline_face_pay()
        session.wanted = False
        session.busy = False
        session.show(Stage.GREETING if session.member else Stage.LOOKING)

    # -- steps -------------------------------------------------------------------

    def _pay_step(self, decision: Decision) -> None:
        """Face pay is wanted and ``decision`` is about someone: the next step for the
        greeted member (the question, the keypad, or no match after the keypad)."""
        member = self._session.member
        if member is None or decision.member_id != member.member_id:
            return
        if decision.outcome is Outcome.PAY:
            self._question.stage(member.member_id, decision)
        elif decision.outcome is Outcome.ASK_LAST4 and not self._session.narrowed:
            self._keypad.ask()
        elif (
            decision.outcome is Outcome.MEMBER
            and self._session.narrowed
            and decision.reason == Why.BELOW_PAYMENT
        ):
            self._keypad.no_match(decision.reason)
