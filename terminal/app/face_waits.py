"""How long the face side of a sale waits, and how fresh a PAY decision must be.

``FaceWaits`` holds the times (seconds); ``FaceClock`` is the face checkout's sense of
time: the deadline of the wait the customer screen stands for (``wait_of`` a panel), and
when the newest frame with a PAY decision was grabbed, for which member. Both run on the
face checkout's thread with an injected monotonic clock (the same one as
``FaceEvent.frame_time``), so tests move time by hand.

Why freshness: a PAY decision is about the face in front of the camera. The face-pay
question stays on screen only while the frames keep saying PAY for the member asked; a
Confirm pressed after that is refused, so a stranger who steps in (or nobody at all)
cannot pay with a member's question. Only the newest PAY decision counts: a PAY for
another member ends the question's freshness at once.

What must not live here: the stages and what they lead to (``face_checkout``), words, Qt.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass

from terminal.app.customer_panel import CustomerPanel, Stage
from terminal.face.decide import Outcome
from terminal.face.worker import FaceEvent

Clock = Callable[[], float]

PAY_FRESH_S = 1.5  # Confirm counts this long after the member's last PAY frame
RECOGNISING_TIMEOUT_S = 15.0  # face pay wanted, no PAY decision (nor keypad) yet
QUESTION_TIMEOUT_S = 20.0  # "Zhang**, pay 12.30?" unanswered
LAST4_TIMEOUT_S = 30.0  # the phone-digits keypad not submitted

# Why the question went away (reason codes; texts in terminal/ui/texts_refusals.py).
WITHDRAWN_NO_FACE = "question.withdrawn.no_face"  # nobody (or no frames) at the camera
WITHDRAWN_CHANGED = "question.withdrawn.changed"  # another face, or no longer PAY
REFUSED_NOT_FRESH = "question.refused.not_fresh"  # Confirm pressed after freshness lapsed


@dataclass(frozen=True, slots=True)
class FaceWaits:
    """How long the face side waits, in seconds (the product's defaults above)."""

    pay_fresh_s: float = PAY_FRESH_S
    recognising_s: float = RECOGNISING_TIMEOUT_S
    question_s: float = QUESTION_TIMEOUT_S
    last4_s: float = LAST4_TIMEOUT_S


class Wait(enum.StrEnum):
    """A face wait with a deadline; TIMED_OUT's notice is ``face.timeout.<wait>``."""

    RECOGNISING = "recognising"  # LOOKING or GREETING with face pay wanted
    QUESTION = "question"  # CONFIRM
    LAST4 = "last4"  # LAST4

    @property
    def notice(self) -> str:
        return f"face.timeout.{self}"

    def seconds(self, waits: FaceWaits) -> float:
        return {
            Wait.RECOGNISING: waits.recognising_s,
            Wait.QUESTION: waits.question_s,
            Wait.LAST4: waits.last4_s,
        }[self]


def wait_of(panel: CustomerPanel) -> Wait | None:
    """The wait a panel stands for, if it has a deadline."""
    if panel.stage is Stage.CONFIRM:
        return Wait.QUESTION
    if panel.stage is Stage.LAST4:
        return Wait.LAST4
    if panel.stage in (Stage.LOOKING, Stage.GREETING) and panel.face_pay_wanted:
        return Wait.RECOGNISING
    return None


class FaceClock:
    """See the module docstring. ``arm`` on every panel shown; ``saw`` on every frame."""

    def __init__(self, clock: Clock, waits: FaceWaits) -> None:
        self.now = clock
        self.waits = waits
        self.reset()

    def reset(self) -> None:
        """A new customer: no frames seen, no wait."""
        self.wait: Wait | None = None
        self._until = math.inf
        self._last_at = -math.inf  # when the newest frame's event arrived
        self._face_in_view = False  # the newest frame had a face to decide on
        self._pay_member: str | None = None  # the newest PAY decision's member
        self._pay_at = -math.inf  # and when its frame was grabbed

    # -- frames ------------------------------------------------------------------

    def saw(self, event: FaceEvent, now: float) -> None:
        self._last_at = now
        self._face_in_view = event.primary is not None
        decision = event.decision
        if decision.outcome is Outcome.PAY and decision.member_id:
            self._pay_member = decision.member_id
            self._pay_at = min(event.frame_time, now)

    def recent(self, now: float) -> bool:
        """Whether the newest decision is recent enough to act on."""
        return now - self._last_at <= self.waits.pay_fresh_s

    def fresh(self, member_id: str, now: float) -> bool:
        """Whether ``member_id`` had a PAY decision within ``pay_fresh_s``."""
        return self._pay_member == member_id and now - self._pay_at <= self.waits.pay_fresh_s

    def forget_pay(self) -> None:
        self._pay_member = None

    def stale_reason(self, now: float) -> str:
        """Why a question is no longer fresh: nobody (or no frames), or someone else."""
        gone = not self.recent(now) or not self._face_in_view
        return WITHDRAWN_NO_FACE if gone else WITHDRAWN_CHANGED

    # -- deadlines ---------------------------------------------------------------

    def arm(self, wait: Wait | None) -> None:
        """The screen now stands for ``wait``: a new wait starts its deadline; the same
        one keeps it (a greeting while recognising does not buy more time)."""
        if wait is not self.wait:
            self.wait = wait
            seconds = wait.seconds(self.waits) if wait is not None else math.inf
            self._until = self.now() + seconds

    def restart(self) -> None:
        """The next ``arm`` starts a fresh deadline even for the same wait."""
        self.wait = None
        self._until = math.inf

    def expired(self, now: float) -> Wait | None:
        """The wait whose deadline has passed, if any."""
        if self.wait is not None and now >= self._until:
            return self.wait
        return None
