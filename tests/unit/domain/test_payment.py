"""Payments: the state machine every method shares, and counting cash."""

from __future__ import annotations

from datetime import timedelta
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.errors import IllegalTransition, PaymentError
from terminal.domain.money import MAX_AMOUNT_CENTS
from terminal.domain.payment import (
    MONEY_AT_RISK,
    Payment,
    PaymentMethod,
    PaymentState,
    cash_payment,
    check_tender,
)
from tests.support.domain_builders import LATER

S = PaymentState
# Written out again here, independently of the module's table, so a change to either shows.
LEGAL = {
    (S.PENDING, S.SUCCEEDED),
    (S.PENDING, S.FAILED),
    (S.PENDING, S.UNKNOWN),
    (S.UNKNOWN, S.SUCCEEDED),
    (S.UNKNOWN, S.FAILED),
    (S.UNKNOWN, S.REVERSED),
    (S.SUCCEEDED, S.REVERSED),
    (S.SUCCEEDED, S.REFUNDED),
}
ALL_PAIRS = list(product(PaymentState, PaymentState))
ILLEGAL = [pair for pair in ALL_PAIRS if pair not in LEGAL]


def payment_in(state: PaymentState) -> Payment:
    return Payment(
        payment_id="0123456789abcdef",
        order_no="T01-20261122-0001",
        method=PaymentMethod.FACE,
        amount_cents=1000,
        state=state,
        created_at=LATER,
        updated_at=LATER,
    )


def cash(balance_due: int, tendered: object) -> Payment:
    return cash_payment(
        payment_id="cash-1",
        order_no="T01-20261122-0001",
        balance_due=balance_due,
        tendered_cents=tendered,  # type: ignore[arg-type]
        now=LATER,
    )


# -- state machine -------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end"), sorted(LEGAL))
def test_legal_transition_moves_and_records_the_previous_state(
    start: PaymentState, end: PaymentState
) -> None:
    payment = payment_in(start)
    moved_at = LATER + timedelta(seconds=30)
    payment.transition(end, moved_at)
    assert payment.state is end
    assert payment.updated_at == moved_at
    assert payment.created_at == LATER
    assert payment.history == [(start, LATER)]


@pytest.mark.parametrize(("start", "end"), ILLEGAL)
def test_illegal_transition_is_refused_and_changes_nothing(
    start: PaymentState, end: PaymentState
) -> None:
    payment = payment_in(start)
    with pytest.raises(
        IllegalTransition, match=f"payment 01234567 cannot go from {start} to {end}"
    ):
        payment.transition(end, LATER + timedelta(seconds=30))
    assert payment.state is start
    assert payment.updated_at == LATER
    assert payment.history == []


def test_every_state_pair_is_covered() -> None:
    assert len(ALL_PAIRS) == len(PaymentState) ** 2 == len(LEGAL) + len(ILLEGAL)


@pytest.mark.parametrize("final", [S.FAILED, S.REVERSED, S.REFUNDED])
def test_failed_reversed_and_refunded_are_final(final: PaymentState) -> None:
    assert all((final, end) not in LEGAL for end in PaymentState)


def test_history_keeps_every_step_of_a_lost_answer_being_reversed() -> None:
    payment = payment_in(S.PENDING)
    t1, t2 = LATER + timedelta(seconds=10), LATER + timedelta(seconds=20)
    payment.transition(S.UNKNOWN, t1)
    payment.transition(S.REVERSED, t2)
    assert payment.history == [(S.PENDING, LATER), (S.UNKNOWN, t1)]
    assert (payment.state, payment.updated_at) == (S.REVERSED, t2)


def test_money_may_be_with_the_store_while_pending_unknown_or_succeeded() -> None:
    assert frozenset({S.PENDING, S.UNKNOWN, S.SUCCEEDED}) == MONEY_AT_RISK


# -- cash ----------------------------------------------------------------------------


def test_exact_cash_pays_the_balance_with_no_change() -> None:
    payment = cash(balance_due=1550, tendered=1550)
    assert payment.method is PaymentMethod.CASH
    assert payment.state is S.SUCCEEDED
    assert (payment.amount_cents, payment.tendered_cents, payment.change_cents) == (1550, 1550, 0)
    assert payment.created_at == payment.updated_at == LATER
    assert payment.order_no == "T01-20261122-0001"


def test_more_cash_than_due_gives_change() -> None:
    payment = cash(balance_due=1550, tendered=10000)
    assert (payment.amount_cents, payment.change_cents) == (1550, 8450)


def test_less_cash_than_due_is_a_part_payment() -> None:
    payment = cash(balance_due=1550, tendered=1000)
    assert (payment.amount_cents, payment.change_cents) == (1000, 0)
    assert payment.state is S.SUCCEEDED


@given(st.integers(1, MAX_AMOUNT_CENTS), st.integers(1, MAX_AMOUNT_CENTS))
def test_cash_counted_is_split_into_amount_and_change(due: int, tendered: int) -> None:
    payment = cash(balance_due=due, tendered=tendered)
    assert payment.amount_cents == min(due, tendered)
    assert payment.amount_cents + payment.change_cents == tendered
    assert payment.change_cents >= 0
    assert type(payment.amount_cents) is int
    assert type(payment.change_cents) is int


@pytest.mark.parametrize(
    ("tendered", "words"),
    [
        (0, "no cash tendered"),
        (-100, "cash tendered cannot be negative"),
        (10.0, "cash tendered must be a whole number of cents"),
        (True, "cash tendered must be a whole number of cents"),
        ("100", "cash tendered must be a whole number of cents"),
        (MAX_AMOUNT_CENTS + 1, "cash tendered of 10000000.01 is over the limit"),
    ],
)
def test_bad_cash_is_refused(tendered: object, words: str) -> None:
    with pytest.raises(PaymentError, match=words):
        cash(balance_due=1000, tendered=tendered)


@pytest.mark.parametrize("due", [0, -50])
def test_cash_when_nothing_is_due_is_refused(due: int) -> None:
    with pytest.raises(PaymentError, match="nothing is due on this order"):
        cash(balance_due=due, tendered=100)


def test_a_sale_with_nothing_due_closes_with_a_zero_tender() -> None:
    zero = cash_payment(payment_id="p", order_no="o", balance_due=0, tendered_cents=0, now=LATER)
    assert (zero.amount_cents, zero.tendered_cents, zero.change_cents) == (0, 0, 0)
    assert zero.state is PaymentState.SUCCEEDED


def test_a_tender_far_above_what_is_due_is_refused_but_a_big_note_is_not() -> None:
    with pytest.raises(PaymentError) as refused:
        check_tender(999_999_900, 350, max_multiple=20)
    assert refused.value.code == "payment.tender_too_large"
    check_tender(10_000, 350, max_multiple=20)  # a ¥100 note on ¥3.50
    check_tender(20 * 50_000, 50_000, max_multiple=20)
    with pytest.raises(PaymentError):
        check_tender(20 * 50_000 + 1, 50_000, max_multiple=20)
