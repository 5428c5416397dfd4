"""``Last4Keypad``: the phone's last 4 digits, when the face alone is not sure enough.

An unclear decision (ASK_LAST4), "try again" after the keypad timed out, or "Not me"
during face pay followed by "use my phone digits" shows the keypad (LAST4). Four digits
narrow the face worker's search to the members whose phone ends so, and the search goes
on (LOOKING); a member still found only below the payment threshold after that is
"no match" (FAILED).

What must not live here: which decision leads to the keypad (``face_checkout``), the
question that follows a match (``face_question``), words, Qt.
"""

from __future__ import annotations

from terminal.app.customer_panel import Stage
from terminal.app.face_ports import FaceControl
from terminal.app.face_session import FaceSession
from terminal.app.face_timeouts import FaceTimeouts
from terminal.face.decide import Decision, Outcome, Why


class Last4Keypad:
    """See the module docstring."""

    def __init__(
        self, session: FaceSession, face: FaceControl | None, timeouts: FaceTimeouts
    ) -> None:
        self._session = session
        self._face = face
        self._timeouts = timeouts

    def ask(self) -> None:
        """The face is not sure enough: the keypad, with its hint."""
        self._session.show(Stage.LAST4, notice="face.last4.hint")

    def reopen(self) -> None:
        """TIMED_OUT on the keypad, "try again": the keypad with a fresh wait."""
        session = self._session
        session.wanted = True
        session.time.restart()
        self.ask()

    def use_last4(self) -> None:
        session = self._session
        if session.panel.stage is not Stage.NOT_ME or self._face is None:
            return
        session.wanted = True
        session.time.restart()
        session.show(Stage.LAST4, notice="face.last4.not_me")

    def enter_last4(self, digits: str) -> None:
        session = self._session
        if session.panel.stage is not Stage.LAST4 or self._face is None:
            return
        if self._timeouts.overdue(session.time.now()):
            return
        if len(digits) != 4 or not digits.isdigit():
            self.ask()
            return
        self._face.narrow(digits)
        session.narrowed = True
        session.last = Decision(Outcome.SEARCHING)
        session.show(Stage.LOOKING, notice="face.looking")

    def no_match(self, reason: Why) -> None:
        """Narrowed by the digits, the member is still below the payment threshold."""
        self._session.fail("face.last4.no_match", reason)
