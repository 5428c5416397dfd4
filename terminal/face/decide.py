"""Deciding who is at the till from several frames, not one.

Each frame that passed the quality gate gives an observation: the best member, its score,
the runner-up's, and the liveness verdict so far. ``Decider`` keeps the last ``window``
observations and decides when ``votes`` of them agree:

- MEMBER: one member is best in ``votes`` frames at or above the membership threshold -
  enough to greet, never enough to pay;
- PAY: the same, at the stricter payment threshold with a wide margin to the runner-up,
  in a gallery small enough, and the face has passed liveness;
- ASK_LAST4: a member was recognised and is live, but paying on the face alone is
  unclear (score under the payment threshold, a close runner-up, or a very large
  gallery): ask for the phone's last 4 digits and search again among those members;
  after narrowing, ``payment_with_last4`` applies (the digits are a second factor);
- SPOOF: liveness failed: no match is ever offered for payment;
- UNKNOWN: a full window and nobody reached the membership threshold.

Why votes: in a 1:N search a stranger's best match sometimes clears a threshold in one
frame; it rarely names the same member in K of N frames. Thresholds come from the model
manifest; see models/README.md for how they were chosen.
"""

from __future__ import annotations

import enum
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass

from terminal.face.gallery import SearchResult


class Why(enum.StrEnum):
    """Why a decision is what it is: a reason code (a message id the screens translate),
    never a sentence. Empty when there is nothing to explain (PAY, plain SEARCHING)."""

    NONE = ""
    LIVENESS_FAILED = "decision.liveness_failed"
    NO_MEMBER = "decision.no_member"  # nobody above the membership threshold
    FRAMES_DISAGREE = "decision.frames_disagree"  # no one member in enough frames
    LIVENESS_PENDING = "decision.liveness_pending"  # recognised, liveness still collecting
    BELOW_PAYMENT = "decision.below_payment"  # under the payment threshold
    LARGE_GALLERY = "decision.large_gallery"  # too many templates to pay on the face alone
    CLOSE_RUNNER_UP = "decision.close_runner_up"  # another member scores close
    NO_FACE = "decision.no_face"  # SEARCHING: no face in the frame
    CROWDED = "decision.crowded"  # SEARCHING: more than one face, none primary
    POOR_QUALITY = "decision.poor_quality"  # SEARCHING: the face failed the quality gate


class Outcome(enum.StrEnum):
    SEARCHING = "searching"
    MEMBER = "member"
    PAY = "pay"
    ASK_LAST4 = "ask_last4"
    SPOOF = "spoof"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class DecisionPolicy:
    membership: float = 0.42
    payment: float = 0.50
    payment_margin: float = 0.10
    payment_with_last4: float = 0.45
    membership_margin: float = 0.03
    votes: int = 3
    window: int = 5
    large_gallery: int = 100_000  # above this many templates, paying needs the digits

    @classmethod
    def from_thresholds(cls, thresholds: Mapping[str, float], **overrides: float) -> DecisionPolicy:
        names = set(cls.__dataclass_fields__)
        values: dict[str, float] = {k: v for k, v in thresholds.items() if k in names}
        values.update(overrides)
        for key in ("votes", "window", "large_gallery"):
            if key in values:
                values[key] = int(values[key])
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Observation:
    search: SearchResult
    live: bool | None  # None: not enough frames yet to say


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    member_id: str | None = None
    score: float = 0.0  # mean score of the agreeing frames
    margin: float = 0.0  # smallest margin to the runner-up among them
    votes: int = 0
    reason: Why = Why.NONE


class Decider:
    def __init__(self, policy: DecisionPolicy | None = None) -> None:
        self.policy = policy or DecisionPolicy()
        self._window: deque[Observation] = deque(maxlen=self.policy.window)

    def reset(self) -> None:
        self._window.clear()

    def add(self, observation: Observation) -> Decision:
        self._window.append(observation)
        return self.decide()

    def decide(self) -> Decision:
        p = self.policy
        window = list(self._window)
        if not window:
            return Decision(Outcome.SEARCHING)
        live = window[-1].live
        if live is False:
            return Decision(Outcome.SPOOF, reason=Why.LIVENESS_FAILED)
        candidates = Counter(
            o.search.best.member_id
            for o in window
            if o.search.best is not None and o.search.best.score >= p.membership
        )
        if not candidates:
            if len(window) == p.window:
                return Decision(Outcome.UNKNOWN, reason=Why.NO_MEMBER)
            return Decision(Outcome.SEARCHING)
        member_id, _ = candidates.most_common(1)[0]
        agreeing = [
            o
            for o in window
            if o.search.best is not None
            and o.search.best.member_id == member_id
            and o.search.best.score >= p.membership
            and o.search.margin >= p.membership_margin
        ]
        if len(agreeing) < p.votes:
            if len(window) == p.window and len(agreeing) + (p.window - len(window)) < p.votes:
                return Decision(Outcome.UNKNOWN, reason=Why.FRAMES_DISAGREE)
            return Decision(Outcome.SEARCHING, member_id, votes=len(agreeing))
        score = sum(o.search.best.score for o in agreeing if o.search.best) / len(agreeing)
        margin = min(o.search.margin for o in agreeing)
        narrowed = all(o.search.narrowed for o in agreeing)
        paying = [
            o
            for o in agreeing
            if o.search.best is not None
            and (
                o.search.best.score >= p.payment_with_last4
                if o.search.narrowed
                else o.search.best.score >= p.payment
                and o.search.margin >= p.payment_margin
                and o.search.searched <= p.large_gallery
            )
        ]
        if live is None:
            # Recognised but liveness still collecting frames: greet, do not pay yet.
            return Decision(
                Outcome.MEMBER, member_id, score, margin, len(agreeing), Why.LIVENESS_PENDING
            )
        if len(paying) >= p.votes:
            return Decision(Outcome.PAY, member_id, score, margin, len(paying))
        if narrowed:
            return Decision(
                Outcome.MEMBER,
                member_id,
                score,
                margin,
                len(agreeing),
                Why.BELOW_PAYMENT,
            )
        reason = _unclear_reason(agreeing, p)
        return Decision(Outcome.ASK_LAST4, member_id, score, margin, len(agreeing), reason)


def _unclear_reason(agreeing: list[Observation], p: DecisionPolicy) -> Why:
    if any(o.search.searched > p.large_gallery for o in agreeing):
        return Why.LARGE_GALLERY
    if any(o.search.margin < p.payment_margin for o in agreeing):
        return Why.CLOSE_RUNNER_UP
    return Why.BELOW_PAYMENT
