"""``FaceTimeouts``: a face wait whose deadline has passed ends in TIMED_OUT.

Every face wait (recognising, the face-pay question, the last-4 keypad) has its time in
``FaceWaits``; ``FaceClock`` knows which wait the screen stands for and when it ends.
``overdue`` is called on every face event, on ``tick`` and on every press a deadline
guards: a wait that ran out shows TIMED_OUT (its buttons are "try again" and "pay another
way"), and an unanswered question is declined at the till first.

What must not live here: the question's freshness (``face_question``), the stages a wait
leads to otherwise, words, Qt.
"""

from __future__ import annotations

import logging

from terminal.app.customer_panel import Stage
from terminal.app.face_ports import TillActions
from terminal.app.face_session import FaceSession
from terminal.app.face_waits import Wait

log = logging.getLogger(__name__)


class FaceTimeouts:
    """See the module docstring."""

    def __init__(self, session: FaceSession, till: TillActions) -> None:
        self._session = session
        self._till = till

    def overdue(self, now: float) -> bool:
        """Time the current wait out if its deadline has passed; True if so."""
        session = self._session
        wait = session.time.expired(now)
        if wait is None:
            return False
        log.info(
            "face wait timed out", extra={"wait": str(wait), "stage": str(session.panel.stage)}
        )
        if wait is Wait.QUESTION:
            self._till.decline_face_pay()
        # Why the recognising wait got nowhere: the last decision's reason, if any.
        detail = str(session.last.reason) if wait is Wait.RECOGNISING else ""
        session.wanted = False
        session.timed_out = wait
        session.show(Stage.TIMED_OUT, notice=wait.notice, detail=detail)
        return True
