"""``Till``: the one front door to a till, for every way of selling (the screens, the
headless command, the demo, the tests). It owns the checkout session and the store.

Every store access runs on the till's one ``TaskThread``, because the SQLite connection
belongs to the thread that opened it and intents must apply in order. Each method returns
at once with a ``Pending`` result; a front end chains ``.success(cb).failure(cb)`` (the
callbacks run where ``deliver`` puts them: the GUI thread, through the Qt bridge), and a
caller with no event loop (the headless till) calls ``.wait()``.

Cloud calls never run on the store thread. A registered till has a second thread, its
cloud executor (``CloudSide``, with its own store connection): a wallet code or face
payment is staged on the store thread, carried out there (answers, polling, reversing
committed as they come) and settled back on the store thread, and the pending-payments
queue is resolved there. Meanwhile scans, cash and cancels are served at once; the one
sale whose payment is out is refused changes until it comes back (``till.payment_in_
progress``), and a sale left with an unknown result can be parked for the queue.

Operations come in two kinds, as Anki's ``CollectionOp`` and ``QueryOp``:
- a mutation (``_mutation``) changes the sale or the store and always publishes a fresh
  ``SaleView`` afterwards, whether it worked or not, so the screens show what is on disk;
- a query (``_query``) reads and never publishes.
No method decides that by hand.

What must not live here: Qt, widgets, hardware; business rules stay in the session and
the domain.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from drivers.listeners import Listeners, Unsubscribe
from drivers.scale.listeners import ListenedScale
from terminal.app.cloud_executor import CloudExecutor
from terminal.app.cloud_side import CloudSide
from terminal.app.consent import ConsentText, GivenConsent
from terminal.app.enrollment import Enrolled
from terminal.app.forget_me import ForgetKind, ForgetRefused
from terminal.app.item_lookup import resolve_item
from terminal.app.member_views import FacePayPrompt, Greeting
from terminal.app.open_till import OpenTill, open_till
from terminal.app.receipt import render_receipt
from terminal.app.receipt_printing import ReceiptPrinting, ReceiptPrintOutcome
from terminal.app.recovery import RecoveredOrder, recover_unfinished
from terminal.app.refund_recovery import recover_refunds
from terminal.app.remote_ops import RemoteOps, as_is, paid_view
from terminal.app.returns import RefundTicket, ReturnableOrder
from terminal.app.sale_view import IDLE, SaleState, SaleView
from terminal.app.staff_login import Session
from terminal.app.tasks import Deliver, ErrorSink, Pending, TaskThread, call_now
from terminal.app.tender_result import TenderResult
from terminal.app.till_results import CashResult, RecentOrder
from terminal.clock import Clock, utc_now
from terminal.config import Settings
from terminal.domain.codes import PaymentCode, classify_scan
from terminal.domain.errors import CartError, PaymentError, UnknownItem
from terminal.domain.face_probe import FaceProbe
from terminal.domain.order import Order, OrderState
from terminal.domain.payment import PaymentMethod, PaymentState
from terminal.domain.refund_request import LineRequest, ManagerApproval, NoReceiptItem
from terminal.domain.shift import CashMovement, Shift
from terminal.domain.shift_report import XReport, ZReport
from terminal.domain.staff import RestrictedAction
from terminal.domain.weighing import TypedWeight, WeighingError
from terminal.errors import TillError
from terminal.face.decide import Decision
from terminal.face.embed import Embedding
from terminal.face.gallery import Gallery
from terminal.payments.pending_queue import Resolution
from terminal.payments.wallet import PollSchedule
from terminal.storage import outbox
from terminal.storage.orders import HeldSale
from terminal.sync.client import CloudClient
from terminal.sync.registration import Registration
from terminal.sync.status import SyncStatus, read_status

log = logging.getLogger(__name__)
T = TypeVar("T")
# A scale reading older than this is not "the weight now" (a frame comes every ~0.1 s).
SCALE_FRESH_S = 1.0
SaleListener = Callable[[SaleView], None]

__all__ = ["CashResult", "RecentOrder", "Till"]


class Till:
    """One till: a store file, a session, one store thread. See the module docstring."""

    def __init__(
        self,
        db_path: Path,
        settings: Settings,
        *,
        deliver: Deliver = call_now,
        clock: Clock = utc_now,
        registration: Registration | None = None,
        cloud: CloudClient | None = None,
        wallet_schedule: PollSchedule | None = None,
        printing: ReceiptPrinting | None = None,
        scale: ListenedScale | None = None,
    ) -> None:
        """``registration``: members, face pay and payment codes (else cash only).
        ``cloud``: the client for it, owned by the caller; without one, a registered
        till makes (and closes) its own. ``printing``: the receipt printer's thread (the
        till starts and stops it): every sale paid prints its receipt, a cash sale opens
        the drawer."""
        self.db_path = db_path
        self.settings = settings
        self._clock = clock
        self._registration = registration
        self._cloud = cloud
        self._owns_cloud = False
        self._wallet_schedule = wallet_schedule
        self._sale_listeners: Listeners[SaleView] = Listeners("sale")
        self._error_listeners: Listeners[BaseException] = Listeners("till error")
        self._status_listeners: Listeners[SyncStatus] = Listeners("till sync status")
        self._printing = printing
        self._scale = scale  # read on the caller's thread: the newest frame, thread-safe
        self._printed: Listeners[ReceiptPrintOutcome] = Listeners("receipt printed")
        self._last_printed: str | None = None  # the sale whose receipt was printed last
        self._tasks = TaskThread("till-store", deliver=deliver, on_unhandled=self._unhandled)
        self._cloud_thread = CloudExecutor(
            self._make_cloud_side,
            deliver=deliver,
            on_unhandled=self._unhandled,
            on_status=self._status_listeners.emit,
        )
        self._open: OpenTill | None = None
        self._remote = RemoteOps(
            self._tasks, self._cloud_thread, self._require_open, self._publish, clock
        )
        self._view: SaleView = IDLE

    # -- listeners ---------------------------------------------------------------

    def on_sale_changed(self, listener: SaleListener) -> Unsubscribe:
        """``listener(view)`` after each mutation, on the store thread."""
        return self._sale_listeners.add(listener)

    def on_error(self, listener: ErrorSink) -> Unsubscribe:
        """Failures of operations nobody chained ``.failure`` on."""
        return self._error_listeners.add(listener)

    def on_sync_status(self, listener: Callable[[SyncStatus], None]) -> Unsubscribe:
        """``listener(status)`` the moment one of the till's own cloud calls finds the cloud
        gone or back (on the cloud thread), so the screens need not wait for a sync cycle."""
        return self._status_listeners.add(listener)

    @property
    def view(self) -> SaleView:
        """The last published snapshot (immutable; safe to read from any thread)."""
        return self._view

    @property
    def registered(self) -> bool:
        """Registered with the cloud: members, joining, face pay and payment codes."""
        return self._registration is not None

    @property
    def busy(self) -> int:
        """Operations submitted whose results have not been delivered yet."""
        return self._tasks.busy

    # -- life cycle --------------------------------------------------------------

    def start(self) -> Pending[list[RecoveredOrder]]:
        """Open the store and recover what a crash left unfinished, before any sale."""
        self._tasks.start()
        if self._registration is not None:
            self._cloud_thread.start()
        if self._printing is not None and not self._printing.running:
            self._printing.start()
        return self._tasks.submit(self._start, "open")

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Finish queued operations, close the store, end the threads."""
        cloud_stopped = self._cloud_thread.stop(timeout_s)
        if not self._tasks.running:
            return cloud_stopped and self._stop_printing(timeout_s)
        self._tasks.submit(self._close, "close")
        stopped = self._tasks.stop(timeout_s) and cloud_stopped
        return self._stop_printing(timeout_s) and stopped

    def _stop_printing(self, timeout_s: float) -> bool:
        # After the store thread: a receipt it asked for is printed (or reported) first.
        return self._printing is None or self._printing.stop(timeout_s)

    # -- the sale ----------------------------------------------------------------

    def scan(self, text: str, symbology: str | None = None) -> Pending[SaleView]:
        """A product code goes in the cart; a wallet payment code pays what is due."""

        try:
            code = classify_scan(text, self.settings.weighed_layout, symbology)
        except TillError as refused:
            # Refused on the store thread all the same, in order with the other intents.
            error: TillError = refused
            return self._cart("scan", lambda _till: _raise(error))
        if isinstance(code, PaymentCode):
            wallet_code = code.code
            return self._remote.tender(
                "scan", lambda t: t.session.stage_code_payment(wallet_code), paid_view
            )
        return self._cart("scan", lambda t: _selling(t, lambda: t.session.add_code(code).line_no))

    def weigh(self, plu: str) -> Pending[SaleView]:
        """A PLU item priced per kg, at the scale's stable weight of this moment."""
        reading = self._scale.latest(SCALE_FRESH_S) if self._scale is not None else None
        if reading is None:
            error = WeighingError("weighing.no_scale")
            return self._cart("weigh", lambda _till: _raise(error))
        weight = reading.weight
        return self._cart(
            "weigh", lambda t: _selling(t, lambda: t.session.add_weighed_plu(plu, weight).line_no)
        )

    def add_weighed(self, plu: str, grams: int) -> Pending[SaleView]:
        """A PLU item priced per kg at a weight typed by hand (no scale at this till)."""
        typed = TypedWeight(grams)

        def run(till: OpenTill) -> int:
            approver = till.gate.authorise(RestrictedAction.MANUAL_WEIGHT)
            line_no = _selling(till, lambda: till.session.add_weighed_plu(plu, typed).line_no)
            _approved(till, approver)
            return line_no

        return self._cart("add_weighed", run)

    def set_quantity(self, quantity: int, line_no: int | None = None) -> Pending[SaleView]:
        return self._cart("quantity", lambda t: t.session.set_quantity(quantity, line_no).line_no)

    def void(self, line_no: int | None = None) -> Pending[SaleView]:
        def run(till: OpenTill) -> int:
            order = till.session.order
            approver = None
            if order is not None and order.state is OrderState.TENDERING:
                approver = till.gate.authorise(RestrictedAction.VOID_AFTER_TENDER)
            line = till.session.void(line_no)
            _approved(till, approver)
            return line.line_no

        return self._cart("void", run)

    def discount_line(self, cents: int, line_no: int | None = None) -> Pending[SaleView]:
        def run(till: OpenTill) -> int:
            order = till.session.order
            if order is not None:
                lines = [
                    line for line in order.cart.active_lines if line_no in (None, line.line_no)
                ]
                gross = lines[-1].gross_cents(False) if lines else 0
                approver = self._discount_check(till, cents, gross)
            else:
                approver = None
            changed = till.session.discount_line(cents, line_no)
            _approved(till, approver)
            return changed.line_no

        return self._cart("discount_line", run)

    def discount_order(self, cents: int) -> Pending[SaleView]:
        def run(till: OpenTill) -> None:
            order = till.session.order
            approver = None
            if order is not None:
                totals = order.totals()
                approver = self._discount_check(
                    till, cents, totals.total_cents + totals.order_discount_cents
                )
            till.session.discount_order(cents)
            _approved(till, approver)

        return self._cart("discount_order", run)

    def _discount_check(self, till: OpenTill, cents: int, amount_cents: int) -> str | None:
        """A discount above the configured share of what it is taken off needs a manager."""
        limit = self.settings.sale.discount_limit_percent
        if cents * 100 > limit * amount_cents:
            return till.gate.authorise(RestrictedAction.DISCOUNT_OVER_LIMIT)
        return None

    def pay_cash(self, tendered_cents: int | None = None) -> Pending[CashResult]:
        """Take cash; ``None`` means exactly what is due (the "exact cash" key)."""

        def run(till: OpenTill) -> CashResult:
            order = till.session.order
            if order is None:
                raise CartError("cart.no_sale")
            tendered = order.balance_due_cents if tendered_cents is None else tendered_cents
            result = till.session.pay_cash(tendered)
            return CashResult(
                order_no=result.order.order_no,
                paid=result.paid,
                total_cents=result.order.totals().total_cents,
                tendered_cents=tendered,
                change_cents=result.change_cents,
                balance_due_cents=result.balance_due_cents,
            )

        return self._mutation("pay_cash", run)

    def pay_code(self, text: str) -> Pending[TenderResult]:
        """Charge what is due to a WeChat Pay / Alipay code, on the cloud thread (USERPAYING
        is polled there): scans, cash and cancels of other sales go on meanwhile."""
        return self._remote.tender("pay_code", lambda t: t.session.stage_code_payment(text), as_is)

    def park(self) -> Pending[SaleView]:
        """Set aside the sale whose payment result is unknown: the queue settles it later
        (completed if the money moved, cancelled if not) and the next customer is served."""

        def run(till: OpenTill) -> None:
            till.session.park()

        return self._cart("park", run)

    def hold(self) -> Pending[SaleView]:
        """Set the sale in progress aside (挂单); it survives a restart until recalled."""

        def run(till: OpenTill) -> None:
            till.session.hold()

        return self._cart("hold", run)

    def recall(self, which: int) -> Pending[SaleView]:
        """Make held sale number ``which`` (1 = the oldest) the sale in progress again."""
        return self._cart(
            "recall",
            lambda t: _selling(t, lambda: t.session.recall(which).cart.lines[-1].line_no),
        )

    def held_sales(self) -> Pending[list[HeldSale]]:
        return self._query("held_sales", lambda t: t.session.held())

    def cancel(self) -> Pending[SaleView]:
        """Cancel the sale in progress; the view says what cash, if any, to hand back."""

        def run(till: OpenTill) -> None:
            order = till.session.order
            if order is not None and not order.cart.is_empty():
                _approved(till, till.gate.authorise(RestrictedAction.CANCEL_SALE))
            till.session.cancel()

        return self._cart("cancel", run)

    # -- returns and refunds ----------------------------------------------------------

    def look_up_return(self, scanned: str) -> Pending[ReturnableOrder]:
        """An order as its receipt (QR or barcode) or its number names it: what is left to
        take back, line by line."""
        return self._query("look_up_return", lambda t: t.returns.look_up(scanned))

    def refund(
        self, order_no: str, lines: Sequence[LineRequest], reason: str
    ) -> Pending[RefundTicket]:
        """Take back ``lines`` of a sale (none: all that is left) to its original tenders:
        cash from the drawer now
        (the drawer opens), wallet and face pay through the cloud on the cloud thread. A
        manager's action on a till with staff; not while a sale is in progress."""

        def run(till: OpenTill) -> RefundTicket:
            if till.session.order is not None:
                raise TillError("till.sale_in_progress", order_no=till.session.order.order_no)
            approver = till.gate.authorise(RestrictedAction.REFUND)
            wanted = list(lines) or [  # none named: everything still left
                LineRequest(line.line_no)
                for line in till.returns.look_up(order_no).lines
                if line.left > 0
            ]
            ticket = till.returns.refund(
                order_no,
                wanted,
                reason=reason,
                cashier_id=till.gate.shift_staff(),
                approval=ManagerApproval(approver) if approver else None,
            )
            if ticket.cash_cents > 0 and self._printing is not None:
                self._printing.open_drawer()
            if ticket.needs_cloud and self.registered:
                refund_no = ticket.refund_no
                self._remote.call("refund", lambda side: side.carry_out_refund(refund_no))
            return ticket

        return self._mutation("refund", run, guarded=False)

    def refund_without_receipt(self, items: Sequence[tuple[str, int]]) -> Pending[RefundTicket]:
        """Take back items with no receipt, ``(barcode, quantity)`` each, at today's
        catalog price, in cash: a manager's action (and never the cashier's own)."""

        def run(till: OpenTill) -> RefundTicket:
            if till.session.order is not None:
                raise TillError("till.sale_in_progress", order_no=till.session.order.order_no)
            returned = []
            for code, quantity in items:
                scanned = classify_scan(code, self.settings.weighed_layout)
                if isinstance(scanned, PaymentCode):
                    raise UnknownItem("item.unknown", code=code)
                item, _add = resolve_item(till.catalog, scanned)
                returned.append(
                    NoReceiptItem(item.sku, item.name_zh, item.name_en, quantity, item.price_cents)
                )
            approver = till.gate.authorise(RestrictedAction.RETURN_WITHOUT_RECEIPT)
            ticket = till.returns.refund_without_receipt(
                returned,
                reason="returned without a receipt",
                cashier_id=till.gate.shift_staff(),
                approval=ManagerApproval(approver) if approver else None,
            )
            if ticket.cash_cents > 0 and self._printing is not None:
                self._printing.open_drawer()
            return ticket

        return self._mutation("refund_without_receipt", run, guarded=False)

    # -- staff and shifts ------------------------------------------------------------

    def sign_in(self, staff_id: str, pin: str) -> Pending[Session]:
        """A cashier (or manager) signs in with their id and PIN; new sales are theirs."""

        def run(till: OpenTill) -> Session:
            session = till.gate.sign_in(staff_id, pin)
            till.session.cashier_id = session.staff_id
            return session

        return self._mutation("sign_in", run)

    def sign_out(self) -> Pending[None]:
        def run(till: OpenTill) -> None:
            if till.session.order is not None:
                raise TillError("till.sale_in_progress", order_no=till.session.order.order_no)
            till.gate.sign_out()
            till.session.cashier_id = None

        return self._mutation("sign_out", run)

    def approve_next(self, manager_id: str, pin: str) -> Pending[str]:
        """A manager's PIN now, for the next restricted action (spent by it)."""
        return self._mutation("approve", lambda t: t.gate.grant(manager_id, pin))

    def signed_in(self) -> Pending[Session | None]:
        return self._query("signed_in", lambda t: t.gate.login.current)

    def open_shift(self, float_cents: int) -> Pending[Shift]:
        return self._mutation(
            "open_shift", lambda t: t.gate.shifts.open(float_cents, t.gate.shift_staff())
        )

    def cash_movement(self, kind: str, cents: int, reason: str) -> Pending[CashMovement]:
        """A pay-in (``in``) or pay-out (``out``) of the drawer, with its reason."""

        def run(till: OpenTill) -> CashMovement:
            shifts, staff = till.gate.shifts, till.gate.shift_staff()
            if kind == "in":
                return shifts.pay_in(cents, reason, staff)
            return shifts.pay_out(cents, reason, staff)

        return self._mutation("cash_movement", run)

    def close_shift(self, counted_cents: int) -> Pending[ZReport]:
        """Close the shift with the cash counted; its Z report (numbered, for good)."""
        return self._mutation(
            "close_shift", lambda t: t.gate.shifts.close(counted_cents, t.gate.shift_staff())
        )

    def x_report(self) -> Pending[XReport]:
        return self._query("x_report", lambda t: t.gate.shifts.x_report())

    def open_drawer(self) -> Pending[None]:
        """Open the cash drawer with no sale (change for the float): a manager's action."""

        def run(till: OpenTill) -> None:
            if self._printing is None:
                raise TillError("till.no_printer")
            till.gate.authorise(RestrictedAction.OPEN_DRAWER)
            self._printing.open_drawer()

        return self._mutation("open_drawer", run)

    # -- members and face pay ----------------------------------------------------

    def recognise(self, member_id: str) -> Pending[Greeting]:
        """The face worker recognised a member: member prices from now on."""
        return self._mutation("recognise", lambda t: t.session.recognise(member_id))

    def forget_member(self) -> Pending[SaleView]:
        """ "Not me": back to guest prices, the staged face payment dropped."""
        return self._cart("forget_member", lambda t: t.session.forget_member())

    def stage_face_pay(self, member_id: str, decision: Decision) -> Pending[FacePayPrompt]:
        """A PAY decision: the question the customer confirms on screen."""
        return self._mutation("stage_face_pay", lambda t: t.session.pay_face(member_id, decision))

    def decline_face_pay(self) -> Pending[None]:
        return self._mutation(
            "decline_face_pay", lambda t: t.session.decline_face_pay(), guarded=False
        )

    def confirm_face_pay(self, probe: FaceProbe) -> Pending[TenderResult]:
        """The customer confirmed; ``probe`` is the face the cloud checks before paying."""
        return self._remote.tender(
            "confirm_face_pay", lambda t: t.session.stage_face_payment(probe), as_is
        )

    def enroll(
        self,
        embedding: Embedding,
        consents: Sequence[ConsentText],
        *,
        gallery: Gallery | None = None,
    ) -> Pending[Enrolled]:
        """The customer accepted both consent texts (shown in the till's language): a
        member now, usable at once (the template goes into ``gallery`` too, so the next
        frame can recognise them)."""
        language = self.settings.ui.language
        given = [GivenConsent(text.kind, text.version, language) for text in consents]

        def run(till: OpenTill) -> Enrolled:
            if till.enrollment is None:
                raise PaymentError("payment.no_enrollment")
            enrolled = till.enrollment.accept(
                model=embedding.model, vector=embedding.to_bytes(), consents=given
            )
            if gallery is not None:
                gallery.add(enrolled.member_id, embedding)
            return enrolled

        return self._mutation("enroll", run)

    # -- a member's own request to be forgotten ----------------------------------------

    def ask_forget_code(self, member_id: str) -> Pending[str]:
        """Have the cloud text a one-time code to the member (on the cloud thread); the id
        the code belongs to."""
        if not self.registered:
            return self._refused("ask_forget_code", ForgetRefused("forget.offline"))
        return self._remote.call("ask_forget_code", lambda side: side.ask_forget_code(member_id))

    def forget(
        self, member_id: str, kind: ForgetKind, *, otp_id: str, code: str, face_verified: bool
    ) -> Pending[None]:
        """The member's request, proved by their code: the cloud first, then this till
        forgets what the cloud forgot (see ``forget_me``)."""
        if not self.registered:
            return self._refused("forget", ForgetRefused("forget.offline"))
        return self._remote.call(
            "forget",
            lambda side: side.forget(
                member_id, kind, otp_id=otp_id, code=code, face_verified=face_verified
            ),
        )

    def _refused(self, name: str, error: TillError) -> Pending[Any]:
        pending: Pending[Any]
        pending, fulfil = self._tasks.promise(name)
        fulfil(None, error)
        return pending

    def decline_enrollment(self) -> Pending[None]:
        def run(till: OpenTill) -> None:
            if till.enrollment is not None:
                till.enrollment.decline()

        return self._mutation("decline_enrollment", run)

    def resolve_pending(self) -> Pending[list[Resolution]]:
        """Query, then reverse, payments whose result never came back (a timer calls this),
        on the cloud thread. Never two at once, and nothing while the till is offline (the
        sync worker notices the cloud's return; the next call then asks)."""
        return self._remote.resolve_pending(enabled=self.registered)

    def retry_dead(self) -> Pending[int]:
        """The cashier's "retry": parked outbox entries go back in the queue."""
        return self._mutation(
            "retry_dead", lambda t: outbox.requeue_dead(t.db, self._clock()), guarded=False
        )

    # -- queries -----------------------------------------------------------------

    def load_gallery(self, model: str) -> Pending[Gallery]:
        """Every member template of ``model`` on this till, opened with the device key."""

        def run(till: OpenTill) -> Gallery:
            if till.members is None:
                return Gallery(model)
            return Gallery.from_repository(till.members, model)

        return self._query("load_gallery", run)

    def recent_orders(self, limit: int = 10) -> Pending[list[RecentOrder]]:
        def run(till: OpenTill) -> list[RecentOrder]:
            return [
                RecentOrder(s.order_no, s.state, s.total_cents, s.closed_at)
                for s in till.orders.summaries(limit)
                if s.closed_at is not None
            ]

        return self._query("recent_orders", run)

    def receipt(self, order_no: str, language: str | None = None) -> Pending[str]:
        """The receipt text of a stored order, for a reprint (``language``: the screens')."""
        return self._query(
            "receipt",
            lambda t: render_receipt(t.orders.load(order_no), self.settings, language),
        )

    # -- receipts on paper ------------------------------------------------------------

    @property
    def has_printer(self) -> bool:
        return self._printing is not None

    def on_receipt_printed(self, listener: Callable[[ReceiptPrintOutcome], None]) -> Unsubscribe:
        """``listener(outcome)`` after each receipt the printer was given (printed, or not
        and why), on the printer thread (or the ``deliver`` the printing was made with)."""
        return self._printed.add(listener)

    def print_receipt(self, order_no: str, language: str | None = None) -> Pending[None]:
        """Print a stored order's receipt again (a reprint never opens the drawer)."""

        def run(till: OpenTill) -> None:
            if self._printing is None:
                raise TillError("till.no_printer")
            self._print(till.orders.load(order_no), language, drawer=False)

        return self._query("print_receipt", run)

    def _print(self, order: Order, language: str | None, *, drawer: bool) -> None:
        assert self._printing is not None
        self._printing.print_order(order, language, open_drawer=drawer).success(self._printed.emit)

    def _print_if_paid(self, till: OpenTill, view: SaleView) -> None:
        """A sale just paid: its receipt, and the drawer when cash was taken."""
        closed = till.closed
        if (
            self._printing is None
            or view.state is not SaleState.PAID
            or closed is None
            or closed.order_no != view.order_no
            or closed.order_no == self._last_printed
        ):
            return
        self._last_printed = closed.order_no
        cash = any(
            p.method is PaymentMethod.CASH and p.state is PaymentState.SUCCEEDED
            for p in closed.payments
        )
        self._print(closed, self.settings.ui.language, drawer=cash)

    def catalog_size(self) -> Pending[int]:
        """How many items the till can sell (0: the catalog was never loaded)."""
        return self._query("catalog_size", lambda t: t.catalog.count())

    def sync_status(self) -> Pending[SyncStatus]:
        return self._query(
            "sync_status",
            lambda t: read_status(t.db, self._clock(), registered=self.registered),
        )

    # -- the two kinds of operation ----------------------------------------------

    def _mutation(
        self, name: str, change: Callable[[OpenTill], T], *, guarded: bool = True
    ) -> Pending[T]:
        """Run ``change`` on the store thread, then publish the sale as it now is.
        ``guarded``: refused while the sale's payment is out on the cloud thread."""

        def run() -> T:
            till = self._require_open()
            before = till.session.order
            try:
                if guarded:
                    self._refuse_while_remote(till)
                return change(till)
            finally:
                till.note_finished(before)
                self._publish(till.view())

        return self._tasks.submit(run, name)

    def _cart(self, name: str, change: Callable[[OpenTill], int | None]) -> Pending[SaleView]:
        """A mutation of the cart; the line it touched is marked in the published view."""

        def run() -> SaleView:
            till = self._require_open()
            before = till.session.order
            touched: int | None = None
            try:
                self._refuse_while_remote(till)
                touched = change(till)
            finally:
                till.note_finished(before)
                self._publish(till.view(touched))
            return self._view

        return self._tasks.submit(run, name)

    def _refuse_while_remote(self, till: OpenTill) -> None:
        self._remote.refuse_while_out(till)

    def _query(self, name: str, read: Callable[[OpenTill], T]) -> Pending[T]:
        """Run ``read`` on the store thread; nothing is published."""
        return self._tasks.submit(lambda: read(self._require_open()), name)

    # -- on the store thread -----------------------------------------------------

    def _start(self) -> list[RecoveredOrder]:
        if self._cloud is None and self._registration is not None:
            registration = self._registration
            self._cloud = CloudClient(
                registration.cloud_url, registration.token, timeout_s=self.settings.sync.timeout_s
            )
            self._owns_cloud = True
        till = open_till(
            self.db_path,
            self.settings,
            clock=self._clock,
            registration=self._registration,
            cloud=self._cloud,
            wallet_schedule=self._wallet_schedule,
        )
        self._open = till
        # No cloud call here: a payment left in flight waits for the queue, on the cloud
        # thread, so a till whose cloud is gone starts (and sells) at once.
        report = recover_unfinished(till.orders, self._clock())
        # Refunds a crash left half done: whole, then finished when the cloud answers.
        for item in recover_refunds(till.db, self._clock()):
            log.warning("recovered refund", extra={"refund": str(item)})
        self._publish(till.view())
        return report

    def _close(self) -> None:
        if self._owns_cloud and self._cloud is not None:
            self._cloud.close()
            self._cloud = None
        if self._open is not None:
            self._open.close()
            self._open = None

    def _make_cloud_side(self) -> CloudSide:
        """On the cloud thread: its own connection to the store, and the payments on it."""
        assert self._registration is not None and self._cloud is not None
        side = CloudSide(
            self.db_path,
            self.settings,
            self._registration,
            self._cloud,
            self._clock,
            wallet_schedule=self._wallet_schedule,
        )
        self._cloud.on_contact(self._cloud_thread.note_contact)
        return side

    def _publish(self, view: SaleView) -> None:
        self._view = view
        if self._open is not None:
            self._print_if_paid(self._open, view)
        # Listeners log and skip their own failures: a broken screen must not stop the till.
        self._sale_listeners.emit(view)

    def _unhandled(self, error: BaseException) -> None:
        if not len(self._error_listeners):
            log.warning("till error with no listener", extra={"error": str(error)})
        self._error_listeners.emit(error)

    def _require_open(self) -> OpenTill:
        if self._open is None:
            raise RuntimeError("the till's store is not open: call start() first")
        return self._open


def _selling(till: OpenTill, change: Callable[[], T]) -> T:
    """``change`` begins a sale when none is in progress: a signed-in cashier in an open
    shift first (on a till with staff)."""
    if till.session.order is None:
        till.gate.require_selling()
        till.session.cashier_id = till.gate.staff_id
    return change()


def _approved(till: OpenTill, approver: str | None) -> None:
    """Record the manager who approved a restricted action on the sale it changed."""
    order = till.session.order or till.closed
    if approver is not None and order is not None:
        order.approver_id = approver
        till.orders.save(order, utc_now())


def _raise(error: BaseException) -> None:
    raise error
