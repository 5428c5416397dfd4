"""Order documents as the terminal sends them, made by the terminal's own domain code
(the contract's source), for tests of the cloud's order routes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from terminal.domain.order import Order
from terminal.domain.order_document import order_to_document
from terminal.domain.payment import cash_payment
from tests.support.water_order import WATER


def order_document(
    device_id: str, order_no: str, *, state: str = "paid", quantity: int = 1
) -> dict[str, Any]:
    """A real document from the terminal's own domain code: the contract's source."""
    opened = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    order = Order(order_no=order_no, device_id=device_id, business_date=date(2026, 11, 22),
                  opened_at=opened)  # fmt: skip
    order.cart.add(WATER, code=WATER.barcode or "", quantity=quantity)
    if state in ("tendering", "paid"):
        order.start_tender()
    if state == "paid":
        order.add_payment(
            cash_payment(
                payment_id=str(uuid.UUID(int=quantity)),
                order_no=order_no,
                balance_due=order.balance_due_cents,
                tendered_cents=1000,
                now=opened,
            )
        )
        order.complete(opened)
    if state == "cancelled":
        order.cancel("customer left", opened)
    return order_to_document(order)
