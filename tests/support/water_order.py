"""One catalog item every test knows (a 2.00 water) and an order on disk that is
tendering it, for tests of payments, recovery and the store."""

from __future__ import annotations

from datetime import date

from terminal.domain.catalog import CatalogItem
from terminal.domain.order import Order
from terminal.storage.orders import OrderRepository
from tests.support.fake_clock import FakeClock

WATER = CatalogItem(
    sku="06910263003875",
    barcode="6910263003875",
    name_zh="农夫山泉 550ml",
    name_en="Nongfu Spring 550ml",
    price_cents=200,
    tax_rate_bp=1300,
)


def tendering_water_order(orders: OrderRepository, clock: FakeClock) -> Order:
    """An order on disk with one 2.00 water, tendering, no payment yet."""
    order = orders.open_order("T01", date(2026, 11, 22), clock())
    order.cart.add(WATER, code=WATER.barcode or "")
    order.start_tender()
    orders.save(order, clock())
    return order
