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
- the customer confirms, the till pays (online, or offline within the caps), and the sale
  closes like any other; a refusal says why and lets them pay another way.

Why is always a code, never a sentence: decisions carry a ``Why`` code, refusals a
``TillError`` code; the panel passes them on as ``notice`` and ``detail`` message ids for
the screens to translate.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from typing import Protocol

from terminal.app.consent import CURRENT, ConsentText
from terminal.app.customer_panel import OFF, CustomerPanel, FaceBox, FaceOverlay, Stage
from terminal.app.enrollment import Enrolled
from terminal.app.member_views import FacePayPrompt, Greeting
from terminal.app.sale_view import IDLE, SaleState, SaleView
from terminal.app.tasks import Pending
from terminal.app.tender_result import TenderResult
from terminal.errors import TillError
from terminal.face.decide import Decision, Outcome, Why
from terminal.face.embed import Embedding
from terminal.face.errors import EnrollmentRefused
from terminal.face.gallery import Gallery
from terminal.face.worker import FaceEvent, TemplateResult
from terminal.payments.errors import OfflineRefused, PaymentUnresolved, UnknownMember
from terminal.sync.status import SyncStatus

log = logging.getLogger(__name__)

Post = Callable[[Callable[[], None]], None]
_RECOGNISED = (Outcome.MEMBER, Outcome.PAY, Outcome.ASK_LAST4)
# Stages that wait for the customer (or the till): new frames do not move them on.
_WAITING = (Stage.INVITE, Stage.ENROLLING, Stage.CONFIRM, Stage.PAYING, Stage.FAILED)


class TillActions(Protocol):
    """What the face checkout asks of the till (``terminal.app.till.Till`` is one); each
    call returns at once with a ``Pending`` whose callbacks run on this thread."""

    @property
    def registered(self) -> bool: ...

    def recognise(self, member_id: str) -> Pending[Greeting]: ...

    def forget_member(self) -> Pending[SaleView]: ...

    def stage_face_pay(self, member_id: str, decision: Decision) -> Pending[FacePayPrompt]: ...

    def decline_face_pay(self) -> Pending[None]: ...

    def confirm_face_pay(self) -> Pending[TenderResult]: ...

    def enroll(
        self, embedding: Embedding, consent_version: str, *, gallery: Gallery | None = None
    ) -> Pending[Enrolled]: ...

    def decline_enrollment(self) -> Pending[None]: ...


class FaceControl(Protocol):
    """What the checkout asks of the face worker (``FaceWorker`` is one)."""

    def narrow(self, last4: str) -> None: ...

    def reset(self) -> None: ...

    def request_template(self, callback: Callable[[TemplateResult], None]) -> None: ...


# Enrollment refusals of the face package that have their own text; the others are the
# quality gate's guidance codes ("too_far", "blurry", ...), shown as that guidance.
_ENROLL_CODES = frozenset({"no_face", "liveness", "inconsistent"})


def failure_notice(error: BaseException) -> str:
    """The customer screen's message id for a refused face payment or enrollment."""
    if isinstance(error, OfflineRefused):
        return "face.failed.offline"
    if isinstance(error, PaymentUnresolved):
        return "face.failed.unresolved"
    if isinstance(error, UnknownMember):
        return "face.failed.unknown_member"
    if isinstance(error, EnrollmentRefused):
        return "face.failed.enroll"
    return "face.failed.error"


def enrollment_detail(refused: EnrollmentRefused) -> str:
    """The message id that says why enrollment was refused."""
    if refused.code in _ENROLL_CODES:
        return f"enroll.{refused.code}"
    return f"face.guide.{refused.code}"


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
    ) -> None:
        self._till = till
        self._face = face
        self._post = post
        self._show_panel = show_panel
        self._show_overlay = show_overlay
        self.gallery = gallery
        self.panel: CustomerPanel = OFF
        self._view: SaleView = IDLE
        self._offline = False
        self._new_customer()

    def _new_customer(self) -> None:
        self._member: Greeting | None = None
        self._joined = False
        self._recognising: str | None = None
        self._not_me: set[str] = set()
        self._declined_join = False
        self._wanted = False
        self._narrowed = False
        self._busy = False  # an intent of ours is in flight: frames wait
        self._last: Decision = Decision(Outcome.SEARCHING)

    # -- inputs ------------------------------------------------------------------

    def on_sale(self, view: SaleView) -> None:
        was_selling = self._selling
        self._view = view
        if was_selling and not self._selling:
            # The customer is done: the next face is a new customer.
            greeting = self._member if view.state is SaleState.PAID else None
            if self._face is not None:
                self._face.reset()
            self._new_customer()
            self._set(dataclasses.replace(OFF, greeting=greeting, offline=self._offline))
        elif self._selling and self.panel.stage is Stage.OFF and self._face is not None:
            self._set(self._panel(Stage.LOOKING))
        elif (
            self.panel.stage is Stage.CONFIRM
            and self.panel.prompt is not None
            and view.balance_due_cents != self.panel.prompt.amount_cents
        ):
            # The cart changed under the question: the amount asked is no longer right.
            self._till.decline_face_pay()
            self._set(self._panel(Stage.LOOKING, notice="face.looking"))

    def on_sync(self, status: SyncStatus) -> None:
        offline = status.registered and status.online is False  # None: not tried yet
        if offline != self._offline:
            self._offline = offline
            self._set(dataclasses.replace(self.panel, offline=offline))

    def on_face(self, event: FaceEvent) -> None:
        self._show_overlay(overlay_of(event))
        decision = event.decision
        # A customer invited to join who turns out to be a member (the gallery caught up,
        # or the frames settled) is greeted instead: the invitation goes away.
        recognised_while_invited = (
            self.panel.stage is Stage.INVITE and decision.outcome in _RECOGNISED
        )
        if not self._selling or self._busy:
            return
        if self.panel.stage in _WAITING and not recognised_while_invited:
            return
        self._last = decision
        member_id = decision.member_id
        if decision.outcome in _RECOGNISED and member_id and member_id not in self._not_me:
            if self._member is None or self._member.member_id != member_id:
                self._recognise(member_id)
                return
            if self._wanted:
                self._pay_step(decision)
        elif decision.outcome is Outcome.UNKNOWN and self._member is None:
            if self._may_invite:
                self._set(self._panel(Stage.INVITE, consent=CURRENT))
            elif self._wanted:
                self._fail("face.failed.not_pay", decision.reason)
        elif decision.outcome is Outcome.SPOOF and self._wanted:
            self._fail("face.failed.not_pay", decision.reason)

    # -- FaceActions (the customer's and the cashier's buttons) --------------------

    def want_face_pay(self) -> None:
        if not self._selling or self._view.balance_due_cents <= 0:
            return
        if self.panel.stage in (Stage.CONFIRM, Stage.PAYING, Stage.ENROLLING):
            return
        self._wanted = True
        last = self._last
        if self._member is not None and last.member_id == self._member.member_id:
            self._pay_step(last)
            if self.panel.stage not in (Stage.LOOKING, Stage.GREETING):
                return
        self._set(self._panel(Stage.LOOKING, notice="face.looking"))

    def confirm(self) -> None:
        if self.panel.stage is not Stage.CONFIRM:
            return
        self._set(self._panel(Stage.PAYING))
        self._busy = True

        def done(result: TenderResult) -> None:
            self._busy = False
            if not result.paid:
                reason = result.reason
                code, params = (reason.code, reason.params) if reason else ("pay.refused", {})
                self._fail("face.failed.declined", code, params)

        self._till.confirm_face_pay().success(done).failure(self._failed)

    def not_me(self) -> None:
        if self._member is not None:
            self._not_me.add(self._member.member_id)
        self._member = None
        self._joined = False
        self._narrowed = False
        self._last = Decision(Outcome.SEARCHING)
        self._till.forget_member()
        if self._face is not None:
            self._face.reset()
        self._set(self._panel(Stage.LOOKING, notice="face.looking" if self._wanted else ""))

    def accept_join(self) -> None:
        if self.panel.stage is not Stage.INVITE or self._face is None:
            return
        consent = self.panel.consent or CURRENT
        self._set(self._panel(Stage.ENROLLING))
        self._busy = True
        self._face.request_template(
            lambda result: self._post(lambda: self._template_ready(result, consent.version))
        )

    def decline_join(self) -> None:
        if self.panel.stage is not Stage.INVITE:
            return
        self._declined_join = True
        self._till.decline_enrollment()
        if self._wanted:
            self._fail("face.failed.not_pay", Why.NONE)
        else:
            self._set(self._panel(Stage.LOOKING))

    def enter_last4(self, digits: str) -> None:
        if self.panel.stage is not Stage.LAST4 or self._face is None:
            return
        if len(digits) != 4 or not digits.isdigit():
            self._set(self._panel(Stage.LAST4, notice="face.last4.hint"))
            return
        self._face.narrow(digits)
        self._narrowed = True
        self._last = Decision(Outcome.SEARCHING)
        self._set(self._panel(Stage.LOOKING, notice="face.looking"))

    def dismiss(self) -> None:
        if self.panel.stage is Stage.CONFIRM:
            self._till.decline_face_pay()
        self._wanted = False
        self._busy = False
        self._set(self._panel(Stage.GREETING if self._member else Stage.LOOKING))

    # -- steps -------------------------------------------------------------------

    def _recognise(self, member_id: str) -> None:
        if self._recognising == member_id:
            return
        self._recognising = member_id

        def greeted(greeting: Greeting) -> None:
            self._recognising = None
            if not self._selling or member_id in self._not_me:
                return
            self._member = greeting
            self._set(self._panel(Stage.GREETING))
            if self._wanted and self._last.member_id == member_id:
                self._pay_step(self._last)

        def unknown(error: BaseException) -> None:
            self._recognising = None
            self._not_me.add(member_id)  # not on this till yet: no greeting to give
            log.info("recognised member not on the till", extra={"error": str(error)})

        self._till.recognise(member_id).success(greeted).failure(unknown)

    def _pay_step(self, decision: Decision) -> None:
        member = self._member
        if member is None or decision.member_id != member.member_id:
            return
        if decision.outcome is Outcome.PAY:
            self._busy = True

            def staged(prompt: FacePayPrompt) -> None:
                self._busy = False
                self._set(self._panel(Stage.CONFIRM, prompt=prompt))

            self._till.stage_face_pay(member.member_id, decision).success(staged).failure(
                self._failed
            )
        elif decision.outcome is Outcome.ASK_LAST4 and not self._narrowed:
            self._set(self._panel(Stage.LAST4, notice="face.last4.hint"))
        elif (
            decision.outcome is Outcome.MEMBER
            and self._narrowed
            and decision.reason == Why.BELOW_PAYMENT
        ):
            self._fail("face.last4.no_match", decision.reason)

    def _template_ready(self, result: TemplateResult, consent_version: str) -> None:
        if isinstance(result, EnrollmentRefused):
            self._busy = False
            log.info("enrollment refused", extra={"code": result.code, "error": str(result)})
            self._fail("face.failed.enroll", enrollment_detail(result))
            return
        embedding: Embedding = result

        def enrolled(answer: Enrolled) -> None:
            member_id = answer.member_id

            def greeted(greeting: Greeting) -> None:
                self._busy = False
                self._member, self._joined = greeting, True
                self._set(self._panel(Stage.GREETING))

            self._till.recognise(member_id).success(greeted).failure(self._failed)

        self._till.enroll(embedding, consent_version, gallery=self.gallery).success(
            enrolled
        ).failure(self._failed)

    def _failed(self, error: BaseException) -> None:
        """A refused intent: a known error says why by its code; anything else (a bug,
        the disk) was logged where it happened and shows only the generic notice."""
        self._busy = False
        if isinstance(error, TillError):
            self._fail(failure_notice(error), error.code, error.params)
        elif isinstance(error, EnrollmentRefused):
            self._fail(failure_notice(error), enrollment_detail(error))
        else:
            self._fail(failure_notice(error), "")

    def _fail(self, notice: str, detail: str, params: Mapping[str, object] | None = None) -> None:
        self._wanted = False
        self._set(
            self._panel(Stage.FAILED, notice=notice, detail=detail, detail_params=params or {})
        )

    # -- plumbing ----------------------------------------------------------------

    @property
    def _selling(self) -> bool:
        return self._view.in_progress and bool(self._view.lines)

    @property
    def _may_invite(self) -> bool:
        return (
            self._till.registered
            and self._face is not None
            and not self._declined_join
            and not self._joined
        )

    def _panel(
        self,
        stage: Stage,
        *,
        prompt: FacePayPrompt | None = None,
        consent: ConsentText | None = None,
        notice: str = "",
        detail: str = "",
        detail_params: Mapping[str, object] | None = None,
    ) -> CustomerPanel:
        return CustomerPanel(
            stage=stage,
            greeting=self._member,
            joined=self._joined,
            prompt=prompt,
            consent=consent,
            notice=notice,
            detail=detail,
            detail_params=detail_params or {},
            face_pay_wanted=self._wanted,
            offline=self._offline,
        )

    def _set(self, panel: CustomerPanel) -> None:
        self.panel = panel
        self._show_panel(panel)
