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
from terminal.app.cloud_executor import CloudExecutor
from terminal.app.cloud_side import CloudSide
from terminal.app.consent import ConsentText, GivenConsent
from terminal.app.enrollment import Enrolled
from terminal.app.forget_me import ForgetKind, ForgetRefused
from terminal.app.member_views import FacePayPrompt, Greeting
from terminal.app.open_till import OpenTill, open_till
from terminal.app.receipt import render_receipt
from terminal.app.recovery import RecoveredOrder, recover_unfinished
from terminal.app.remote_ops import RemoteOps, as_is, paid_view
from terminal.app.sale_view import IDLE, SaleView
from terminal.app.tasks import Deliver, ErrorSink, Pending, TaskThread, call_now
from terminal.app.tender_result import TenderResult
from terminal.app.till_results import CashResult, RecentOrder
from terminal.clock import Clock, utc_now
from terminal.config import Settings
from terminal.domain.codes import PaymentCode, classify_scan
from terminal.domain.errors import CartError, PaymentError
from terminal.domain.face_probe import FaceProbe
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
    ) -> None:
        """``registration``: members, face pay and payment codes (else cash only).
        ``cloud``: the client for it, owned by the caller; without one, a registered
        till makes (and closes) its own."""
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
        return self._tasks.submit(self._start, "open")

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Finish queued operations, close the store, end the threads."""
        cloud_stopped = self._cloud_thread.stop(timeout_s)
        if not self._tasks.running:
            return cloud_stopped
        self._tasks.submit(self._close, "close")
        return self._tasks.stop(timeout_s) and cloud_stopped

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
        return self._cart("scan", lambda t: t.session.add_code(code).line_no)

    def set_quantity(self, quantity: int, line_no: int | None = None) -> Pending[SaleView]:
        return self._cart("quantity", lambda t: t.session.set_quantity(quantity, line_no).line_no)

    def void(self, line_no: int | None = None) -> Pending[SaleView]:
        return self._cart("void", lambda t: t.session.void(line_no).line_no)

    def discount_line(self, cents: int, line_no: int | None = None) -> Pending[SaleView]:
        return self._cart(
            "discount_line", lambda t: t.session.discount_line(cents, line_no).line_no
        )

    def discount_order(self, cents: int) -> Pending[SaleView]:
        def run(till: OpenTill) -> None:
            till.session.discount_order(cents)

        return self._cart("discount_order", run)

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
        return self._cart("recall", lambda t: t.session.recall(which).cart.lines[-1].line_no)

    def held_sales(self) -> Pending[list[HeldSale]]:
        return self._query("held_sales", lambda t: t.session.held())

    def cancel(self) -> Pending[SaleView]:
        """Cancel the sale in progress; the view says what cash, if any, to hand back."""

        def run(till: OpenTill) -> None:
            till.session.cancel()

        return self._cart("cancel", run)

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


def _raise(error: BaseException) -> None:
    raise error
