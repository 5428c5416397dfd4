"""``Membership``: who the customer at the camera is, for the till's member prices.

A recognised member is greeted once (the till looks them up and the sale gets member
prices); "Not me" drops the match and the member prices, and during face pay offers the
phone's last 4 digits or another tender. An unknown face is invited to join once per
customer, with the consent text and its version: declining stores nothing and is not
asked again; accepting makes a template from the frames already seen and enrolls it at
once (usable in the next sale, offline), then greets the new member.

What must not live here: paying (``face_question``, ``face_last4``), which decision leads
here (``face_checkout``), words, Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from terminal.app.consent import ConsentText, current
from terminal.app.customer_panel import Stage
from terminal.app.enrollment import Enrolled
from terminal.app.face_notices import enrollment_detail
from terminal.app.face_ports import FaceControl, Post, TillActions
from terminal.app.face_session import FaceSession
from terminal.app.member_views import Greeting
from terminal.face.decide import Decision, Outcome, Why
from terminal.face.embed import Embedding
from terminal.face.errors import EnrollmentRefused
from terminal.face.gallery import Gallery
from terminal.face.worker import TemplateResult

log = logging.getLogger(__name__)


class Membership:
    """See the module docstring. ``then_pay`` is the face checkout's next step for a
    decision about the member just greeted, when face pay is wanted."""

    def __init__(
        self,
        session: FaceSession,
        till: TillActions,
        face: FaceControl | None,
        *,
        post: Post,
        then_pay: Callable[[Decision], None],
        gallery: Gallery | None = None,
    ) -> None:
        self._session = session
        self._till = till
        self._face = face
        self._post = post
        self._then_pay = then_pay
        self.gallery = gallery  # where a new member's template goes (set again on reload)

    @property
    def may_invite(self) -> bool:
        session = self._session
        return (
            self._till.registered
            and self._face is not None
            and not session.declined_join
            and not session.joined
        )

    def recognise(self, member_id: str) -> None:
        session = self._session
        if session.recognising == member_id:
            return
        session.recognising = member_id

        def greeted(greeting: Greeting) -> None:
            session.recognising = None
            if not session.selling or member_id in session.not_me:
                return
            session.member = greeting
            session.show(Stage.GREETING)
            if session.wanted and session.last.member_id == member_id:
                self._then_pay(session.last)

        def unknown(error: BaseException) -> None:
            session.recognising = None
            session.not_me.add(member_id)  # not on this till yet: no greeting to give
            log.info("recognised member not on the till", extra={"error": str(error)})

        self._till.recognise(member_id).success(greeted).failure(unknown)

    def not_me(self) -> None:
        session = self._session
        wanted = session.wanted
        if session.member is not None:
            session.not_me.add(session.member.member_id)
        session.member = None
        session.joined = False
        session.narrowed = False
        session.last = Decision(Outcome.SEARCHING)
        self._till.forget_member()
        session.time.forget_pay()
        if self._face is not None:
            self._face.reset()
        if wanted and self._face is not None:
            # Face pay was under way: the phone's digits, or another tender, not a search
            # without end.
            session.show(Stage.NOT_ME, notice="face.not_me.choose")
        else:
            session.show(Stage.LOOKING)

    def invite(self) -> None:
        self._session.accepted = []
        self._session.show(Stage.INVITE, consent=current("membership"))

    def accept_join(self) -> None:
        """Accept on the consent page shown: membership first, then, on its own page, face
        pay (two separate consents); enrolling starts only when both are given."""
        session = self._session
        consent = session.panel.consent
        if session.panel.stage is not Stage.INVITE or self._face is None or consent is None:
            return
        session.accepted = [*session.accepted, consent]
        if consent.kind == "membership":
            session.show(Stage.INVITE, consent=current("face_pay"))
            return
        consents = list(session.accepted)
        session.show(Stage.ENROLLING)
        session.busy = True
        self._face.request_template(
            lambda result: self._post(lambda: self._template_ready(result, consents))
        )

    def decline_join(self) -> None:
        session = self._session
        if session.panel.stage is not Stage.INVITE:
            return
        session.declined_join = True
        session.accepted = []  # a consent given on the first page goes with the no
        self._till.decline_enrollment()
        if session.wanted:
            session.fail("face.failed.not_pay", Why.NONE)
        else:
            session.show(Stage.LOOKING)

    def _template_ready(self, result: TemplateResult, consents: list[ConsentText]) -> None:
        session = self._session
        if isinstance(result, EnrollmentRefused):
            session.busy = False
            log.info("enrollment refused", extra={"code": result.code, "error": str(result)})
            session.fail("face.failed.enroll", enrollment_detail(result))
            return
        embedding: Embedding = result

        def enrolled(answer: Enrolled) -> None:
            member_id = answer.member_id

            def greeted(greeting: Greeting) -> None:
                session.busy = False
                session.member, session.joined = greeting, True
                session.show(Stage.GREETING)

            self._till.recognise(member_id).success(greeted).failure(session.failed)

        self._till.enroll(embedding, consents, gallery=self.gallery).success(enrolled).failure(
            session.failed
        )
