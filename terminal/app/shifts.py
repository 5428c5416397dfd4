"""Shifts at the till: open with a float, pay-ins and pay-outs, the X report, the close
with the cash count and its Z report; and the rule that a till sells only in an open
shift (``require_open_shift``).

Each change is committed locally with its outbox entry before it returns (the storage
module does both in one transaction), so the cloud gets each exactly once whatever
happens to the till or the network. The service works on the store's connection, like
the other services of the till: call it on the till's store thread.

What must not live here: SQL and which orders belong to a shift
(``terminal/storage/shifts.py``), the arithmetic (``terminal/domain/shift_report.py``),
words for the screens, Qt.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from terminal.clock import Clock, utc_now
from terminal.domain.shift import CashMovement, MovementKind, Shift, ShiftError, cash_movement
from terminal.domain.shift_report import XReport, ZReport, x_report
from terminal.storage.shifts import ShiftRepository

log = logging.getLogger(__name__)


class ShiftService:
    def __init__(
        self,
        db: Database,
        device_id: str,
        *,
        clock: Clock = utc_now,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self._shifts = ShiftRepository(db)
        self._device_id = device_id
        self._clock = clock
        self._new_id = new_id

    @property
    def device_id(self) -> str:
        return self._device_id

    def current(self) -> Shift | None:
        """The open shift, or None."""
        return self._shifts.current()

    def open(self, float_cents: int, staff_id: str) -> Shift:
        """Open the next shift with the cash float put in the drawer."""
        now = self._clock()
        shift = self._shifts.open(
            shift_id=self._new_id(),
            device_id=self._device_id,
            float_cents=float_cents,
            staff_id=staff_id,
            now=now,
        )
        log.info(
            "shift opened",
            extra={"shift_no": shift.shift_no, "staff": shift.opened_by, "float": float_cents},
        )
        return shift

    def pay_in(self, cents: int, reason: str, staff_id: str) -> CashMovement:
        return self._move(MovementKind.PAY_IN, cents, reason, staff_id)

    def pay_out(self, cents: int, reason: str, staff_id: str) -> CashMovement:
        return self._move(MovementKind.PAY_OUT, cents, reason, staff_id)

    def x_report(self) -> XReport:
        """The open shift's figures so far; nothing is written."""
        return self.report_of(require_open_shift(self))

    def report_of(self, shift: Shift) -> XReport:
        """Any shift's figures as they stand (a closed one's Z is its record)."""
        return x_report(shift, self._shifts.sales(shift.shift_id), self._clock())

    def close(self, counted_cents: int, staff_id: str) -> ZReport:
        """Close the open shift with the cash counted in the drawer; its Z report.
        Refused (``shift.sale_open``) while a sale not yet closed has money taken or on its
        way; a sale with none (being scanned, held) joins the shift it closes in."""
        shift = require_open_shift(self)
        report = self._shifts.close(
            shift.shift_id, counted_cents=counted_cents, staff_id=staff_id, now=self._clock()
        )
        log.info(
            "shift closed",
            extra={
                "shift_no": shift.shift_no,
                "z_number": report.z_number,
                "variance": report.variance_cents,
            },
        )
        return report

    def shift(self, shift_no: int | None = None) -> Shift:
        """Shift ``shift_no`` of this device, else the open one."""
        if shift_no is None:
            return require_open_shift(self)
        found = self._shifts.by_number(self._device_id, shift_no)
        if found is None:
            raise ShiftError("shift.unknown", shift_no=shift_no)
        return found

    def z_document(self, shift_no: int | None = None) -> dict[str, Any]:
        """The stored Z report of shift ``shift_no``, else the last one, as written."""
        if shift_no is not None:
            self.shift(shift_no)  # an unknown number says so
        document = self._shifts.z_document(self._device_id, shift_no)
        if document is None:
            raise ShiftError("shift.no_z")
        return document

    def _move(self, kind: MovementKind, cents: int, reason: str, staff_id: str) -> CashMovement:
        shift = require_open_shift(self)
        now = self._clock()
        movement = cash_movement(
            movement_id=self._new_id(),
            kind=kind,
            cents=cents,
            reason=reason,
            staff_id=staff_id,
            at=now,
        )
        self._shifts.add_movement(shift, movement, now)
        log.info(
            "cash movement",
            extra={"shift_no": shift.shift_no, "kind": str(kind), "cents": movement.cents},
        )
        return movement


def require_open_shift(shifts: ShiftService) -> Shift:
    """The open shift; ``ShiftError("shift.none_open")`` when there is none. The till
    calls this before a new sale starts."""
    shift = shifts.current()
    if shift is None:
        raise ShiftError("shift.none_open")
    return shift
