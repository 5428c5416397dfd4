"""Sales in every tender, rung up with the terminal's own domain code and repository, for
the tests of shifts and their X/Z reports: each helper closes one order on disk exactly as
the till does (so the store's trigger puts it in the open shift) and returns it."""

from __future__ import annotations

import uuid
from datetime import date

from terminal.domain.order import Order
from terminal.domain.payment import Payment, PaymentMethod, PaymentState, cash_payment
from terminal.storage.orders import OrderRepository
from tests.support.fake_clock import FakeClock
from tests.support.water_order import WATER

DAY = date(2026, 11, 22)
# tender -> (method, provider) as the payment services record them
WALLETS = {
    "wechat": (PaymentMethod.WALLET_CODE, "wechat"),
    "alipay": (PaymentMethod.WALLET_CODE, "alipay"),
    "face": (PaymentMethod.FACE, "stored_value"),
}


def _started(orders: OrderRepository, device_id: str, clock: FakeClock, quantity: int) -> Order:
    order = orders.open_order(device_id, DAY, clock())
    order.cart.add(WATER, code=WATER.barcode or "", quantity=quantity)
    orders.save(order, clock())
    order.start_tender()
    return order


def remote_payment(order: Order, tender: str, amount_cents: int, clock: FakeClock) -> Payment:
    """A settled wallet code or face payment, as the payment services leave it."""
    method, provider = WALLETS[tender]
    now = clock()
    return Payment(
        payment_id=str(uuid.uuid4()),
        order_no=order.order_no,
        method=method,
        amount_cents=amount_cents,
        state=PaymentState.SUCCEEDED,
        created_at=now,
        updated_at=now,
        provider=provider,
        trade_no=f"T{uuid.uuid4().hex[:20]}" if method is PaymentMethod.WALLET_CODE else None,
    )


def paid_in(
    orders: OrderRepository,
    device_id: str,
    clock: FakeClock,
    tender: str,
    *,
    quantity: int = 1,
    discount_cents: int = 0,
    tendered_cents: int | None = None,
) -> Order:
    """One paid order, all in ``tender`` (cash: ``tendered_cents``, change given back)."""
    order = _started(orders, device_id, clock, quantity)
    if discount_cents:
        order.cart.discount_order(discount_cents, order.totals().total_cents)
    due = order.balance_due_cents
    if tender == "cash":
        payment = cash_payment(
            payment_id=str(uuid.uuid4()),
            order_no=order.order_no,
            balance_due=due,
            tendered_cents=tendered_cents or due,
            now=clock(),
        )
    else:
        payment = remote_payment(order, tender, due, clock)
    order.add_payment(payment)
    now = clock()
    order.complete(now)
    orders.close(order, now)
    return order


def split_paid(
    orders: OrderRepository, device_id: str, clock: FakeClock, cash_cents: int, tender: str
) -> Order:
    """Part cash (``cash_cents``), the rest in ``tender``."""
    order = _started(orders, device_id, clock, quantity=5)
    order.add_payment(
        cash_payment(
            payment_id=str(uuid.uuid4()),
            order_no=order.order_no,
            balance_due=order.balance_due_cents,
            tendered_cents=cash_cents,
            now=clock(),
        )
    )
    order.add_payment(remote_payment(order, tender, order.balance_due_cents, clock))
    now = clock()
    order.complete(now)
    orders.close(order, now)
    return order


def cancelled_after_cash(
    orders: OrderRepository, device_id: str, clock: FakeClock, cash_cents: int
) -> Order:
    """Part paid in cash, then cancelled: the cash handed back (REFUNDED), as the session
    and start-up recovery do it."""
    order = _started(orders, device_id, clock, quantity=5)
    payment = cash_payment(
        payment_id=str(uuid.uuid4()),
        order_no=order.order_no,
        balance_due=order.balance_due_cents,
        tendered_cents=cash_cents,
        now=clock(),
    )
    order.add_payment(payment)
    now = clock()
    payment.transition(PaymentState.REFUNDED, now)
    order.cancel("customer left", now)
    orders.close(order, now)
    return order
