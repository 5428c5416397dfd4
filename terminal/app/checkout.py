"""The checkout session: one sale at a time, from the first scan to PAID or CANCELLED.

It turns cashier intents (scan, quantity, void, discount, tender, cancel) into domain
changes and writes each change to the store before it returns, so a crash loses at most
the intent in flight. If a change fails half-way (a domain rule or the disk), the order
is reloaded from the store: what the till shows is always what is on disk.

Members and the other tenders (needs ``members``; wallet codes need ``cloud``):
- ``recognise(member_id)``: the order gets member prices; returns a greeting to show;
- ``pay_face(member_id, decision)``: only on a PAY decision (payment threshold, liveness
  passed); stages the question ``face_pay_prompt()`` for the customer screen, and
  ``confirm_face_pay()`` takes the money (online, or offline within the caps);
- ``pay_code(text)``: a WeChat Pay / Alipay code, refused offline;
- ``resolve_unknown()``: ask again about a payment whose result is unknown.
Every path that covers the total ends in ``OrderRepository.close``: the order and its
outbox entry in one transaction, exactly once.

No words for the screens here: a refusal raises a ``TillError`` with a reason code and
params (``terminal/errors.py``), and ``TenderResult.reason`` says how a tender ended
("pay.paid", "pay.declined.insufficient_balance", ...); the UI translates both.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from terminal.app.item_lookup import resolve_item
from terminal.app.member_views import FacePayPrompt, Greeting
from terminal.app.remote_tender import RemoteResult, RemoteTender, carry_out
from terminal.app.tender_result import NOT_PAY, TenderResult, wallet_reason
from terminal.clock import Clock, business_date, utc_now
from terminal.config import Settings
from terminal.domain.cart import CartLine
from terminal.domain.codes import PaymentCode, Scan, classify_scan
from terminal.domain.errors import CartError, PaymentError, UnknownItem
from terminal.domain.face_probe import FaceProbe
from terminal.domain.order import Order, OrderState
from terminal.domain.payment import (
    Payment,
    PaymentMethod,
    PaymentState,
    cash_payment,
    check_tender,
)
from terminal.domain.weighing import ScaleWeight, WeighingRefused, weighed_amount
from terminal.errors import Reason
from terminal.face.decide import Decision, Outcome
from terminal.payments.errors import PaymentRefused, PaymentUnresolved, UnknownMember
from terminal.payments.offline import OfflineLimits, OfflinePolicy
from terminal.payments.pending_queue import IN_FLIGHT
from terminal.payments.services import payment_services
from terminal.payments.wallet import PollSchedule, Sleep
from terminal.storage.catalog import CatalogRepository
from terminal.storage.members import MemberRepository
from terminal.storage.orders import HeldSale, OrderRepository
from terminal.sync.client import CloudClient

log = logging.getLogger(__name__)
T = TypeVar("T")


class CheckoutSession:
    def __init__(
        self,
        *,
        orders: OrderRepository,
        catalog: CatalogRepository,
        settings: Settings,
        clock: Clock = utc_now,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
        members: MemberRepository | None = None,
        cloud: CloudClient | None = None,
        online: Callable[[], bool] | None = None,
        offline_limits: Callable[[], OfflineLimits] | None = None,
        wallet_schedule: PollSchedule | None = None,
        sleep: Sleep = time.sleep,
    ):
        self._orders = orders
        self._catalog = catalog
        self._settings = settings
        self._clock = clock
        self._new_id = new_id
        self._members = members
        services = payment_services(
            orders,
            members,
            cloud,
            clock,
            online=online,
            offline_limits=offline_limits,
            wallet_schedule=wallet_schedule,
            sleep=sleep,
        )
        self._online = services.online
        self._wallet = services.wallet
        self._face = services.face
        self.pending = services.pending
        self.order: Order | None = None
        self._member_id: str | None = None  # recognised before the first scan
        self.cashier_id: str | None = None  # who is signed in: recorded on each new sale
        self._prompt: FacePayPrompt | None = None

    # -- building the cart -------------------------------------------------------

    def scan(self, text: str, symbology: str | None = None) -> CartLine:
        """Add what a scan names. Unknown or unusable codes raise before any order opens."""
        return self.add_code(classify_scan(text, self._settings.weighed_layout, symbology))

    def add_code(self, code: Scan) -> CartLine:
        """Add what an already classified scan names (the till classifies each scan once
        to route payment codes to ``pay_code``)."""
        if isinstance(code, PaymentCode):
            raise PaymentError("payment.code_in_cart", provider=code.provider, masked=code.masked())
        item, add = resolve_item(self._catalog, code, merge=self._settings.sale.merge_scans)
        order = self._current_or_new()
        return self._change(order, lambda o: add(o, item))

    def add_weighed_plu(self, plu: str, weight: ScaleWeight) -> CartLine:
        """A PLU item priced per kg at ``weight`` (the scale's stable reading, or a weight
        typed by hand); a reading that must not price a sale is refused before any order
        opens."""
        item = self._catalog.by_plu(plu)
        if item is None:
            raise UnknownItem("item.unknown_plu", plu=plu)
        member = self._member_id is not None or (
            self.order is not None and self.order.member_id is not None
        )
        try:
            priced = weighed_amount(item, weight, member=member)
        except WeighingRefused as refused:
            raise refused.as_error() from None
        order = self._current_or_new()
        return self._change(
            order, lambda o: o.cart.add_weighed(item, code=f"plu:{plu}", weight_grams=priced.grams)
        )

    def set_quantity(self, quantity: int, line_no: int | None = None) -> CartLine:
        return self._change(self._require_order(), lambda o: o.cart.set_quantity(quantity, line_no))

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
        check_tender(
            tendered_cents,
            order.balance_due_cents,
            max_multiple=self._settings.sale.max_tender_multiple,
        )
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
            self._finished()
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
        self._finished()
        log.info("order cancelled", extra={"order_no": order.order_no, "reason": reason})
        return order

    # -- members and face pay ----------------------------------------------------

    def recognise(self, member_id: str) -> Greeting:
        """A member at the till: member prices from now on; the greeting to show."""
        member = self._require_members().get(member_id)
        if member is None:
            raise UnknownMember("member.unknown")
        if self.order is None:
            self._member_id = member_id
        elif self.order.member_id != member_id:

            def apply(order: Order) -> None:
                order.member_id = member_id

            self._change(self.order, apply)
        return Greeting.of(member)

    def forget_member(self) -> None:
        """ "Not me": the face was someone else's; the sale goes back to guest prices."""
        self._member_id = None
        self._prompt = None
        if self.order is not None and self.order.member_id is not None:

            def apply(order: Order) -> None:
                order.member_id = None

            self._change(self.order, apply)

    def pay_face(self, member_id: str, decision: Decision) -> FacePayPrompt:
        """Stage a face payment on a PAY decision; the customer confirms it on screen."""
        if self._face is None:
            raise PaymentError("payment.no_face_pay")
        if decision.outcome is not Outcome.PAY or decision.member_id != member_id:
            why = {"why": str(decision.reason)} if decision.reason else {}
            raise PaymentError(NOT_PAY[decision.outcome], **why)
        order = self._require_order()
        greeting = self.recognise(member_id)
        if order.cart.is_empty() or order.balance_due_cents <= 0:
            raise PaymentError("payment.nothing_due")
        self._prompt = FacePayPrompt(
            member_id, greeting.name, order.balance_due_cents, self._settings.currency_symbol
        )
        return self._prompt

    def face_pay_prompt(self) -> FacePayPrompt | None:
        return self._prompt

    def decline_face_pay(self) -> None:
        self._prompt = None

    def confirm_face_pay(self, probe: FaceProbe) -> TenderResult:
        """The customer said yes: charge the staged amount to their stored value (here, on
        this thread; the till stages it and charges it on its cloud thread instead)."""
        tender = self.stage_face_payment(probe)
        return self.settle_remote(carry_out(tender, self._orders, self._wallet, self._face))

    # -- wallet payment codes -----------------------------------------------------

    def pay_code(self, text: str) -> TenderResult:
        """Charge the balance due to a scanned WeChat Pay / Alipay code (here, on this
        thread; the till stages it and charges it on its cloud thread instead)."""
        tender = self.stage_code_payment(text)
        return self.settle_remote(carry_out(tender, self._orders, self._wallet, self._face))

    # -- tenders the cloud answers on the till's cloud thread ----------------------

    def stage_code_payment(self, text: str) -> RemoteTender:
        """Check a wallet code payment can be tried; the cloud thread carries it out."""
        order = self._require_order()
        code = classify_scan(text, self._settings.weighed_layout)
        if not isinstance(code, PaymentCode):
            raise PaymentError("payment.not_a_payment_code")
        if self._wallet is None or not self._online():
            raise OfflinePolicy.refuse_payment_code()
        self._check_tenderable(order)
        return RemoteTender.wallet(order.order_no, self._new_id(), code)

    def stage_face_payment(self, probe: FaceProbe) -> RemoteTender:
        """The customer confirmed the staged question; the cloud thread charges it, with
        ``probe`` (the face at the camera) as the evidence the cloud checks."""
        prompt, self._prompt = self._prompt, None
        if prompt is None or self._face is None:
            raise PaymentError("payment.face.nothing_staged")
        order = self._require_order()
        if order.balance_due_cents != prompt.amount_cents or order.member_id != prompt.member_id:
            raise PaymentError("payment.face.amount_changed")
        self._check_tenderable(order)
        day = business_date(self._clock(), self._settings.zone)
        return RemoteTender.face(order.order_no, self._new_id(), prompt.member_id, day, probe)

    def settle_remote(self, result: RemoteResult) -> TenderResult:
        """A remote tender came back: the order as the cloud thread left it on disk, closed
        when its payments cover it (refusals are raised, the order kept as committed)."""
        order = self._require_order()
        if order.order_no != result.order_no:
            raise PaymentError(
                "payment.wrong_order",
                payment_id=result.payment_id,
                payment_order_no=result.order_no,
                order_no=order.order_no,
            )
        order = self.order = self._orders.load(order.order_no)
        if result.error is not None:
            raise result.error
        payment = next(p for p in order.payments if p.payment_id == result.payment_id)
        return self._after_payment(order, payment, result.reason, offline=result.offline)

    def refresh(self) -> None:
        """The sale in progress as on disk (the cloud thread may have settled a payment of
        it), closed if its payments now cover it."""
        if self.order is None:
            return
        order = self.order = self._orders.load(self.order.order_no)
        paid = order.payments_in(frozenset({PaymentState.SUCCEEDED}))
        if order.is_final:
            self._finished()
        elif paid and order.balance_due_cents <= 0 and not order.payments_in(IN_FLIGHT):
            self._after_payment(order, paid[-1], Reason("pay.paid"))

    # -- held sales (挂单) ----------------------------------------------------------

    def hold(self) -> Order:
        """Set the sale in progress aside (the customer forgot their wallet): it stays
        OPEN on disk, survives a restart, and the till serves the next customer."""
        order = self._require_order()
        if order.payments or order.state is not OrderState.OPEN:
            raise CartError("cart.hold_paid", order_no=order.order_no)
        self._orders.hold(order.order_no, self._clock())
        self._finished()
        log.info("sale held", extra={"order_no": order.order_no})
        return order

    def held(self) -> list[HeldSale]:
        return self._orders.held()

    def recall(self, which: int) -> Order:
        """Take back held sale number ``which`` (1 = the oldest) as the sale in progress."""
        if self.order is not None:
            raise CartError("cart.recall_busy", order_no=self.order.order_no)
        held = self._orders.held()
        if not 1 <= which <= len(held):
            raise CartError("cart.not_held", which=which)
        order_no = held[which - 1].order_no
        self._orders.release(order_no)
        self.order = self._orders.load(order_no)
        log.info("sale recalled", extra={"order_no": order_no})
        return self.order

    def park(self) -> Order:
        """Set the sale aside with its unresolved payment: the pending queue settles it
        later, and the till serves the next customer now."""
        order = self._require_order()
        if not order.payments_in(IN_FLIGHT):
            raise PaymentError("payment.none_in_flight")
        self._finished()
        log.warning("sale parked with a payment in flight", extra={"order_no": order.order_no})
        return order

    def _check_tenderable(self, order: Order) -> None:
        """The rules ``start_tender``/``add_payment`` apply, checked on a copy: the
        payment itself is added by the cloud thread on its own copy of the order."""
        if order.cart.is_empty():
            raise PaymentError("payment.empty_cart")
        if order.payments_in(IN_FLIGHT):
            raise PaymentError("payment.in_flight", order_no=order.order_no)
        if order.balance_due_cents <= 0:
            raise PaymentError("payment.nothing_due")

    def resolve_unknown(self) -> TenderResult:
        """Ask again about the current order's payment whose result is unknown."""
        order = self._require_order()
        in_flight = order.payments_in(IN_FLIGHT)
        if not in_flight:
            raise PaymentError("payment.none_in_flight")
        self._tender(order, lambda: self.pending.resolve_order(order))
        payment = in_flight[-1]
        return self._after_payment(order, payment, wallet_reason(payment, str(payment.state)))

    def _tender(self, order: Order, pay: Callable[[], T]) -> T:
        """Run a payment; its module commits each state change. A payment refusal (a
        tender rule, or the cloud, the offline caps, an unknown result) leaves the order as
        committed; anything else (the disk) reloads it from the store."""
        try:
            order.start_tender()
            return pay()
        except (PaymentError, PaymentRefused):
            raise
        except BaseException:
            self._reload(order)
            raise

    def _after_payment(
        self, order: Order, payment: Payment, reason: Reason, *, offline: bool = False
    ) -> TenderResult:
        """Close the order once the payments cover it and nothing is in flight."""
        if (
            payment.state is PaymentState.SUCCEEDED
            and order.balance_due_cents <= 0
            and not order.payments_in(IN_FLIGHT)
        ):
            now = self._clock()
            try:
                order.complete(now)
                self._orders.close(order, now)
            except BaseException:
                self._reload(order)
                raise
            self._finished()
            log.info("order paid", extra={"order_no": order.order_no, "method": payment.method})
        result = TenderResult(
            order=order,
            payment=payment,
            paid=order.is_final,
            balance_due_cents=max(order.balance_due_cents, 0),
            change_cents=0,
            reason=reason,
            offline=offline,
        )
        if payment.state in IN_FLIGHT:
            raise PaymentUnresolved("pay.unresolved", **reason.params)
        return result

    def _require_members(self) -> MemberRepository:
        if self._members is None:
            raise PaymentError("payment.no_members")
        return self._members

    # -- plumbing ----------------------------------------------------------------

    def _finished(self) -> None:
        """The customer is done: forget the order, the member and any staged question."""
        self.order = None
        self._member_id = None
        self._prompt = None

    def _current_or_new(self) -> Order:
        if self.order is None:
            now = self._clock()
            order = self._orders.open_order(
                self._settings.device_id, business_date(now, self._settings.zone), now
            )
            order.cashier_id = self.cashier_id
            if self._member_id is not None:
                order.member_id = self._member_id
            if order.member_id is not None or order.cashier_id is not None:
                self._orders.save(order, now)
            self.order = order
        return self.order

    def _require_order(self) -> Order:
        if self.order is None:
            raise CartError("cart.no_sale")
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
