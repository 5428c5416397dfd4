"""The shift: opened with a float, cash movements while open, closed once with a count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from terminal.domain.errors import DomainError
from terminal.domain.shift import (
    CashMovement,
    MovementKind,
    Shift,
    ShiftError,
    cash_movement,
    open_shift,
    shift_to_document,
)

OPENED = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)


def a_shift(float_cents: int = 50_000) -> Shift:
    return open_shift(shift_id="s-1", device_id="T01", shift_no=1, float_cents=float_cents,
                      staff_id=" alice ", now=OPENED)  # fmt: skip


def a_movement(
    kind: MovementKind = MovementKind.PAY_IN,
    cents: int = 1_000,
    *,
    movement_id: str = "m-1",
    reason: str = "coins from the bank",
    staff_id: str = "alice",
) -> CashMovement:
    return cash_movement(movement_id=movement_id, kind=kind, cents=cents, reason=reason,
                         staff_id=staff_id, at=OPENED + timedelta(minutes=5))  # fmt: skip


def test_a_new_shift_is_open_with_its_float_and_who_opened_it() -> None:
    shift = a_shift()
    assert shift.is_open and shift.opened_by == "alice" and shift.float_cents == 50_000
    assert shift.revision == 1


def test_a_drawer_may_open_empty_but_not_negative() -> None:
    assert a_shift(0).float_cents == 0
    with pytest.raises(ShiftError) as refused:
        a_shift(-1)
    assert refused.value.code == "money.negative"
    with pytest.raises(ShiftError) as refused:
        a_shift(12.5)  # type: ignore[arg-type]
    assert refused.value.code == "money.not_cents"


@pytest.mark.parametrize("staff_id", ["", "   ", "x" * 65, None])
def test_opening_needs_a_staff_id(staff_id: object) -> None:
    with pytest.raises(ShiftError) as refused:
        open_shift(shift_id="s", device_id="T01", shift_no=1, float_cents=0,
                   staff_id=staff_id, now=OPENED)  # type: ignore[arg-type]  # fmt: skip
    assert refused.value.code == "shift.no_staff"


def test_a_movement_is_whole_positive_cents_with_a_reason() -> None:
    assert a_movement().signed_cents == 1_000
    assert a_movement(MovementKind.PAY_OUT, 250).signed_cents == -250
    for cents, code in ((0, "shift.zero_amount"), (-5, "money.negative")):
        with pytest.raises(ShiftError) as refused:
            a_movement(cents=cents)
        assert refused.value.code == code
    with pytest.raises(ShiftError) as refused:
        a_movement(reason="  ")
    assert refused.value.code == "shift.no_reason"
    with pytest.raises(ShiftError) as refused:
        a_movement(staff_id="")
    assert refused.value.code == "shift.no_staff"


def test_each_event_raises_the_revision_and_a_closed_shift_takes_nothing_more() -> None:
    shift = a_shift()
    shift.add_movement(a_movement())
    shift.add_movement(a_movement(MovementKind.PAY_OUT, 300, movement_id="m-2"))
    assert shift.revision == 3
    shift.close(counted_cents=50_700, staff_id="bob", now=OPENED + timedelta(hours=8))
    assert not shift.is_open and shift.revision == 4 and shift.closed_by == "bob"
    with pytest.raises(ShiftError) as refused:
        shift.add_movement(a_movement(movement_id="m-3"))
    assert refused.value.code == "shift.closed" and refused.value.params == {"shift_no": 1}
    with pytest.raises(ShiftError):
        shift.close(counted_cents=1, staff_id="bob", now=OPENED + timedelta(hours=9))
    assert shift.counted_cents == 50_700


def test_a_count_is_whole_non_negative_cents() -> None:
    shift = a_shift()
    with pytest.raises(ShiftError) as refused:
        shift.close(counted_cents=-1, staff_id="bob", now=OPENED)
    assert refused.value.code == "money.negative"
    assert shift.is_open


def test_shift_errors_are_domain_errors_with_registered_codes() -> None:
    error = ShiftError("shift.already_open", shift_no=3, opened_at="2026-11-22T01:00")
    assert isinstance(error, DomainError)
    assert str(error) == "shift 3 is open since 2026-11-22T01:00: close it before opening another"
    with pytest.raises(ValueError):
        ShiftError("no shift is open")


def test_the_document_carries_the_whole_shift_so_far() -> None:
    shift = a_shift()
    shift.add_movement(a_movement())
    document = shift_to_document(shift)
    assert document["revision"] == 2 and document["closed_at"] is None
    assert document["movements"] == [
        {"movement_id": "m-1", "kind": "pay_in", "cents": 1_000, "reason": "coins from the bank",
         "staff_id": "alice", "at": "2026-11-22T01:05:00+00:00"}
    ]  # fmt: skip
    assert document["opened_at"] == "2026-11-22T01:00:00+00:00"
