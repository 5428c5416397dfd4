"""Refunds, their lines and refund payments on disk.

A refund is written once, whole, in one transaction with the number it is given and its
outbox entry (aggregate_type ``refund``, idempotency key = the refund number): a crash
leaves either no refund and no number used, or the complete refund queued for the cloud.
The domain builds the refund inside that transaction (``create``'s ``build``), from the
earlier refunds of the order as they are on disk at that moment, so two refunds of one
order can never both take its last piece.

Afterwards only refund payments' answers change (``settle``, ``fail_waiting``): each is
applied to the refund as it is on disk inside a write transaction, and an answer for a
payment that already has one is ignored, so the till's cloud thread and the sync worker
may both carry the same refund out without writing over each other.

What must not live here: the refund rules (``terminal/domain/refund.py``), talking to the
cloud (``terminal/payments/refunds.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from terminal.domain.refund import (
    Refund,
    RefundKind,
    RefundLine,
    RefundMethod,
    RefundPayment,
    RefundPaymentState,
    RefundState,
    format_refund_number,
)
from terminal.domain.refund_document import refund_to_document
from terminal.storage import outbox
from terminal.storage.database import write_transaction

log = logging.getLogger(__name__)

OUTBOX_KIND = "refund"
AGGREGATE = "refund"

# Build the refund given its number and the order's earlier refunds (as on disk now).
Build = Callable[[str, list[Refund]], Refund]


class RefundRepository:
    def __init__(self, db: Database):
        self.db = db

    # -- writing ---------------------------------------------------------------

    def create(
        self,
        device_id: str,
        business_date: date,
        now: datetime,
        build: Build,
        *,
        order_no: str | None,
    ) -> Refund:
        """Number, build and record a refund with its outbox entry, atomically. Whatever
        ``build`` raises rolls everything back (no number is used)."""
        with write_transaction(self.db):
            seq = self.db.execute(
                "INSERT INTO refund_sequences (device_id, business_date, last_seq)"
                " VALUES (?, ?, 1)"
                " ON CONFLICT (device_id, business_date)"
                " DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
                [device_id, business_date.isoformat()],
            ).fetchone()[0]
            refund_no = format_refund_number(device_id, business_date, seq)
            earlier = self.for_order(order_no) if order_no is not None else []
            refund = build(refund_no, earlier)
            if refund.refund_no != refund_no or refund.order_no != order_no:
                raise ValueError(f"build made {refund.refund_no}, not {refund_no} of {order_no}")
            self._insert(refund, seq, now)
            outbox.enqueue(
                self.db,
                kind=OUTBOX_KIND,
                aggregate_type=AGGREGATE,
                aggregate_id=refund_no,
                idempotency_key=refund_no,
                payload=refund_to_document(refund),
                now=now,
            )
        log.info(
            "refund recorded",
            extra={
                "refund_no": refund.refund_no,
                "order_no": refund.order_no,
                "total_cents": refund.total_cents,
                "state": str(refund.state),
            },
        )
        return refund

    def settle(
        self,
        refund_no: str,
        refund_payment_id: str,
        *,
        succeeded: bool,
        now: datetime,
        reason: str | None = None,
    ) -> Refund:
        """Record a refund payment's answer (and the refund's end with its last one); an
        answer for a payment that already has one leaves it as it is."""
        with write_transaction(self.db):
            refund = self.load(refund_no)
            payment = refund.payment(refund_payment_id)
            if payment.is_final:
                if (payment.state is RefundPaymentState.SUCCEEDED) != succeeded:
                    log.warning(
                        "a second answer disagrees with the first; the first stays",
                        extra={"refund_payment": refund_payment_id, "kept": str(payment.state)},
                    )
                return refund
            refund.settle(refund_payment_id, succeeded=succeeded, now=now, reason=reason)
            self._update(refund, [payment], now)
        return refund

    def fail_waiting(self, refund_no: str, reason: str, now: datetime) -> Refund:
        """The cloud refused the refund: what still waits fails with ``reason``."""
        with write_transaction(self.db):
            refund = self.load(refund_no)
            waiting = refund.waiting()
            refund.fail_waiting(reason, now)
            self._update(refund, waiting, now)
        return refund

    def finish_if_settled(self, refund_no: str, now: datetime) -> Refund:
        """End a PENDING refund whose payments all have their answer (start-up recovery)."""
        with write_transaction(self.db):
            refund = self.load(refund_no)
            if not refund.is_final:
                refund.finish_if_settled(now)
                if refund.is_final:
                    self._update(refund, [], now)
        return refund

    def ensure_queued(self, refund_no: str, now: datetime) -> bool:
        """Queue the refund for the cloud unless its entry exists (it is written with the
        refund, so this only repairs a store changed by hand); True if it was missing."""
        with write_transaction(self.db):
            if has_outbox_entry(self.db, refund_no):
                return False
            refund = self.load(refund_no)
            outbox.enqueue(
                self.db,
                kind=OUTBOX_KIND,
                aggregate_type=AGGREGATE,
                aggregate_id=refund_no,
                idempotency_key=refund_no,
                payload=refund_to_document(refund),
                now=now,
            )
        log.error("refund had no outbox entry; queued now", extra={"refund_no": refund_no})
        return True

    def _insert(self, refund: Refund, seq: int, now: datetime) -> None:
        self.db.table("refunds").insert(
            {
                "refund_no": refund.refund_no,
                "device_id": refund.device_id,
                "business_date": refund.business_date.isoformat(),
                "seq": seq,
                "kind": str(refund.kind),
                "order_no": refund.order_no,
                "state": str(refund.state),
                "reason": refund.reason,
                "cashier_id": refund.cashier_id,
                "approver_id": refund.approver_id,
                "total_cents": refund.total_cents,
                "created_at": refund.created_at.isoformat(),
                "completed_at": _iso(refund.completed_at),
                "updated_at": now.isoformat(),
            }
        )
        self.db.table("refund_lines").insert_all(
            {
                "refund_no": refund.refund_no,
                "position": position,
                "line_no": line.line_no,
                "sku": line.sku,
                "name_zh": line.name_zh,
                "name_en": line.name_en,
                "quantity": line.quantity,
                "weight_grams": line.weight_grams,
                "amount_cents": line.amount_cents,
            }
            for position, line in enumerate(refund.lines, start=1)
        )
        self.db.table("refund_payments").insert_all(
            _payment_row(refund.refund_no, p) for p in refund.payments
        )

    def _update(self, refund: Refund, payments: Sequence[RefundPayment], now: datetime) -> None:
        for payment in payments:
            self.db.execute(
                "UPDATE refund_payments SET state = ?, reason = ?, updated_at = ?"
                " WHERE refund_payment_id = ?",
                [str(payment.state), payment.reason, payment.updated_at.isoformat(),
                 payment.refund_payment_id],
            )  # fmt: skip
        self.db.execute(
            "UPDATE refunds SET state = ?, completed_at = ?, updated_at = ? WHERE refund_no = ?",
            [str(refund.state), _iso(refund.completed_at), now.isoformat(), refund.refund_no],
        )

    # -- reading ---------------------------------------------------------------

    def load(self, refund_no: str) -> Refund:
        rows = list(self.db.query("SELECT * FROM refunds WHERE refund_no = ?", [refund_no]))
        if not rows:
            raise LookupError(f"refund {refund_no} is not in the store")
        return self._assemble(rows[0])

    def for_order(self, order_no: str) -> list[Refund]:
        rows = self.db.query(
            "SELECT * FROM refunds WHERE order_no = ? ORDER BY created_at, refund_no", [order_no]
        )
        return [self._assemble(row) for row in rows]

    def pending(self) -> list[Refund]:
        """Refunds still waiting for an answer, oldest first."""
        rows = self.db.query(
            "SELECT * FROM refunds WHERE state = 'pending' ORDER BY created_at, refund_no"
        )
        return [self._assemble(row) for row in rows]

    def count(self, state: RefundState | None = None) -> int:
        if state is None:
            return int(self.db.execute("SELECT COUNT(*) FROM refunds").fetchone()[0])
        return int(
            self.db.execute(
                "SELECT COUNT(*) FROM refunds WHERE state = ?", [str(state)]
            ).fetchone()[0]
        )

    def _assemble(self, row: dict[str, Any]) -> Refund:
        refund_no = row["refund_no"]
        lines = tuple(
            RefundLine(
                line_no=r["line_no"],
                sku=r["sku"],
                name_zh=r["name_zh"],
                name_en=r["name_en"],
                quantity=r["quantity"],
                weight_grams=r["weight_grams"],
                amount_cents=r["amount_cents"],
            )
            for r in self.db.query(
                "SELECT * FROM refund_lines WHERE refund_no = ? ORDER BY position", [refund_no]
            )
        )
        payments = [
            RefundPayment(
                refund_payment_id=r["refund_payment_id"],
                method=RefundMethod(r["method"]),
                amount_cents=r["amount_cents"],
                state=RefundPaymentState(r["state"]),
                created_at=datetime.fromisoformat(r["created_at"]),
                updated_at=datetime.fromisoformat(r["updated_at"]),
                original_payment_id=r["original_payment_id"],
                member_id=r["member_id"],
                provider=r["provider"],
                reason=r["reason"],
            )
            for r in self.db.query(
                "SELECT * FROM refund_payments WHERE refund_no = ? ORDER BY rowid", [refund_no]
            )
        ]
        return Refund(
            refund_no=refund_no,
            device_id=row["device_id"],
            business_date=date.fromisoformat(row["business_date"]),
            created_at=datetime.fromisoformat(row["created_at"]),
            kind=RefundKind(row["kind"]),
            order_no=row["order_no"],
            lines=lines,
            reason=row["reason"],
            cashier_id=row["cashier_id"],
            approver_id=row["approver_id"],
            payments=payments,
            state=RefundState(row["state"]),
            completed_at=_parse(row["completed_at"]),
        )


def has_outbox_entry(db: Database, refund_no: str) -> bool:
    """Whether the refund's outbox entry exists (whatever its state)."""
    row = db.execute(
        "SELECT 1 FROM outbox WHERE aggregate_type = ? AND idempotency_key = ?",
        [AGGREGATE, refund_no],
    ).fetchone()
    return row is not None


def _payment_row(refund_no: str, payment: RefundPayment) -> dict[str, Any]:
    return {
        "refund_payment_id": payment.refund_payment_id,
        "refund_no": refund_no,
        "method": str(payment.method),
        "amount_cents": payment.amount_cents,
        "state": str(payment.state),
        "original_payment_id": payment.original_payment_id,
        "member_id": payment.member_id,
        "provider": payment.provider,
        "reason": payment.reason,
        "created_at": payment.created_at.isoformat(),
        "updated_at": payment.updated_at.isoformat(),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
