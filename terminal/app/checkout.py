"""The checkout session: one sale at a time, from the first scan to PAID or CANCELLED.

It turns cashier intents (scan, quantity, void, discount, tender, cancel) into domain
changes and writes each change to the store before it returns, so a crash loses at most
the intent in flight. If a change fails half-way (a domain rule or the disk), the order
is reloaded from the store: what the till shows is always what is on disk.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from terminal.clock import Clock, business_date, utc_now
from terminal.config import Settings
from terminal.domain.cart import CartLine
from terminal.domain.catalog import CatalogItem, Unit
from terminal.domain.codes import (
    PaymentCode,
    ScannedGs1,
    ScannedProduct,
    ScannedWeighed,
    classify_scan,
)
from terminal.domain.errors import CartError, PaymentError, UnknownItem
from terminal.domain.order import Order
from terminal.domain.payment import Payment, PaymentMethod, PaymentState, cash_payment
from terminal.store.catalog import CatalogRepository
from terminal.store.orders import OrderRepository

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class TenderResult:
    order: Order
    payment: Payment
    paid: bool
    balance_due_cents: int
    change_cents: int


class CheckoutSession:
    def __init__(
        self,
        *,
        orders: OrderRepository,
        catalog: CatalogRepository,
        settings: Settings,
        clock: Clock = utc_now,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ):
        self._orders = orders
        self._catalog = catalog
        self._settings = settings
        self._clock = clock
        self._new_id = new_id
        self.order: Order | None = None

    # -- building the cart -------------------------------------------------------

    def scan(self, text: str, symbology: str | None = None) -> CartLine:
        """Add what a scan names. Unknown or unusable codes raise before any order opens."""
        code = classify_scan(text, self._settings.weighed_layout, symbology)
        if isinstance(code, PaymentCode):
            raise PaymentError(
                f"that is a {code.provider} payment code ({code.masked()}); "
                "this till takes cash only for now"
            )
        item, add = self._resolve(code)
        order = self._current_or_new()
        return self._change(order, lambda o: add(o, item))

    def _resolve(
        self, code: ScannedProduct | ScannedWeighed | ScannedGs1
    ) -> tuple[CatalogItem, Callable[[Order, CatalogItem], CartLine]]:
        if isinstance(code, ScannedWeighed):
            weighed = code.code
            item = self._catalog.by_plu(weighed.plu)
            if item is None:
                raise UnknownItem(f"scale item {weighed.plu} is not in the catalog")
            return item, lambda o, i: o.cart.add_weighed(
                i,
                code=weighed.raw,
                weight_grams=weighed.weight_grams,
                amount_cents=weighed.price_cents,
            )
        gtin, raw = (
            (code.message.gtin_key, code.message.raw)
            if isinstance(code, ScannedGs1)
            else (code.gtin_key, code.raw)
        )
        if gtin is None:
            raise UnknownItem("that GS1 code names no product (no GTIN in it)")
        item = self._catalog.by_sku(gtin)
        if item is None:
            raise UnknownItem(f"{raw} is not in the catalog")
        if isinstance(code, ScannedGs1) and item.unit is Unit.KG:
            message = code.message
            return item, lambda o, i: o.cart.add_weighed(
                i, code=raw, weight_grams=message.net_weight_grams, amount_cents=message.price_cents
            )
        return item, lambda o, i: o.cart.add(i, code=raw)

    def set_quantity(self, quantity: int) -> CartLine:
        return self._change(self._require_order(), lambda o: o.cart.set_quantity(quantity))

    def void(self, line_no: int | None = None) -> CartLine:
        return self._change(self._require_order(), lambda o: o.cart.void(line_no))

    def discount_line(self, cents: int, line_no: int | None = None) -> CartLine:
        return self._change(self._require_order(), lambda o: o.cart.discount_line(cents, line_no))

    def discount_order(self, cents: int) -> None:
        def apply(order: Order) -> None:
            before = order.totals()
            order.cart.discount_order(cents, before.total_cents + before.order_discount_cents)

        self._change(self._require_order(), apply)

    # -- paying and closing ------------------------------------------------------

    def pay_cash(self, tendered_cents: int) -> TenderResult:
        order = self._require_order()
        now = self._clock()
        try:
            order.start_tender()
            payment = cash_payment(
                payment_id=self._new_id(),
                order_no=order.order_no,
                balance_due=order.balance_due_cents,
                tendered_cents=tendered_cents,
                now=now,
            )
            order.add_payment(payment)
            if order.balance_due_cents <= 0:
                order.complete(now)
                self._orders.close(order, now)
            else:
                self._orders.save(order, now)
        except BaseException:
            self._reload(order)
            raise
        if order.is_final:
            self.order = None
            log.info("order paid", extra={"order_no": order.order_no})
        return TenderResult(
            order=order,
            payment=payment,
            paid=order.is_final,
            balance_due_cents=max(order.balance_due_cents, 0),
            change_cents=payment.change_cents,
        )

    def cancel(self, reason: str = "cancelled by cashier") -> Order:
        """Cancel the sale; cash already taken is marked handed back (REFUNDED)."""
        order = self._require_order()
        now = self._clock()
        try:
            for payment in order.payments:
                if payment.state is PaymentState.SUCCEEDED and payment.method is PaymentMethod.CASH:
                    payment.transition(PaymentState.REFUNDED, now)
            order.cancel(reason, now)
            self._orders.close(order, now)
        except BaseException:
            self._reload(order)
            raise
        self.order = None
        log.info("order cancelled", extra={"order_no": order.order_no, "reason": reason})
        return order

    # -- plumbing ----------------------------------------------------------------

    def _current_or_new(self) -> Order:
        if self.order is None:
            now = self._clock()
            self.order = self._orders.open_order(
                self._settings.device_id, business_date(now, self._settings.zone), now
            )
        return self.order

    def _require_order(self) -> Order:
        if self.order is None:
            raise CartError("no sale in progress: scan an item first")
        return self.order

    def _change(self, order: Order, mutate: Callable[[Order], T]) -> T:
        try:
            order.ensure_editable()
            result = mutate(order)
            self._orders.save(order, self._clock())
        except BaseException:
            self._reload(order)
            raise
        return result

    def _reload(self, order: Order) -> None:
        """Drop in-memory changes that did not reach the disk."""
        try:
            self.order = self._orders.load(order.order_no)
        except LookupError:
            self.order = None
        if self.order is not None and self.order.is_final:
            self.order = None
