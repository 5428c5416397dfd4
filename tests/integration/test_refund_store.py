"""Refunds on disk: written whole with their number and outbox entry in one transaction,
answers applied once whoever brings them, and start-up recovery of what a crash left."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from terminal.app.refund_recovery import recover_refunds
from terminal.domain.refund import (
    Refund,
    RefundError,
    RefundMethod,
    RefundPaymentState,
    RefundState,
)
from terminal.domain.refund_document import refund_to_document
from terminal.domain.refund_request import LineRequest, new_return
from terminal.storage import outbox
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from terminal.storage.refunds import RefundRepository
from tests.support.refunds import CASHIER, DAY, NOW, later, mixed_order, sold


def refund_lines(orders: OrderRepository, refunds: RefundRepository, order_no: str,
                 requests: list[LineRequest], *, day: date = DAY) -> Refund:  # fmt: skip
    sold_side = sold(orders.load(order_no))

    def build(refund_no: str, earlier: list[Refund]) -> Refund:
        return new_return(refund_no=refund_no, now=NOW, sold=sold_side, earlier=earlier,
                          requests=requests, reason="damaged", cashier_id=CASHIER)  # fmt: skip

    return refunds.create("T01", day, NOW, build, order_no=order_no)


def test_a_refund_is_stored_whole_with_one_outbox_entry(
    orders: OrderRepository, db: Database
) -> None:
    order = mixed_order(orders, "T01")
    refunds = RefundRepository(db)
    refund = refund_lines(orders, refunds, order.order_no, [LineRequest(1, quantity=2)])
    assert refund.refund_no == "T01-20261122-R0001"
    assert refunds.load(refund.refund_no) == refund
    [entry] = outbox.entries_for(db, refund.refund_no)
    assert (entry["aggregate_type"], entry["idempotency_key"], entry["kind"]) == (
        "refund", refund.refund_no, "refund")  # fmt: skip
    assert entry["payload"] == refund_to_document(refund)
    assert [p.method for p in refund.payments] == [RefundMethod.WALLET_CODE]
    assert refunds.pending() == [refund]


def test_numbers_have_no_gaps_and_a_refused_build_uses_none(
    orders: OrderRepository, db: Database
) -> None:
    order = mixed_order(orders, "T01")
    refunds = RefundRepository(db)
    refund_lines(orders, refunds, order.order_no, [LineRequest(1, quantity=1)])
    with pytest.raises(RefundError):
        refund_lines(orders, refunds, order.order_no, [LineRequest(1, quantity=3)])
    second = refund_lines(orders, refunds, order.order_no, [LineRequest(1, quantity=2)])
    other_day = refund_lines(orders, refunds, order.order_no, [LineRequest(2, grams=10)],
                             day=date(2026, 11, 23))  # fmt: skip
    assert (second.refund_no, other_day.refund_no) == ("T01-20261122-R0002", "T01-20261123-R0001")
    assert refunds.count() == 3 and outbox.stats(db).pending == 1 + 3  # the order, 3 refunds


def test_the_build_sees_the_earlier_refunds_on_disk(orders: OrderRepository, db: Database) -> None:
    order = mixed_order(orders, "T01")
    refund_lines(orders, RefundRepository(db), order.order_no, [LineRequest(1)])
    # Another connection (the cloud thread's, another process) sees the same earlier refund.
    other = open_store(Path(db.conn.execute("PRAGMA database_list").fetchone()[2]))
    try:
        with pytest.raises(RefundError) as refused:
            refund_lines(OrderRepository(other), RefundRepository(other), order.order_no,
                         [LineRequest(1)])  # fmt: skip
        assert refused.value.code == "refund.nothing_left"
    finally:
        other.close()


def test_an_answer_is_applied_once_and_a_later_one_is_ignored(
    orders: OrderRepository, db: Database
) -> None:
    order = mixed_order(orders, "T01")
    refunds = RefundRepository(db)
    refund = refund_lines(orders, refunds, order.order_no, [LineRequest(1), LineRequest(2)])
    ids = [p.refund_payment_id for p in refund.waiting()]
    assert len(ids) == 2  # the wallet trade, then the face payment
    refunds.settle(refund.refund_no, ids[0], succeeded=True, now=later(1))
    refunds.settle(refund.refund_no, ids[0], succeeded=False, now=later(2), reason="late")
    done = refunds.settle(refund.refund_no, ids[1], succeeded=True, now=later(3))
    assert done.state is RefundState.DONE and done.completed_at == later(3)
    assert refunds.load(refund.refund_no) == done
    assert [p.state for p in done.payments] == [RefundPaymentState.SUCCEEDED] * 3
    assert refunds.pending() == []


def test_recovery_finishes_what_has_its_answers_and_queues_what_waits(
    orders: OrderRepository, db: Database
) -> None:
    order = mixed_order(orders, "T01")
    refunds = RefundRepository(db)
    answered = refund_lines(orders, refunds, order.order_no, [LineRequest(1, quantity=1)])
    waiting = refund_lines(orders, refunds, order.order_no, [LineRequest(2)])
    # As a store edited by hand might leave it: answered, but the refund not ended; and a
    # refund whose entry is gone.
    with db.conn:
        db.conn.execute("UPDATE refund_payments SET state = 'succeeded' WHERE refund_no = ?",
                        [answered.refund_no])  # fmt: skip
        db.conn.execute("DELETE FROM outbox WHERE aggregate_id = ?", [waiting.refund_no])
    report = recover_refunds(db, later(5))
    assert [(r.refund_no, r.state) for r in report] == [
        (answered.refund_no, RefundState.DONE),
        (waiting.refund_no, RefundState.PENDING),
    ]
    assert report[1].pending_cents == waiting.pending_cents > 0
    assert len(outbox.entries_for(db, waiting.refund_no)) == 1
    assert recover_refunds(db, later(6))[0].refund_no == waiting.refund_no


def test_a_refund_row_cannot_be_half_written(db: Database) -> None:
    # The schema itself refuses nonsense a bug might try to write.
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO refunds (refund_no, device_id, business_date, seq, kind, state,"
            " reason, cashier_id, total_cents, created_at, updated_at)"
            " VALUES ('x', 'T01', '2026-11-22', 1, 'return', 'lost', 'r', 'c', 1, 'n', 'n')"
        )
