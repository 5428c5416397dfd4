"""Fill a terminal's store with many real paid orders, fast (for sync and crash tests).

Uses the real repository, so every order has its lines, payment and outbox entry exactly
as the till writes them; only fsync is off (``synchronous=OFF``) to build 10,000 in seconds.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from terminal.domain.catalog import CatalogItem
from terminal.domain.payment import cash_payment
from terminal.storage import outbox
from terminal.storage.database import open_store, write_transaction
from terminal.storage.orders import OrderRepository

ITEMS = [
    CatalogItem(sku="06910263003875", barcode="6910263003875", name_zh="农夫山泉 550ml",
                name_en="Nongfu Spring 550ml", price_cents=200, tax_rate_bp=1300),
    CatalogItem(sku="06979104402918", barcode="6979104402918", name_zh="可口可乐 500ml",
                name_en="Coca-Cola 500ml", price_cents=350, tax_rate_bp=1300),
    CatalogItem(sku="06923036203839", barcode="6923036203839", name_zh="蒙牛 纯牛奶 250ml",
                name_en="Mengniu Pure Milk 250ml", price_cents=350, tax_rate_bp=900),
]  # fmt: skip


def add_paid_orders(
    db_path: Path, device_id: str, count: int, *, seed: int = 0, day: date = date(2026, 11, 22)
) -> int:
    """Ring up ``count`` paid cash orders; returns the sum of their totals in cents."""
    rng = random.Random(seed)
    db = open_store(db_path, synchronous="OFF")
    orders = OrderRepository(db)
    now = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    total = 0
    try:
        for _ in range(count):
            now += timedelta(seconds=1)
            order = orders.open_order(device_id, day, now)
            for item in rng.sample(ITEMS, rng.randint(1, len(ITEMS))):
                order.cart.add(item, code=item.barcode or "", quantity=rng.randint(1, 3))
            order.start_tender()
            due = order.balance_due_cents
            order.add_payment(
                cash_payment(payment_id=str(uuid.UUID(int=rng.getrandbits(128))),
                             order_no=order.order_no, balance_due=due,
                             tendered_cents=due + rng.choice([0, 50, 1000]), now=now)
            )  # fmt: skip
            order.complete(now)
            orders.close(order, now)
            total += order.totals().total_cents
    finally:
        db.close()
    return total


def queue_order_entry(db: Database, order_no: str, now: datetime) -> int:
    """An outbox entry for an order, as the till writes it (inside its own transaction)."""
    with write_transaction(db):
        return outbox.enqueue(
            db,
            kind="order.paid",
            aggregate_type="order",
            aggregate_id=order_no,
            idempotency_key=order_no,
            payload={"order_no": order_no},
            now=now,
        )
