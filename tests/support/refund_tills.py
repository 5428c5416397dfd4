"""Tills that sell and refund against the reference cloud of tests/integration (the
``cloud`` fixture): a real store, the real ``ReturnsService`` and outbox sender, and a
``CloudClient`` with the device's token; sales paid for real through the cloud (wallet
trades in its simulator, face pay with the member's face) and built with the terminal's
own domain code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlite_utils import Database

from terminal.app.returns import ReturnsService
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.domain.cart import Cart
from terminal.domain.catalog import CatalogItem
from terminal.domain.order import Order
from terminal.domain.payment import Payment, PaymentMethod, PaymentState, cash_payment
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from terminal.sync.client import CloudClient
from terminal.sync.outbound import DrainReport, OutboxSender
from tests.support.cloud_api import Cloud, DeviceClient
from tests.support.enrollments import template, vector
from tests.support.face_payments import LIVE
from tests.support.water_order import WATER

COLA = CatalogItem(
    sku="06979104402918",
    barcode="6979104402918",
    name_zh="可口可乐 500ml",
    name_en="Coca-Cola 500ml",
    price_cents=350,
    tax_rate_bp=1300,
)


@dataclass
class RefundTill:
    device: DeviceClient
    db: Database
    client: CloudClient
    settings: Settings
    sold: list[str] = field(default_factory=list)

    @property
    def device_id(self) -> str:
        return self.device.device_id

    @property
    def orders(self) -> OrderRepository:
        return OrderRepository(self.db)

    @property
    def returns(self) -> ReturnsService:
        return ReturnsService(self.db, self.settings, utc_now)

    def sync(self, client: CloudClient | None = None) -> DrainReport:
        """Drain the outbox (through ``client``, e.g. one behind a fault proxy)."""
        return OutboxSender(self.db, client or self.client, utc_now, backoff_base_s=0).drain()

    def close(self) -> None:
        self.client.close()
        self.db.close()


def refund_till(cloud: Cloud, store_id: str, folder: Path) -> RefundTill:
    device = cloud.new_device(store_id)
    path = folder / f"{device.device_id}.db"
    return RefundTill(
        device=device,
        db=open_store(path),
        client=CloudClient(cloud.base_url, device.token, timeout_s=5),
        settings=Settings(device_id=device.device_id, db_path=path),
    )


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def wechat_code(last_digit: int) -> str:
    return f"13456789012345678{last_digit}"


def sell(
    till: RefundTill,
    items: Sequence[tuple[CatalogItem, int]],
    tenders: Sequence[tuple[PaymentMethod, int | None]],
    *,
    member_id: str | None = None,
    face_seed: int = 0,
    wallet_digit: int = 1,
) -> Order:
    """Ring up ``items`` and pay them with ``tenders`` (an amount, or None: what is left),
    each through the cloud as a till does, then close the order (queued, not yet sent)."""
    now = utc_now()
    orders = till.orders
    order = orders.open_order(till.device_id, now.date(), now)
    order.member_id = member_id
    cart: Cart = order.cart
    for item, quantity in items:
        cart.add(item, code=item.barcode or item.sku, quantity=quantity)
    order.start_tender()
    for index, (method, amount) in enumerate(tenders, start=1):
        due = order.balance_due_cents
        pay = due if amount is None else amount
        payment_id = f"{order.order_no}-{index}"
        if method is PaymentMethod.CASH:
            order.add_payment(
                cash_payment(
                    payment_id=payment_id,
                    order_no=order.order_no,
                    balance_due=due,
                    tendered_cents=pay,
                    now=now,
                )
            )
            continue
        trade_no = None
        if method is PaymentMethod.WALLET_CODE:
            answer = till.client.micropay(
                out_trade_no=payment_id,
                order_no=order.order_no,
                auth_code=wechat_code(wallet_digit),
                amount_cents=pay,
            )
            if answer["trade_state"] != "SUCCESS":  # SYSTEMERROR: the query says SUCCESS
                answer = till.client.query_micropay(payment_id)
            assert answer["trade_state"] == "SUCCESS", answer
            trade_no = answer["trade_no"]
        else:
            assert member_id is not None
            answer = till.client.face_pay(
                payment_id=payment_id,
                order_no=order.order_no,
                member_id=member_id,
                amount_cents=pay,
                probe=template(vector(face_seed)),
                liveness=LIVE,
            )
            assert answer["state"] == "SUCCESS", answer
        order.add_payment(
            Payment(
                payment_id=payment_id,
                order_no=order.order_no,
                method=method,
                amount_cents=pay,
                state=PaymentState.SUCCEEDED,
                created_at=now,
                updated_at=now,
                trade_no=trade_no,
                provider="wechat" if trade_no else "stored_value",
            )
        )
    order.complete(now)
    orders.close(order, now)
    till.sold.append(order.order_no)
    return order


def cloud_row(cloud: Cloud, table: sa.Table, **where: object) -> list[sa.Row[object]]:
    """Rows of a cloud table where each named column equals its value."""
    with cloud.db.read() as conn:
        query = sa.select(table)
        for name, value in where.items():
            query = query.where(table.c[name] == value)
        return list(conn.execute(query).all())


def water_and_cola() -> list[tuple[CatalogItem, int]]:
    return [(WATER, 3), (COLA, 2)]  # 6.00 + 7.00
