"""Shifts on a real SQLite store: which orders each shift holds, one open shift, each
change with its outbox entry in one transaction, Z reports written once and never
changed, and the migration on a store that already has sales."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlite_utils import Database

from terminal.domain.payment import PaymentState
from terminal.domain.shift import MovementKind, Shift, ShiftError, cash_movement
from terminal.storage import outbox
from terminal.storage.database import open_store, write_transaction
from terminal.storage.migrations import MIGRATIONS
from terminal.storage.orders import OrderRepository
from terminal.storage.shifts import ShiftRepository, ZReportWritten
from tests.support.fake_clock import FakeClock
from tests.support.shift_sales import cancelled_after_cash, paid_in, remote_payment
from tests.support.water_order import tendering_water_order


@pytest.fixture
def shifts(db: Database) -> ShiftRepository:
    return ShiftRepository(db)


def open_one(shifts: ShiftRepository, clock: FakeClock, float_cents: int = 10_000) -> Shift:
    return shifts.open(shift_id=str(uuid.uuid4()), device_id="T01", float_cents=float_cents,
                       staff_id="alice", now=clock())  # fmt: skip


def pay_in(shifts: ShiftRepository, clock: FakeClock, cents: int) -> None:
    shift = shifts.current()
    assert shift is not None
    now = clock()
    movement = cash_movement(movement_id=str(uuid.uuid4()), kind=MovementKind.PAY_IN,
                             cents=cents, reason="coins", staff_id="alice", at=now)  # fmt: skip
    shifts.add_movement(shift, movement, now)


def test_an_order_joins_the_shift_open_when_it_closes(
    shifts: ShiftRepository, orders: OrderRepository, clock: FakeClock
) -> None:
    before = paid_in(orders, "T01", clock, "cash")  # no shift yet: in none
    first = open_one(shifts, clock)
    in_first = [paid_in(orders, "T01", clock, "wechat"), cancelled_after_cash(orders, "T01",
                clock, 300)]  # fmt: skip
    still_open = tendering_water_order(orders, clock)
    assert shifts.order_nos(first.shift_id) == [o.order_no for o in in_first]
    assert before.order_no not in shifts.order_nos(first.shift_id)
    assert still_open.order_no not in shifts.order_nos(first.shift_id)


def test_only_one_shift_is_open_at_a_time(shifts: ShiftRepository, clock: FakeClock) -> None:
    first = open_one(shifts, clock)
    with pytest.raises(ShiftError) as refused:
        open_one(shifts, clock)
    assert refused.value.code == "shift.already_open"
    assert refused.value.params["shift_no"] == 1
    shifts.close(first.shift_id, counted_cents=10_000, staff_id="bob", now=clock())
    assert open_one(shifts, clock).shift_no == 2


def test_closing_is_refused_while_a_sale_has_money_on_its_way(
    shifts: ShiftRepository, orders: OrderRepository, clock: FakeClock, db: Database
) -> None:
    shift = open_one(shifts, clock)
    tendering_water_order(orders, clock)  # nothing paid yet: no money to count
    in_flight = tendering_water_order(orders, clock)
    payment = remote_payment(in_flight, "wechat", in_flight.balance_due_cents, clock)
    payment.state = PaymentState.PENDING  # sent, no answer yet
    in_flight.add_payment(payment)
    orders.save(in_flight, clock())
    with pytest.raises(ShiftError) as refused:
        shifts.close(shift.shift_id, counted_cents=0, staff_id="bob", now=clock())
    assert refused.value.code == "shift.sale_open"
    assert refused.value.params == {"order_no": in_flight.order_no}
    assert shifts.load(shift.shift_id).is_open
    assert [e["kind"] for e in outbox.entries_for(db, shift.shift_id)] == ["shift.opened"]


def test_orders_closed_between_shifts_join_the_next_one(
    shifts: ShiftRepository, orders: OrderRepository, clock: FakeClock
) -> None:
    before_any = paid_in(orders, "T01", clock, "cash")
    first = open_one(shifts, clock)
    shifts.close(first.shift_id, counted_cents=10_000, staff_id="bob", now=clock())
    recovered = paid_in(orders, "T01", clock, "cash")  # e.g. completed by start-up recovery
    second = open_one(shifts, clock)
    assert shifts.order_nos(second.shift_id) == [recovered.order_no]
    assert before_any.order_no not in shifts.order_nos(first.shift_id) + shifts.order_nos(
        second.shift_id
    )


def test_each_change_is_queued_with_its_revision_in_the_same_transaction(
    shifts: ShiftRepository, clock: FakeClock, db: Database
) -> None:
    shift = open_one(shifts, clock)
    pay_in(shifts, clock, 500)
    report = shifts.close(shift.shift_id, counted_cents=10_500, staff_id="bob", now=clock())
    entries = outbox.entries_for(db, shift.shift_id)
    assert [(e["kind"], e["idempotency_key"], e["payload"]["revision"]) for e in entries] == [
        ("shift.opened", f"shift:{shift.shift_id}:1", 1),
        ("shift.pay_in", f"shift:{shift.shift_id}:2", 2),
        ("shift.closed", f"shift:{shift.shift_id}:3", 3),
    ]
    (z_entry,) = outbox.entries_for(db, "T01:1")
    assert z_entry["aggregate_type"] == "z_report" and z_entry["idempotency_key"] == "z:T01:1"
    assert z_entry["payload"] == shifts.z_document("T01") and report.variance_cents == 0


def test_a_failed_write_leaves_neither_the_change_nor_its_entry(
    shifts: ShiftRepository, clock: FakeClock, db: Database
) -> None:
    shift = open_one(shifts, clock)
    queued = outbox.stats(db).pending
    now = clock()
    movement = cash_movement(movement_id="dup", kind=MovementKind.PAY_OUT, cents=100,
                             reason="milk", staff_id="alice", at=now)  # fmt: skip
    shifts.add_movement(shift, movement, now)
    with pytest.raises(sqlite3.IntegrityError):
        shifts.add_movement(shifts.load(shift.shift_id), movement, clock())  # same id again
    assert outbox.stats(db).pending == queued + 1
    assert len(shifts.load(shift.shift_id).movements) == 1


def test_a_z_report_is_written_once_and_never_changed(
    shifts: ShiftRepository, orders: OrderRepository, clock: FakeClock, db: Database
) -> None:
    shift = open_one(shifts, clock)
    pay_in(shifts, clock, 100)
    paid_in(orders, "T01", clock, "cash", quantity=3)
    report = shifts.close(shift.shift_id, counted_cents=10_700, staff_id="bob", now=clock())
    written = shifts.z_document("T01")
    assert written is not None and written["counted_cents"] == 10_700
    # In code: a second Z for the number or the shift is refused, and nothing updates one.
    with write_transaction(db), pytest.raises(ZReportWritten):
        shifts.write_z_in_transaction(report, clock())
    # In the store itself, whatever the code does.
    for statement in (
        "UPDATE z_reports SET counted_cents = 0",
        "UPDATE z_reports SET document = '{}' WHERE z_number = 1",
        "INSERT OR REPLACE INTO z_reports SELECT * FROM z_reports",
        "UPDATE shifts SET counted_cents = 0",
        "UPDATE shift_movements SET cents = 1",
    ):
        with pytest.raises(sqlite3.IntegrityError, match=r"never changed|written once"):
            db.execute(statement)
    with pytest.raises(sqlite3.IntegrityError, match="closed"):
        db.execute(
            "INSERT INTO shift_movements VALUES ('m', ?, 'pay_in', 1, 'r', 'a', 'now')",
            [shift.shift_id],
        )
    assert shifts.z_document("T01") == written
    with pytest.raises(ShiftError) as refused:
        shifts.close(shift.shift_id, counted_cents=1, staff_id="bob", now=clock())
    assert refused.value.code == "shift.closed"


def test_z_numbers_count_per_device(shifts: ShiftRepository, clock: FakeClock) -> None:
    numbers = []
    for _ in range(3):
        shift = open_one(shifts, clock)
        numbers.append(
            shifts.close(shift.shift_id, counted_cents=0, staff_id="bob", now=clock()).z_number
        )
    assert numbers == [1, 2, 3] and shifts.z_count("T01") == 3
    assert (shifts.z_document("T01", 2) or {}).get("shift_no") == 2


def test_the_migration_applies_on_a_store_that_already_has_sales(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    MIGRATIONS.apply(old, stop_before="0006_shifts")  # the store as the last release left it
    clock = FakeClock()
    sold = paid_in(OrderRepository(old), "T01", clock, "cash")
    old.close()
    db = open_store(path)
    try:
        assert "0006_shifts" in {m.name for m in MIGRATIONS.applied(db)}
        shifts, orders = ShiftRepository(db), OrderRepository(db)
        shift = open_one(shifts, clock)
        new = paid_in(orders, "T01", clock, "alipay")
        assert shifts.order_nos(shift.shift_id) == [new.order_no]  # the old sale stays out
        report = shifts.close(shift.shift_id, counted_cents=10_000, staff_id="bob", now=clock())
        assert report.figures.tender("alipay").net_cents == new.totals().total_cents
        assert orders.load(sold.order_no).is_final
    finally:
        db.close()
