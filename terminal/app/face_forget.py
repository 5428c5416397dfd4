"""``ForgetMe``: a member greeted at the till asks to be forgotten, on the customer screen.

"Delete my data" on the greeting page (FORGET) offers two things: the face only (face pay
consent withdrawn, the membership kept) or everything (erasure). Either way the cloud
texts a code to the member's phone and the customer types it (FORGET_CODE); the request
goes to the cloud with it. A wrong code stays on the keypad with how many tries are left;
any other refusal says why (FAILED). When the cloud has done it, the member leaves the
sale (guest prices) and the face worker's gallery, and the page says what was deleted
(FORGET_DONE). The customer can cancel at every step.

What must not live here: the cloud calls and the local purge (``forget_me``, run by the
till on its cloud thread), words, Qt.
"""

from __future__ import annotations

import logging

from terminal.app.customer_panel import Stage
from terminal.app.face_ports import TillActions
from terminal.app.face_session import FaceSession
from terminal.app.forget_me import ForgetKind
from terminal.errors import TillError
from terminal.face.decide import Outcome
from terminal.face.gallery import Gallery

log = logging.getLogger(__name__)

CODE_DIGITS = 6
_RECOGNISED = (Outcome.MEMBER, Outcome.PAY, Outcome.ASK_LAST4)


class ForgetMe:
    """See the module docstring."""

    def __init__(self, session: FaceSession, till: TillActions) -> None:
        self._session = session
        self._till = till
        self._kind: ForgetKind | None = None
        self._otp_id: str | None = None
        self.gallery: Gallery | None = None  # the face worker's; the member leaves it

    def start(self) -> None:
        session = self._session
        if session.member is None or session.busy or session.panel.stage is not Stage.GREETING:
            return
        self._kind, self._otp_id = None, None
        session.show(Stage.FORGET)

    def choose(self, kind: str) -> None:
        session = self._session
        member = session.member
        if session.panel.stage is not Stage.FORGET or member is None or session.busy:
            return
        self._kind = ForgetKind(kind)
        session.busy = True

        def sent(otp_id: str) -> None:
            session.busy = False
            self._otp_id = otp_id
            session.show(Stage.FORGET_CODE, notice="forget.code.sent")

        self._till.ask_forget_code(member.member_id).success(sent).failure(self._refused)

    def enter_code(self, digits: str) -> None:
        session = self._session
        member = session.member
        if (
            session.panel.stage is not Stage.FORGET_CODE
            or member is None
            or self._kind is None
            or self._otp_id is None
            or session.busy
        ):
            return
        if len(digits) != CODE_DIGITS or not digits.isdigit():
            session.show(Stage.FORGET_CODE, notice="forget.code.sent")
            return
        kind, member_id = self._kind, member.member_id
        last = session.last
        # Recorded by the cloud, not trusted: the face at the camera is this member's.
        face_verified = last.member_id == member_id and last.outcome in _RECOGNISED
        session.busy = True

        def done(_: None) -> None:
            session.busy = False
            if self.gallery is not None:
                self.gallery.remove(member_id)
            session.member = None
            session.not_me.add(member_id)  # a late frame must not greet them again
            self._till.forget_member()  # guest prices from here on
            notice = "forget.done.face" if kind is ForgetKind.FACE else "forget.done.all"
            session.show(Stage.FORGET_DONE, notice=notice)

        self._till.forget(
            member_id, kind, otp_id=self._otp_id, code=digits, face_verified=face_verified
        ).success(done).failure(self._refused)

    def _refused(self, error: BaseException) -> None:
        session = self._session
        session.busy = False
        if isinstance(error, TillError) and error.code == "forget.code_wrong":
            session.show(
                Stage.FORGET_CODE,
                notice="forget.code.wrong",
                detail=error.code,
                detail_params=error.params,
            )
            return
        if isinstance(error, TillError):
            log.info("forget request refused", extra={"code": error.code})
            session.fail("forget.failed", error.code, error.params)
            return
        session.failed(error)
