"""Shifts, their cash movements and Z reports on disk, and which orders each shift holds.

Which orders belong to a shift: ``shift_orders``, filled by a trigger (migration
0006_shifts) in the very transaction that closes an order, with the shift open at that
moment. Nothing in the checkout has to remember to do it, a crash cannot separate an
order from its shift, and a clock set wrong cannot move an order to another shift (a time
window could). An order that closes while no shift is open (a sale recovered at start-up
before anyone opened one) joins the next shift opened (``open``).

Every change is committed with its outbox entry in one transaction: opening, each pay-in
or pay-out, and closing (aggregate ``shift``, the whole shift document with its revision,
keyed by shift id and revision), and the Z report written with the close (aggregate
``z_report``, keyed by device and Z number). The close computes the figures inside its
write transaction, so no order can close in between and be in the shift but not in its Z,
and is refused while a sale not yet closed has money taken or on its way.
A Z report is written once (plain INSERT, refused if the number or the shift has one) and
never updated: no method here changes one, and the migration's triggers refuse it.

What must not live here: the rules and the arithmetic (``terminal/domain/shift.py``,
``shift_report.py``), the clock and new ids (``terminal/app/shifts.py``).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from terminal.domain.order import Order
from terminal.domain.shift import (
    CashMovement,
    MovementKind,
    Shift,
    ShiftError,
    open_shift,
    shift_to_document,
)
from terminal.domain.shift_report import (
    ShiftSales,
    TenderLine,
    ZReport,
    sales_of_orders,
    z_report,
    z_report_document,
)
from terminal.storage import outbox
from terminal.storage.database import write_transaction
from terminal.storage.errors import StoreError
from terminal.storage.orders import OrderRepository

SHIFT_AGGREGATE = "shift"
Z_AGGREGATE = "z_report"
_SHIFT_COLUMNS = (
    "shift_id, device_id, shift_no, opened_at, opened_by, float_cents, closed_at, closed_by,"
    " counted_cents"
)


class ZReportWritten(StoreError):
    """A Z report is written once and never changed."""


def shift_entry_key(shift: Shift) -> str:
    """The outbox key of one event of a shift: its id and the revision the event made."""
    return f"shift:{shift.shift_id}:{shift.revision}"


def z_entry_key(device_id: str, z_number: int) -> str:
    return f"z:{device_id}:{z_number}"


class ShiftRepository:
    def __init__(self, db: Database):
        self.db = db
        self._orders = OrderRepository(db)

    # -- reading ---------------------------------------------------------------

    def current(self) -> Shift | None:
        """The open shift, if any (there is at most one)."""
        row = self.db.execute(
            f"SELECT {_SHIFT_COLUMNS} FROM shifts WHERE closed_at IS NULL"
        ).fetchone()
        return self._assemble(row) if row is not None else None

    def load(self, shift_id: str) -> Shift:
        row = self.db.execute(
            f"SELECT {_SHIFT_COLUMNS} FROM shifts WHERE shift_id = ?", [shift_id]
        ).fetchone()
        if row is None:
            raise LookupError(f"shift {shift_id} is not in the store")
        return self._assemble(row)

    def by_number(self, device_id: str, shift_no: int) -> Shift | None:
        row = self.db.execute(
            f"SELECT {_SHIFT_COLUMNS} FROM shifts WHERE device_id = ? AND shift_no = ?",
            [device_id, shift_no],
        ).fetchone()
        return self._assemble(row) if row is not None else None

    def order_nos(self, shift_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT s.order_no FROM shift_orders s JOIN orders o ON o.order_no = s.order_no"
            " WHERE s.shift_id = ? ORDER BY o.closed_at, s.order_no",
            [shift_id],
        ).fetchall()
        return [str(row[0]) for row in rows]

    def orders(self, shift_id: str) -> list[Order]:
        return [self._orders.load(order_no) for order_no in self.order_nos(shift_id)]

    def sales(self, shift_id: str) -> ShiftSales:
        """What the shift's orders add up to, with the money its refunds gave back."""
        lines, refund_nos = self.refund_lines(shift_id)
        return sales_of_orders(self.orders(shift_id)).plus(lines, refund_nos)

    def refund_lines(self, shift_id: str) -> tuple[list[TenderLine], list[str]]:
        """Each refund payment that went through while the shift was open, by tender (a
        refund belongs to the shift in which it was made), and those refunds' numbers."""
        rows = self.db.execute(
            "SELECT p.method, p.provider, p.amount_cents, p.refund_no FROM refund_payments p"
            " JOIN refunds r ON r.refund_no = p.refund_no"
            " JOIN shifts s ON s.shift_id = ? AND r.device_id = s.device_id"
            " WHERE p.state = 'succeeded' AND r.created_at >= s.opened_at"
            " AND (s.closed_at IS NULL OR r.created_at <= s.closed_at)"
            " ORDER BY r.created_at, p.refund_payment_id",
            [shift_id],
        ).fetchall()
        lines = [
            TenderLine(str(method), provider, refunds_cents=int(amount), refunds_count=1)
            for method, provider, amount, _no in rows
        ]
        return lines, list(dict.fromkeys(str(row[3]) for row in rows))

    def z_document(self, device_id: str, shift_no: int | None = None) -> dict[str, Any] | None:
        """The stored Z report, exactly as written: of shift ``shift_no``, else the last."""
        if shift_no is None:
            row = self.db.execute(
                "SELECT document FROM z_reports WHERE device_id = ? ORDER BY z_number DESC LIMIT 1",
                [device_id],
            ).fetchone()
        else:
            row = self.db.execute(
                "SELECT document FROM z_reports WHERE device_id = ? AND shift_no = ?",
                [device_id, shift_no],
            ).fetchone()
        return json.loads(row[0]) if row is not None else None

    def z_count(self, device_id: str) -> int:
        row = self.db.execute(
            "SELECT COUNT(*) FROM z_reports WHERE device_id = ?", [device_id]
        ).fetchone()
        return int(row[0])

    # -- writing ---------------------------------------------------------------

    def open(
        self, *, shift_id: str, device_id: str, float_cents: int, staff_id: str, now: datetime
    ) -> Shift:
        """Open the next shift of ``device_id``; refused while one is open."""
        with write_transaction(self.db):
            running = self.current()
            if running is not None:
                raise ShiftError(
                    "shift.already_open",
                    shift_no=running.shift_no,
                    opened_at=running.opened_at.isoformat(timespec="minutes"),
                )
            last = self.db.execute(
                "SELECT MAX(shift_no) FROM shifts WHERE device_id = ?", [device_id]
            ).fetchone()[0]
            shift = open_shift(
                shift_id=shift_id,
                device_id=device_id,
                shift_no=(last or 0) + 1,
                float_cents=float_cents,
                staff_id=staff_id,
                now=now,
            )
            self.db.execute(
                "INSERT INTO shifts (shift_id, device_id, shift_no, opened_at, opened_by,"
                " float_cents) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    shift.shift_id,
                    shift.device_id,
                    shift.shift_no,
                    shift.opened_at.isoformat(),
                    shift.opened_by,
                    shift.float_cents,
                ],
            )
            self._adopt_orders_closed_between_shifts(shift)
            self._enqueue_shift(shift, "shift.opened", now)
        return shift

    def add_movement(self, shift: Shift, movement: CashMovement, now: datetime) -> None:
        """Record a pay-in or pay-out of the open ``shift`` (changed in memory too)."""
        with write_transaction(self.db):
            stored = self.load(shift.shift_id)
            stored.add_movement(movement)  # refused when the shift closed meanwhile
            self.db.execute(
                "INSERT INTO shift_movements (movement_id, shift_id, kind, cents, reason,"
                " staff_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    movement.movement_id,
                    shift.shift_id,
                    str(movement.kind),
                    movement.cents,
                    movement.reason,
                    movement.staff_id,
                    movement.at.isoformat(),
                ],
            )
            self._enqueue_shift(stored, f"shift.{movement.kind}", now)
        shift.movements[:] = stored.movements

    def close(self, shift_id: str, *, counted_cents: int, staff_id: str, now: datetime) -> ZReport:
        """Close the shift with the cash counted, and write its Z report: one transaction."""
        with write_transaction(self.db):
            shift = self.load(shift_id)
            if shift.is_open:
                # Money taken or on its way in a sale not yet closed would be in the drawer
                # (or the wallet) but in no order of this Z. A sale without any (being
                # scanned, or held) holds no money: it joins the shift it closes in.
                unfinished = self.db.execute(
                    "SELECT o.order_no FROM orders o JOIN payments p ON p.order_no = o.order_no"
                    " WHERE o.state IN ('open', 'tendering')"
                    " AND p.state IN ('pending', 'unknown', 'succeeded')"
                    " ORDER BY o.opened_at LIMIT 1"
                ).fetchone()
                if unfinished is not None:
                    raise ShiftError("shift.sale_open", order_no=unfinished[0])
            shift.close(counted_cents=counted_cents, staff_id=staff_id, now=now)
            self.db.execute(
                "UPDATE shifts SET closed_at = ?, closed_by = ?, counted_cents = ?"
                " WHERE shift_id = ?",
                [_iso(shift.closed_at), shift.closed_by, shift.counted_cents, shift.shift_id],
            )
            self._enqueue_shift(shift, "shift.closed", now)
            last = self.db.execute(
                "SELECT MAX(z_number) FROM z_reports WHERE device_id = ?", [shift.device_id]
            ).fetchone()[0]
            report = z_report(shift, self.sales(shift.shift_id), (last or 0) + 1)
            self.write_z_in_transaction(report, now)
        return report

    def write_z_in_transaction(self, report: ZReport, now: datetime) -> None:
        """Write a Z report and its outbox entry (``close`` does, inside its transaction);
        ``ZReportWritten`` when the number or the shift already has one."""
        if not self.db.conn.in_transaction:
            raise RuntimeError("a Z report is written inside the close's transaction")
        shift, figures = report.shift, report.figures
        document = z_report_document(report)
        try:
            self.db.execute(
                "INSERT INTO z_reports (device_id, z_number, shift_id, shift_no, closed_at,"
                " float_cents, sales_cents, refunds_cents, net_cents, cash_expected_cents,"
                " counted_cents, variance_cents, document, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    shift.device_id,
                    report.z_number,
                    shift.shift_id,
                    shift.shift_no,
                    _iso(shift.closed_at),
                    figures.float_cents,
                    figures.sales_cents,
                    figures.refunds_cents,
                    figures.net_cents,
                    figures.cash_expected_cents,
                    report.counted_cents,
                    report.variance_cents,
                    json.dumps(document, ensure_ascii=False, separators=(",", ":")),
                    now.isoformat(),
                ],
            )
        except sqlite3.IntegrityError as exc:
            raise ZReportWritten(
                f"Z report {report.z_number} of {shift.device_id} (shift {shift.shift_no})"
                f" is already written: {exc}"
            ) from None
        outbox.enqueue(
            self.db,
            kind="z_report.created",
            aggregate_type=Z_AGGREGATE,
            aggregate_id=f"{shift.device_id}:{report.z_number}",
            idempotency_key=z_entry_key(shift.device_id, report.z_number),
            payload=document,
            now=now,
        )

    def _enqueue_shift(self, shift: Shift, kind: str, now: datetime) -> None:
        outbox.enqueue(
            self.db,
            kind=kind,
            aggregate_type=SHIFT_AGGREGATE,
            aggregate_id=shift.shift_id,
            idempotency_key=shift_entry_key(shift),
            payload=shift_to_document(shift),
            now=now,
        )

    def _adopt_orders_closed_between_shifts(self, shift: Shift) -> None:
        """Orders closed since the previous shift's close, while none was open, join this
        one. Before the first shift there is no previous close: older orders (a store from
        before shifts existed) stay out of every shift."""
        previous = self.db.execute(
            "SELECT MAX(closed_at) FROM shifts WHERE closed_at IS NOT NULL"
        ).fetchone()[0]
        if previous is None:
            return
        self.db.execute(
            "INSERT INTO shift_orders (order_no, shift_id)"
            " SELECT order_no, ? FROM orders"
            " WHERE state IN ('paid', 'cancelled') AND closed_at IS NOT NULL"
            " AND julianday(closed_at) >= julianday(?)"
            " AND order_no NOT IN (SELECT order_no FROM shift_orders)",
            [shift.shift_id, previous],
        )

    def _assemble(self, row: tuple[Any, ...]) -> Shift:
        shift_id = row[0]
        movements = [
            CashMovement(
                movement_id=m[0],
                kind=MovementKind(m[1]),
                cents=m[2],
                reason=m[3],
                staff_id=m[4],
                at=datetime.fromisoformat(m[5]),
            )
            for m in self.db.execute(
                "SELECT movement_id, kind, cents, reason, staff_id, at FROM shift_movements"
                " WHERE shift_id = ? ORDER BY rowid",
                [shift_id],
            ).fetchall()
        ]
        return Shift(
            shift_id=shift_id,
            device_id=row[1],
            shift_no=row[2],
            opened_at=datetime.fromisoformat(row[3]),
            opened_by=row[4],
            float_cents=row[5],
            movements=movements,
            closed_at=_parse(row[6]),
            closed_by=row[7],
            counted_cents=row[8],
        )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
