"""Orders, their lines and payments on disk.

The till writes the whole order after every change (an order is a few dozen rows at
most), so what is on disk is always one consistent snapshot: a power cut loses at most the
change being made, never half of one. Closing an order (paid or cancelled) writes the
snapshot and its outbox entry in one transaction. One narrower write exists for a caller
that must change a payment's state together with other tables in its own transaction
(``set_payment_state_in_transaction``: the offline face-pay approval).

What must not live here: the order and payment rules (``terminal/domain``), deciding
which payments still need an answer and asking for it (``terminal/payments``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError

from terminal.domain.cart import Cart, CartLine
from terminal.domain.catalog import Unit
from terminal.domain.order import Order, OrderState
from terminal.domain.order_document import order_to_document
from terminal.domain.order_number import format_order_number
from terminal.domain.payment import Payment, PaymentMethod, PaymentState
from terminal.storage import outbox
from terminal.storage.database import write_transaction

UNFINISHED = (OrderState.OPEN.value, OrderState.TENDERING.value)


@dataclass(frozen=True, slots=True)
class HeldSale:
    order_no: str
    held_at: str
    total_cents: int


@dataclass(frozen=True, slots=True)
class OrderSummary:
    order_no: str
    state: str
    total_cents: int
    closed_at: str | None


class OrderRepository:
    def __init__(self, db: Database):
        self.db = db

    # -- writing ---------------------------------------------------------------

    def open_order(self, device_id: str, business_date: date, now: datetime) -> Order:
        """Hand out the next number of the day and record the empty order, atomically."""
        with write_transaction(self.db):
            seq = self.db.execute(
                "INSERT INTO order_sequences (device_id, business_date, last_seq)"
                " VALUES (?, ?, 1)"
                " ON CONFLICT (device_id, business_date)"
                " DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
                [device_id, business_date.isoformat()],
            ).fetchone()[0]
            order = Order(
                order_no=format_order_number(device_id, business_date, seq),
                device_id=device_id,
                business_date=business_date,
                opened_at=now,
            )
            self._write(order, now, seq=seq, insert=True)
        return order

    def save(self, order: Order, now: datetime) -> None:
        with write_transaction(self.db):
            self._write(order, now)

    def close(self, order: Order, now: datetime) -> None:
        """Write a PAID or CANCELLED order and queue it for the cloud, in one transaction."""
        if not order.is_final:
            raise ValueError(f"order {order.order_no} is {order.state}, not closed")
        document = order_to_document(order)
        with write_transaction(self.db):
            self._write(order, now)
            outbox.enqueue(
                self.db,
                kind=f"order.{order.state}",
                aggregate_type="order",
                aggregate_id=order.order_no,
                idempotency_key=order.order_no,
                payload=document,
                now=now,
            )

    def set_payment_state_in_transaction(
        self, payment_id: str, state: PaymentState, now: datetime
    ) -> None:
        """Only a payment's state and ``updated_at``; call inside a write transaction."""
        if not self.db.conn.in_transaction:
            raise RuntimeError("a payment's state alone is written inside a caller's transaction")
        self.db.execute(
            "UPDATE payments SET state = ?, updated_at = ? WHERE payment_id = ?",
            [str(state), now.isoformat(), payment_id],
        )

    def _write(
        self, order: Order, now: datetime, *, seq: int | None = None, insert: bool = False
    ) -> None:
        totals = order.totals()
        row = {
            "state": str(order.state),
            "closed_at": _iso(order.closed_at),
            "updated_at": now.isoformat(),
            "member_id": order.member_id,
            "order_discount_cents": order.cart.order_discount_cents,
            "subtotal_cents": totals.subtotal_cents,
            "discount_cents": totals.discount_cents,
            "tax_cents": totals.tax_cents,
            "total_cents": totals.total_cents,
            "paid_cents": order.paid_cents,
            "cancel_reason": order.cancel_reason,
            "cashier_id": order.cashier_id,
            "approver_id": order.approver_id,
        }
        if insert:
            row |= {
                "order_no": order.order_no,
                "device_id": order.device_id,
                "business_date": order.business_date.isoformat(),
                "seq": seq,
                "opened_at": order.opened_at.isoformat(),
            }
            self.db.table("orders").insert(row)
        else:
            try:
                self.db.table("orders").update(order.order_no, row)
            except NotFoundError:
                raise LookupError(f"order {order.order_no} is not in the store") from None
        if order.cart.lines:
            self.db.table("order_lines").upsert_all(
                (_line_row(order.order_no, line) for line in order.cart.lines),
                pk=("order_no", "line_no"),
            )
        if order.payments:
            self.db.table("payments").upsert_all(
                (_payment_row(order.order_no, p) for p in order.payments), pk="payment_id"
            )

    # -- reading ---------------------------------------------------------------

    def load(self, order_no: str) -> Order:
        rows = list(self.db.query("SELECT * FROM orders WHERE order_no = ?", [order_no]))
        if not rows:
            raise LookupError(f"order {order_no} is not in the store")
        return self._assemble(rows[0])

    def unfinished(self) -> list[Order]:
        """OPEN or TENDERING orders a restart interrupted (held sales are not: they wait
        to be recalled)."""
        rows = self.db.query(
            "SELECT * FROM orders WHERE state IN (?, ?)"
            " AND order_no NOT IN (SELECT order_no FROM held_sales)"
            " ORDER BY opened_at, order_no",
            UNFINISHED,
        )
        return [self._assemble(row) for row in rows]

    # -- held sales (挂单) ---------------------------------------------------------

    def hold(self, order_no: str, now: datetime) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO held_sales (order_no, held_at) VALUES (?, ?)",
                [order_no, now.isoformat()],
            )

    def release(self, order_no: str) -> bool:
        """Take a sale off the held list (recalled); False when it was not held."""
        with write_transaction(self.db):
            cursor = self.db.execute("DELETE FROM held_sales WHERE order_no = ?", [order_no])
        return cursor.rowcount == 1

    def held(self) -> list[HeldSale]:
        """The held sales, oldest first."""
        return [
            HeldSale(r["order_no"], r["held_at"], r["total_cents"])
            for r in self.db.query(
                "SELECT h.order_no, h.held_at, o.total_cents FROM held_sales h"
                " JOIN orders o ON o.order_no = h.order_no ORDER BY h.held_at, h.order_no"
            )
        ]

    def iter_orders(self) -> Iterator[Order]:
        for row in self.db.query("SELECT * FROM orders ORDER BY opened_at, order_no"):
            yield self._assemble(row)

    def summaries(self, limit: int = 20) -> list[OrderSummary]:
        return [
            OrderSummary(r["order_no"], r["state"], r["total_cents"], r["closed_at"])
            for r in self.db.query(
                "SELECT order_no, state, total_cents, closed_at FROM orders"
                " ORDER BY opened_at DESC, order_no DESC LIMIT ?",
                [limit],
            )
        ]

    def count(self, state: str | None = None) -> int:
        if state is None:
            return int(self.db.execute("SELECT COUNT(*) FROM orders").fetchone()[0])
        return int(
            self.db.execute("SELECT COUNT(*) FROM orders WHERE state = ?", [state]).fetchone()[0]
        )

    def payment_refs(
        self, states: Iterable[PaymentState], *, excluding: PaymentMethod
    ) -> list[tuple[str, str]]:
        """(order_no, payment_id) of every payment in one of ``states`` whose method is not
        ``excluding``, oldest first, across all orders."""
        wanted = [state.value for state in states]
        if not wanted:
            return []
        placeholders = ", ".join("?" * len(wanted))
        rows = self.db.execute(
            f"SELECT order_no, payment_id FROM payments WHERE state IN ({placeholders})"
            " AND method != ? ORDER BY created_at, rowid",
            [*wanted, excluding.value],
        ).fetchall()
        return [(str(row[0]), str(row[1])) for row in rows]

    def _assemble(self, row: dict[str, Any]) -> Order:
        order_no = row["order_no"]
        lines = [
            _line_from_row(r)
            for r in self.db.query(
                "SELECT * FROM order_lines WHERE order_no = ? ORDER BY line_no", [order_no]
            )
        ]
        payments = [
            _payment_from_row(r)
            for r in self.db.query(
                "SELECT * FROM payments WHERE order_no = ? ORDER BY created_at, rowid", [order_no]
            )
        ]
        return Order(
            order_no=order_no,
            device_id=row["device_id"],
            business_date=date.fromisoformat(row["business_date"]),
            opened_at=datetime.fromisoformat(row["opened_at"]),
            cart=Cart(lines, order_discount_cents=row["order_discount_cents"]),
            state=OrderState(row["state"]),
            member_id=row["member_id"],
            payments=payments,
            closed_at=_parse(row["closed_at"]),
            cancel_reason=row["cancel_reason"],
            cashier_id=row.get("cashier_id"),
            approver_id=row.get("approver_id"),
        )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _line_row(order_no: str, line: CartLine) -> dict[str, Any]:
    return {
        "order_no": order_no,
        "line_no": line.line_no,
        "sku": line.sku,
        "scanned_code": line.scanned_code,
        "name_zh": line.name_zh,
        "name_en": line.name_en,
        "unit": str(line.unit),
        "tax_rate_bp": line.tax_rate_bp,
        "unit_price_cents": line.unit_price_cents,
        "member_price_cents": line.member_price_cents,
        "quantity": line.quantity,
        "weight_grams": line.weight_grams,
        "fixed_amount_cents": line.fixed_amount_cents,
        "discount_cents": line.discount_cents,
        "voided": int(line.voided),
    }


def _line_from_row(row: dict[str, Any]) -> CartLine:
    return CartLine(
        line_no=row["line_no"],
        sku=row["sku"],
        scanned_code=row["scanned_code"],
        name_zh=row["name_zh"],
        name_en=row["name_en"],
        unit=Unit(row["unit"]),
        tax_rate_bp=row["tax_rate_bp"],
        unit_price_cents=row["unit_price_cents"],
        member_price_cents=row["member_price_cents"],
        quantity=row["quantity"],
        weight_grams=row["weight_grams"],
        fixed_amount_cents=row["fixed_amount_cents"],
        discount_cents=row["discount_cents"],
        voided=bool(row["voided"]),
    )


def _payment_row(order_no: str, payment: Payment) -> dict[str, Any]:
    return {
        "payment_id": payment.payment_id,
        "order_no": order_no,
        "method": str(payment.method),
        "state": str(payment.state),
        "amount_cents": payment.amount_cents,
        "tendered_cents": payment.tendered_cents,
        "change_cents": payment.change_cents,
        "provider": payment.provider,
        "trade_no": payment.trade_no,
        "created_at": payment.created_at.isoformat(),
        "updated_at": payment.updated_at.isoformat(),
    }


def _payment_from_row(row: dict[str, Any]) -> Payment:
    return Payment(
        payment_id=row["payment_id"],
        order_no=row["order_no"],
        method=PaymentMethod(row["method"]),
        amount_cents=row["amount_cents"],
        state=PaymentState(row["state"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        tendered_cents=row["tendered_cents"],
        change_cents=row["change_cents"],
        provider=row["provider"],
        trade_no=row["trade_no"],
    )


def as_documents(orders: Iterable[Order]) -> Iterator[dict[str, Any]]:
    return (order_to_document(order) for order in orders)
