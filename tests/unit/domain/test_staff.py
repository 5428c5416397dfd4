"""Staff rules: what a cashier and a manager may do, the shape of ids and PINs, and the
lockout replayed from the attempts on an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.staff import (
    LOCKOUT,
    Approval,
    Attempt,
    RestrictedAction,
    Role,
    StaffError,
    authorise,
    check_name,
    check_pin,
    check_role,
    check_staff_id,
    is_pin,
    lock_state,
    may_approve,
    may_do,
    needs_approval,
)

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def wrong(staff_id: str, at: datetime) -> Attempt:
    return Attempt(staff_id, at, ok=False)


def right(staff_id: str, at: datetime) -> Attempt:
    return Attempt(staff_id, at, ok=True)


# -- roles ---------------------------------------------------------------------------


@pytest.mark.parametrize("action", list(RestrictedAction))
def test_a_cashier_needs_a_managers_approval_for_every_restricted_action(
    action: RestrictedAction,
) -> None:
    assert needs_approval(Role.CASHIER, action) and not may_do(Role.CASHIER, action)
    assert may_do(Role.MANAGER, action) and not needs_approval(Role.MANAGER, action)


def test_the_restricted_actions_are_the_eight_of_the_issue() -> None:
    assert {str(a) for a in RestrictedAction} == {
        "cancel_sale",
        "void_after_tender",
        "discount_over_limit",
        "price_override",
        "refund",
        "return_without_receipt",
        "open_drawer",
        "manual_weight",
    }


def test_only_a_manager_may_approve() -> None:
    assert may_approve(Role.MANAGER) and not may_approve(Role.CASHIER)


def test_a_cashier_is_authorised_only_with_an_approval_of_that_very_action() -> None:
    with pytest.raises(StaffError) as refused:
        authorise(Role.CASHIER, RestrictedAction.REFUND)
    assert refused.value.code == "staff.approval_needed"
    assert refused.value.params == {"action": "refund"}
    drawer = Approval("boss", RestrictedAction.OPEN_DRAWER, T0)
    with pytest.raises(StaffError):
        authorise(Role.CASHIER, RestrictedAction.REFUND, drawer)
    authorise(Role.CASHIER, RestrictedAction.OPEN_DRAWER, drawer)
    authorise(Role.MANAGER, RestrictedAction.REFUND)


# -- shapes --------------------------------------------------------------------------


@given(st.from_regex(r"[A-Za-z0-9_-]{1,16}", fullmatch=True))
def test_every_id_of_the_pattern_is_accepted(staff_id: str) -> None:
    assert check_staff_id(staff_id) == staff_id


@pytest.mark.parametrize("staff_id", ["", "a" * 17, "alice smith", "ali.ce", "张三", "a\n"])
def test_other_ids_are_refused_with_their_code(staff_id: str) -> None:
    with pytest.raises(StaffError) as refused:
        check_staff_id(staff_id)
    assert refused.value.code == "staff.bad_id"


@given(st.from_regex(r"[0-9]{4,8}", fullmatch=True))
def test_a_pin_is_4_to_8_ascii_digits(pin: str) -> None:
    assert check_pin(pin) == pin


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12 34", "abcd", "١٢٣٤", "1234\n"])
def test_other_pins_are_refused_without_repeating_them(pin: str) -> None:
    assert not is_pin(pin)
    with pytest.raises(StaffError) as refused:
        check_pin(pin)
    assert refused.value.code == "staff.bad_pin" and refused.value.params == {}


def test_names_and_roles() -> None:
    assert check_name("  Alice  ") == "Alice"
    assert check_role("manager") is Role.MANAGER
    for bad in ("", "   ", "x" * 101, "tab\there"):
        with pytest.raises(StaffError):
            check_name(bad)
    with pytest.raises(StaffError) as refused:
        check_role("owner")
    assert refused.value.code == "staff.bad_role"


# -- lockout, per staff id -------------------------------------------------------------


def test_five_wrong_pins_lock_the_id_for_five_minutes() -> None:
    attempts = [wrong("alice", T0 + timedelta(seconds=10 * i)) for i in range(4)]
    fourth = attempts[-1].at
    state = lock_state(attempts, "alice", fourth)
    assert state.locked_until is None and state.tries_left == 1
    attempts.append(wrong("alice", fourth + timedelta(seconds=10)))
    fifth = attempts[-1].at
    state = lock_state(attempts, "alice", fifth)
    assert state.locked_until == fifth + timedelta(minutes=5)
    assert state.minutes_left(fifth) == 5
    assert (
        lock_state(attempts, "alice", fifth + timedelta(minutes=4, seconds=1)).minutes_left(
            fifth + timedelta(minutes=4, seconds=1)
        )
        == 1
    )
    after = lock_state(attempts, "alice", fifth + timedelta(minutes=5))
    assert after.locked_until is None and after.tries_left == 5


@given(
    gaps=st.lists(st.integers(min_value=0, max_value=179), min_size=5, max_size=5),
    later=st.integers(min_value=0, max_value=600),
)
def test_any_five_wrong_pins_within_fifteen_minutes_lock_from_the_fifth(
    gaps: list[int], later: int
) -> None:
    # Five failures at most 15 minutes apart in all (5 gaps of under 3 minutes).
    times = [T0]
    for gap in gaps[1:]:
        times.append(times[-1] + timedelta(seconds=gap))
    attempts = [wrong("alice", t) for t in times]
    now = times[-1] + timedelta(seconds=later)
    state = lock_state(attempts, "alice", now)
    if later < 300:
        assert state.locked_until == times[-1] + LOCKOUT.lock
        assert 1 <= state.minutes_left(now) <= 5
    else:
        assert state.locked_until is None


@given(st.lists(st.integers(min_value=0, max_value=3600), min_size=1, max_size=30))
def test_wrong_pins_never_lock_unless_five_fall_within_the_window(offsets: list[int]) -> None:
    times = sorted(T0 + timedelta(seconds=s) for s in offsets)
    attempts = [wrong("alice", t) for t in times]
    now = times[-1]
    state = lock_state(attempts, "alice", now)
    five_close = any(times[i + 4] - times[i] < LOCKOUT.window for i in range(len(times) - 4))
    if not five_close:
        assert state.locked_until is None


def test_a_right_pin_clears_the_count_of_its_id() -> None:
    attempts = [wrong("alice", T0 + timedelta(seconds=i)) for i in range(4)]
    attempts.append(right("alice", T0 + timedelta(seconds=5)))
    attempts += [wrong("alice", T0 + timedelta(seconds=6 + i)) for i in range(4)]
    state = lock_state(attempts, "alice", T0 + timedelta(seconds=10))
    assert state.locked_until is None and state.tries_left == 1


def test_wrong_pins_older_than_the_window_no_longer_count() -> None:
    attempts = [wrong("alice", T0 + timedelta(seconds=i)) for i in range(4)]
    later = T0 + timedelta(minutes=16)
    assert lock_state(attempts, "alice", later).tries_left == 5
    attempts.append(wrong("alice", later))
    assert lock_state(attempts, "alice", later).locked_until is None


def test_an_id_nobody_holds_locks_like_any_other() -> None:
    # The lockout sees only ids as typed: whether anyone holds one is not its business.
    attempts = [wrong("ghost", T0 + timedelta(seconds=i)) for i in range(5)]
    assert lock_state(attempts, "ghost", T0 + timedelta(seconds=5)).locked_until is not None
    assert lock_state(attempts, "alice", T0 + timedelta(seconds=5)).locked_until is None


# -- lockout, per till -------------------------------------------------------------------


def test_ten_wrong_pins_across_ids_lock_the_whole_till() -> None:
    ids = [f"id{i}" for i in range(10)]  # one guess each: no id reaches 5
    attempts = [wrong(staff_id, T0 + timedelta(seconds=i)) for i, staff_id in enumerate(ids)]
    now = T0 + timedelta(seconds=10)
    for staff_id in ("alice", "id0"):
        state = lock_state(attempts, staff_id, now)
        assert state.locked_until == T0 + timedelta(seconds=9) + LOCKOUT.lock
    assert lock_state(attempts, "alice", now + LOCKOUT.lock).locked_until is None


def test_a_right_pin_does_not_clear_the_tills_count() -> None:
    # An insider cannot sign in as themselves between guesses to keep guessing.
    attempts: list[Attempt] = []
    at = T0
    for target in ("boss1", "boss2", "boss3"):
        for _ in range(4):
            at += timedelta(seconds=5)
            attempts.append(wrong(target, at))
        at += timedelta(seconds=5)
        attempts.append(right("insider", at))
    assert lock_state(attempts, "boss4", at).locked_until is not None


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=9))
def test_tries_left_is_the_nearer_of_the_two_limits(ids: list[str]) -> None:
    attempts = [wrong(s, T0 + timedelta(seconds=i)) for i, s in enumerate(ids)]
    now = T0 + timedelta(seconds=len(ids))
    for staff_id in ("a", "z"):
        state = lock_state(attempts, staff_id, now)
        if state.locked_until is None:
            own = ids.count(staff_id)
            assert state.tries_left == min(5 - own, 10 - len(ids))


def test_a_clock_set_back_never_makes_a_lock_longer() -> None:
    attempts = [wrong("alice", T0 + timedelta(seconds=i)) for i in range(5)]
    back = T0 - timedelta(hours=3)  # the till's clock corrected by hours
    state = lock_state(attempts, "alice", back)
    assert state.locked_until == back + LOCKOUT.lock
