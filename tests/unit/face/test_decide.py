"""Votes over frames: membership vs payment, the last-4 fallback, spoofs, strangers."""

from __future__ import annotations

from terminal.face.decide import Decider, DecisionPolicy, Observation, Outcome, Why
from terminal.face.gallery import Match, SearchResult

POLICY = DecisionPolicy(
    membership=0.42, payment=0.50, payment_margin=0.10, payment_with_last4=0.45, votes=3, window=5
)


def obs(
    member: str | None,
    score: float,
    runner_up: float = 0.1,
    *,
    live: bool | None = True,
    searched: int = 100,
    narrowed: bool = False,
) -> Observation:
    best = Match(member, score) if member else None
    second = Match("other", runner_up) if member else None
    return Observation(SearchResult(best, second, searched, narrowed), live)


def feed(decider: Decider, *observations: Observation) -> Outcome:
    outcome = Outcome.SEARCHING
    for o in observations:
        outcome = decider.add(o).outcome
    return outcome


def test_pays_only_after_enough_agreeing_frames() -> None:
    decider = Decider(POLICY)
    assert decider.add(obs("alice", 0.7)).outcome is Outcome.SEARCHING
    assert decider.add(obs("alice", 0.7)).outcome is Outcome.SEARCHING
    decision = decider.add(obs("alice", 0.7))
    assert decision.outcome is Outcome.PAY and decision.member_id == "alice"
    assert decision.votes == 3


def test_one_lucky_frame_of_a_stranger_is_not_a_match() -> None:
    decider = Decider(POLICY)
    outcome = feed(
        decider,
        obs("alice", 0.55),
        obs("bob", 0.2),
        obs("carol", 0.25),
        obs("alice", 0.3),
        obs("dan", 0.2),
    )
    assert outcome is Outcome.UNKNOWN


def test_between_thresholds_greets_but_asks_for_digits_to_pay() -> None:
    decision = Decider(POLICY)
    for _ in range(3):
        d = decision.add(obs("alice", 0.46))
    assert d.outcome is Outcome.ASK_LAST4 and d.member_id == "alice"


def test_close_runner_up_asks_for_the_last_four_digits() -> None:
    decider = Decider(POLICY)
    for _ in range(3):
        d = decider.add(obs("alice", 0.62, runner_up=0.58))
    assert d.outcome is Outcome.ASK_LAST4 and d.reason is Why.CLOSE_RUNNER_UP


def test_a_very_large_gallery_asks_for_the_digits() -> None:
    decider = Decider(POLICY)
    for _ in range(3):
        d = decider.add(obs("alice", 0.7, searched=1_000_000))
    assert d.outcome is Outcome.ASK_LAST4 and d.reason is Why.LARGE_GALLERY


def test_after_narrowing_the_last4_threshold_applies() -> None:
    decider = Decider(POLICY)
    for _ in range(3):
        d = decider.add(obs("alice", 0.47, narrowed=True, searched=3))
    assert d.outcome is Outcome.PAY
    decider.reset()
    for _ in range(3):
        d = decider.add(obs("alice", 0.43, narrowed=True, searched=3))
    assert d.outcome is Outcome.MEMBER


def test_a_spoof_is_never_paid_and_pending_liveness_only_greets() -> None:
    decider = Decider(POLICY)
    assert feed(decider, *(obs("alice", 0.9, live=False) for _ in range(5))) is Outcome.SPOOF
    decider.reset()
    assert feed(decider, *(obs("alice", 0.9, live=None) for _ in range(5))) is Outcome.MEMBER


def test_policy_from_manifest_thresholds_ignores_other_keys() -> None:
    policy = DecisionPolicy.from_thresholds({"membership": 0.4, "enroll_duplicate": 0.5}, votes=2)
    assert policy.membership == 0.4 and policy.votes == 2 and isinstance(policy.votes, int)
