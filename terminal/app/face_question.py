"""``FacePayQuestion``: the face-pay question "Zhang**, pay 12.30?", from staging to
Confirm.

A PAY decision for the greeted member stages the question at the till (CONFIRM). The
question is bound to the face: Confirm counts only while the same member's PAY decision
is fresh (``FaceWaits.pay_fresh_s`` since the last frame that said so); when the face goes
or the decision changes for longer than that the question is withdrawn (back to looking,
with a reason code), and a late press is refused the same way. A cart that changes under
the question declines it, since the amount asked is no longer right. Confirm asks the
till to pay; a refusal shows FAILED with its reason code.

What must not live here: when face pay is wanted or which decision leads here
(``face_checkout``), the keypad (``face_last4``), greeting and joining
(``face_membership``), words, Qt.
"""

from __future__ import annotations

import logging

from terminal.app.customer_panel import Stage
from terminal.app.face_ports import TillActions
from terminal.app.face_session import FaceSession
from terminal.app.face_timeouts import FaceTimeouts
from terminal.app.face_waits import REFUSED_NOT_FRESH
from terminal.app.member_views import FacePayPrompt
from terminal.app.sale_view import SaleView
from terminal.app.tender_result import TenderResult
from terminal.domain.face_probe import FaceProbe
from terminal.face.decide import Decision

log = logging.getLogger(__name__)


class FacePayQuestion:
    """See the module docstring."""

    def __init__(self, session: FaceSession, till: TillActions, timeouts: FaceTimeouts) -> None:
        self._session = session
        self._till = till
        self._timeouts = timeouts

    def stage(self, member_id: str, decision: Decision) -> None:
        """A PAY decision for the greeted member: ask the till to stage the question."""
        session = self._session
        session.busy = True

        def staged(prompt: FacePayPrompt) -> None:
            session.busy = False
            session.show(Stage.CONFIRM, prompt=prompt)

        self._till.stage_face_pay(member_id, decision).success(staged).failure(session.failed)

    def confirm(self) -> None:
        session = self._session
        if session.panel.stage is not Stage.CONFIRM or session.busy:
            return
        now = session.time.now()
        if self._timeouts.overdue(now):
            return
        probe = self._probe()
        if not self._fresh(now) or probe is None:
            # The face that made the PAY decision is not the one at the camera now (or
            # nobody is): no money moves on this press.
            log.info("face pay confirm refused", extra={"reason": REFUSED_NOT_FRESH})
            self._withdraw(REFUSED_NOT_FRESH)
            return
        session.show(Stage.PAYING)
        session.busy = True

        def done(result: TenderResult) -> None:
            session.busy = False
            if not result.paid:
                reason = result.reason
                code, params = (reason.code, reason.params) if reason else ("pay.refused", {})
                session.fail("face.failed.declined", code, params)

        self._till.confirm_face_pay(probe).success(done).failure(session.failed)

    def follow_cart(self, view: SaleView) -> None:
        """The sale changed: a question whose amount is no longer the balance goes."""
        panel = self._session.panel
        if (
            panel.stage is Stage.CONFIRM
            and panel.prompt is not None
            and view.balance_due_cents != panel.prompt.amount_cents
        ):
            # The cart changed under the question: the amount asked is no longer right.
            self._till.decline_face_pay()
            self._session.show(Stage.LOOKING, notice="face.looking")

    def check_time(self, now: float) -> bool:
        """Time the current wait out, or withdraw a question gone stale; True if so."""
        session = self._session
        if session.busy:
            return False  # an answer from the till is on its way: it decides the stage
        if self._timeouts.overdue(now):
            return True
        if session.panel.stage is Stage.CONFIRM and not self._fresh(now):
            self._withdraw(session.time.stale_reason(now))
            return True
        return False

    def _probe(self) -> FaceProbe | None:
        """The evidence of the question's member's latest PAY decision."""
        prompt, kept = self._session.panel.prompt, self._session.probe
        if prompt is None or kept is None or kept[0] != prompt.member_id:
            return None
        return kept[1]

    def _fresh(self, now: float) -> bool:
        """The question's member had a PAY decision within ``pay_fresh_s``."""
        prompt = self._session.panel.prompt
        return prompt is not None and self._session.time.fresh(prompt.member_id, now)

    def _withdraw(self, reason: str) -> None:
        """Take the question back: face pay is still wanted, so a fresh PAY decision for
        the member asks again; the recognising wait starts over."""
        log.info("face pay question withdrawn", extra={"reason": reason})
        self._till.decline_face_pay()
        self._session.show(Stage.LOOKING, notice="face.looking", detail=reason)
