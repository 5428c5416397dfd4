"""Shift and Z report documents as a till sends them, made by the terminal's own domain
code (the contract's source), for tests of the cloud's shift routes: every copy of one
shift (one per event) and the Z of the closed shift with the orders it sold."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from terminal.domain.order import Order
from terminal.domain.order_document import order_to_document
from terminal.domain.payment import cash_payment
from terminal.domain.shift import MovementKind, Shift, cash_movement, open_shift, shift_to_document
from terminal.domain.shift_report import sales_of_orders, z_report, z_report_document
from tests.support.water_order import WATER

OPENED = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)


@dataclass
class ClosedShift:
    shift: Shift
    copies: list[dict[str, Any]]  # revision 1, 2, ...: the shift after each event
    orders: list[dict[str, Any]]  # the order documents it sold
    z: dict[str, Any]


def cash_order(device_id: str, seq: int, quantity: int, at: datetime) -> Order:
    order = Order(order_no=f"{device_id}-20261122-{seq:04d}", device_id=device_id,
                  business_date=date(2026, 11, 22), opened_at=at)  # fmt: skip
    order.cart.add(WATER, code=WATER.barcode or "", quantity=quantity)
    order.start_tender()
    order.add_payment(cash_payment(payment_id=str(uuid.uuid4()), order_no=order.order_no,
                                   balance_due=order.balance_due_cents,
                                   tendered_cents=10_000, now=at))  # fmt: skip
    order.complete(at)
    return order


def closed_shift(
    device_id: str, *, shift_no: int = 1, z_number: int = 1, counted_cents: int = 10_900
) -> ClosedShift:
    """Float 100.00, a pay-in of 5.00 and a pay-out of 2.00, two cash sales (2.00, 4.00),
    closed with ``counted_cents`` (10,900 counts exactly what was expected)."""
    shift = open_shift(shift_id=str(uuid.uuid4()), device_id=device_id, shift_no=shift_no,
                       float_cents=10_000, staff_id="alice", now=OPENED)  # fmt: skip
    copies = [shift_to_document(shift)]
    for n, (kind, cents) in enumerate([(MovementKind.PAY_IN, 500), (MovementKind.PAY_OUT, 200)]):
        shift.add_movement(cash_movement(movement_id=str(uuid.uuid4()), kind=kind, cents=cents,
                                         reason="coins", staff_id="alice",
                                         at=OPENED + timedelta(minutes=n)))  # fmt: skip
        copies.append(shift_to_document(shift))
    orders = [cash_order(device_id, n, n, OPENED + timedelta(minutes=10 + n)) for n in (1, 2)]
    shift.close(counted_cents=counted_cents, staff_id="bob", now=OPENED + timedelta(hours=8))
    copies.append(shift_to_document(shift))
    z = z_report_document(z_report(shift, sales_of_orders(orders), z_number))
    return ClosedShift(shift, copies, [order_to_document(o) for o in orders], z)
