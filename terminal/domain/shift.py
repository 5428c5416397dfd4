"""Shifts: one cashier's stretch at a till, from the cash float to the count.

A shift is opened with a float (the cash put in the drawer) by a member of staff, takes
pay-ins and pay-outs (cash put in or taken out of the drawer for a reason, never a sale)
and is closed with the cash counted in the drawer. Each shift has a number per device;
times are UTC; staff ids are plain strings (the staff records live elsewhere). Once
closed a shift never changes: its Z report is the record of it.

``revision`` counts the shift's events (opened, each movement, closed): every copy sent
to the cloud carries it, so an older copy arriving late is known for what it is.

What must not live here: the report arithmetic (``shift_report.py``), which orders belong
to a shift and anything on disk (``terminal/storage/shifts.py``), the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from terminal.domain.errors import DomainError, MoneyError
from terminal.domain.money import check_cents

DOCUMENT_VERSION = 1
MAX_STAFF_ID = 64
MAX_REASON = 200


class ShiftError(DomainError):
    """A rule of shifts broken: selling, moving cash or closing without the right shift."""

    CODES: ClassVar[Mapping[str, str]] = {
        "shift.refused": "that cannot be done with the till's shift as it is",
        "shift.none_open": "no shift is open: open a shift with the cash float before selling",
        "shift.already_open": (
            "shift {shift_no} is open since {opened_at}: close it before opening another"
        ),
        "shift.closed": "shift {shift_no} is closed: nothing can be added to it",
        "shift.no_staff": "give the staff id (1 to 64 characters) of who does this",
        "shift.no_reason": "say why cash goes into or out of the drawer (1 to 200 characters)",
        "shift.zero_amount": "the amount of a pay-in or pay-out must be more than 0.00",
        "shift.sale_open": (
            "sale {order_no} has money taken or on its way: finish it, or let its payment"
            " settle, before closing the shift"
        ),
        "shift.unknown": "shift {shift_no} is not in this till's store",
        "shift.no_z": "no Z report yet: a shift must be closed first",
    }
    DEFAULT = "shift.refused"


class MovementKind(StrEnum):
    PAY_IN = "pay_in"
    PAY_OUT = "pay_out"


@dataclass(frozen=True, slots=True)
class CashMovement:
    """Cash put into (pay-in) or taken out of (pay-out) the drawer, not for a sale."""

    movement_id: str
    kind: MovementKind
    cents: int
    reason: str
    staff_id: str
    at: datetime

    @property
    def signed_cents(self) -> int:
        """What the movement does to the drawer: + for a pay-in, - for a pay-out."""
        return self.cents if self.kind is MovementKind.PAY_IN else -self.cents


def _cents(value: object, what: str) -> int:
    try:
        return check_cents(value, what)
    except MoneyError as exc:
        # The money rule's own code and fields, as a shift error for its callers.
        raise ShiftError(exc.code, **exc.params) from None


def _staff(staff_id: object) -> str:
    if not isinstance(staff_id, str) or not 0 < len(staff_id.strip()) <= MAX_STAFF_ID:
        raise ShiftError("shift.no_staff")
    return staff_id.strip()


def cash_movement(
    *,
    movement_id: str,
    kind: MovementKind,
    cents: int,
    reason: str,
    staff_id: str,
    at: datetime,
) -> CashMovement:
    """A checked movement: whole positive cents, a reason, who did it."""
    amount = _cents(cents, "pay-in" if kind is MovementKind.PAY_IN else "pay-out")
    if amount == 0:
        raise ShiftError("shift.zero_amount")
    if not isinstance(reason, str) or not 0 < len(reason.strip()) <= MAX_REASON:
        raise ShiftError("shift.no_reason")
    return CashMovement(
        movement_id=movement_id,
        kind=MovementKind(kind),
        cents=amount,
        reason=reason.strip(),
        staff_id=_staff(staff_id),
        at=at,
    )


@dataclass(slots=True)
class Shift:
    shift_id: str
    device_id: str
    shift_no: int
    opened_at: datetime
    opened_by: str
    float_cents: int
    movements: list[CashMovement] = field(default_factory=list)
    closed_at: datetime | None = None
    closed_by: str | None = None
    counted_cents: int | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def revision(self) -> int:
        return 1 + len(self.movements) + (0 if self.is_open else 1)

    def add_movement(self, movement: CashMovement) -> None:
        self._ensure_open()
        self.movements.append(movement)

    def close(self, *, counted_cents: int, staff_id: str, now: datetime) -> None:
        """Close with the cash counted in the drawer (the float included)."""
        self._ensure_open()
        counted = _cents(counted_cents, "counted cash")
        self.closed_by = _staff(staff_id)
        self.counted_cents = counted
        self.closed_at = now

    def _ensure_open(self) -> None:
        if not self.is_open:
            raise ShiftError("shift.closed", shift_no=self.shift_no)


def open_shift(
    *,
    shift_id: str,
    device_id: str,
    shift_no: int,
    float_cents: int,
    staff_id: str,
    now: datetime,
) -> Shift:
    """A new shift with its float (0 is a drawer opened empty)."""
    if shift_no < 1:
        raise ValueError(f"shift numbers start at 1, got {shift_no}")
    return Shift(
        shift_id=shift_id,
        device_id=device_id,
        shift_no=shift_no,
        opened_at=now,
        opened_by=_staff(staff_id),
        float_cents=_cents(float_cents, "cash float"),
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def movement_to_document(movement: CashMovement) -> dict[str, Any]:
    return {
        "movement_id": movement.movement_id,
        "kind": str(movement.kind),
        "cents": movement.cents,
        "reason": movement.reason,
        "staff_id": movement.staff_id,
        "at": movement.at.isoformat(),
    }


def shift_to_document(shift: Shift) -> dict[str, Any]:
    """The shift as it is sent to the cloud: the whole shift so far, with its revision."""
    return {
        "version": DOCUMENT_VERSION,
        "shift_id": shift.shift_id,
        "device_id": shift.device_id,
        "shift_no": shift.shift_no,
        "revision": shift.revision,
        "opened_at": shift.opened_at.isoformat(),
        "opened_by": shift.opened_by,
        "float_cents": shift.float_cents,
        "movements": [movement_to_document(m) for m in shift.movements],
        "closed_at": _iso(shift.closed_at),
        "closed_by": shift.closed_by,
        "counted_cents": shift.counted_cents,
    }
