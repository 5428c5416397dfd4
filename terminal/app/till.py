"""``Till``: the facade a front end talks to; it owns the checkout session and the store.

Every store access (opening, start-up recovery, each cashier intent, recent orders,
receipts, sync status) runs on the till's one ``TaskThread``, because the SQLite
connection belongs to the thread that opened it and intents must apply in order. Each
method returns at once with a ``Pending`` result; the caller chains
``.success(cb).failure(cb)`` and the callbacks run where ``deliver`` puts them (the GUI
thread, through the Qt bridge). After every intent, whether it worked or not, the till
publishes a fresh ``SaleView`` to its listeners (on the store thread), so the screens
always show what is on disk.

What must not live here: Qt, widgets, hardware; business rules stay in the session and
the domain.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from terminal.app.checkout import CheckoutSession, TenderResult
from terminal.app.enrollment import Enrolled, EnrollmentService
from terminal.app.member_views import FacePayPrompt, Greeting, mask_name
from terminal.app.receipt import render_receipt
from terminal.app.recovery import RecoveredOrder, recover_unfinished
from terminal.app.sale_view import IDLE, MemberView, SaleView, view_of
from terminal.app.tasks import Deliver, ErrorSink, Pending, TaskThread, call_now
from terminal.clock import Clock, utc_now
from terminal.config import Settings
from terminal.domain.codes import PaymentCode, classify_scan
from terminal.domain.errors import CartError, PaymentError
from terminal.domain.order import Order
from terminal.face.decide import Decision
from terminal.face.embed import Embedding
from terminal.face.gallery import Gallery
from terminal.payments.pending_queue import Resolution
from terminal.payments.wallet import PollSchedule
from terminal.storage import outbox
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import Synchronous, open_store
from terminal.storage.members import MemberRepository
from terminal.storage.orders import OrderRepository
from terminal.storage.template_cipher import TemplateCipher
from terminal.sync.client import CloudClient
from terminal.sync.registration import Registration
from terminal.sync.status import SyncStatus, read_status

log = logging.getLogger(__name__)
T = TypeVar("T")
SaleListener = Callable[[SaleView], None]


@dataclass(frozen=True, slots=True)
class CashResult:
    """A cash tender: ``paid`` when the order closed; the change to hand over."""

    order_no: str
    paid: bool
    tendered_cents: int
    change_cents: int
    balance_due_cents: int


@dataclass(frozen=True, slots=True)
class RecentOrder:
    order_no: str
    state: str
    total_cents: int
    closed_at: str | None


class Till:
    """One till: a store file, a session, one store thread. See the module docstring."""

    def __init__(
        self,
        db_path: Path,
        settings: Settings,
        *,
        deliver: Deliver = call_now,
        clock: Clock = utc_now,
        synchronous: Synchronous = "FULL",
        registration: Registration | None = None,
        cloud_timeout_s: float = 10.0,
        wallet_schedule: PollSchedule | None = None,
    ) -> None:
        self.db_path = db_path
        self.settings = settings
        self._clock = clock
        self._synchronous = synchronous
        # Registered: members, face pay and payment codes; not: cash only.
        self._registration = registration
        self._cloud_timeout_s = cloud_timeout_s
        self._wallet_schedule = wallet_schedule
        self._members: MemberRepository | None = None
        self._enrollment: EnrollmentService | None = None
        self._cloud: CloudClient | None = None
        self._error_listeners: list[ErrorSink] = []
        self._sale_listeners: list[SaleListener] = []
        self._tasks = TaskThread("till-store", deliver=deliver, on_unhandled=self._unhandled)
        self._db: Database | None = None
        self._session: CheckoutSession | None = None
        self._orders: OrderRepository | None = None
        # The sale that just closed stays on screen (change, thank-you) until the next one.
        self._closed: Order | None = None
        self._view: SaleView = IDLE

    # -- listeners ---------------------------------------------------------------

    def on_sale_changed(self, listener: SaleListener) -> None:
        """``listener(view)`` after each intent, on the store thread."""
        self._sale_listeners.append(listener)

    def on_error(self, listener: ErrorSink) -> None:
        """Failures of intents nobody chained ``.failure`` on."""
        self._error_listeners.append(listener)

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
        """Intents submitted whose results have not been delivered yet."""
        return self._tasks.busy

    # -- life cycle --------------------------------------------------------------

    def start(self) -> Pending[list[RecoveredOrder]]:
        """Open the store and recover what a crash left unfinished, before any sale."""
        self._tasks.start()
        return self._tasks.submit(self._open, "open")

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Finish queued intents, close the store, end the thread."""
        if not self._tasks.running:
            return True
        self._tasks.submit(self._close, "close")
        return self._tasks.stop(timeout_s)

    # -- intents -----------------------------------------------------------------

    def scan(self, text: str, symbology: str | None = None) -> Pending[SaleView]:
        """A product code goes in the cart; a wallet payment code pays what is due."""

        def run() -> SaleView:
            code = classify_scan(text, self.settings.weighed_layout, symbology)
            if isinstance(code, PaymentCode):
                return self._pay_code_view(code.code)
            return self._apply(lambda s: s.add_code(code).line_no)

        return self._tasks.submit(run, "scan")

    def set_quantity(self, quantity: int) -> Pending[SaleView]:
        return self._intent("quantity", lambda s: s.set_quantity(quantity).line_no)

    def void(self, line_no: int | None = None) -> Pending[SaleView]:
        return self._intent("void", lambda s: s.void(line_no).line_no)

    def discount_line(self, cents: int, line_no: int | None = None) -> Pending[SaleView]:
        return self._intent("discount_line", lambda s: s.discount_line(cents, line_no).line_no)

    def discount_order(self, cents: int) -> Pending[SaleView]:
        def apply(session: CheckoutSession) -> None:
            session.discount_order(cents)

        return self._intent("discount_order", apply)

    def pay_cash(self, tendered_cents: int | None = None) -> Pending[CashResult]:
        """Take cash; ``None`` means exactly what is due (the "exact cash" key)."""

        def run() -> CashResult:
            session = self._require_session()
            try:
                order = session.order
                if order is None:
                    raise CartError("no sale in progress: scan an item first")
                tendered = order.balance_due_cents if tendered_cents is None else tendered_cents
                result = session.pay_cash(tendered)
                if result.paid:
                    self._closed = result.order
                return CashResult(
                    order_no=result.order.order_no,
                    paid=result.paid,
                    tendered_cents=tendered,
                    change_cents=result.change_cents,
                    balance_due_cents=result.balance_due_cents,
                )
            finally:
                self._publish()

        return self._tasks.submit(run, "pay_cash")

    def pay_code(self, text: str) -> Pending[TenderResult]:
        """Charge what is due to a WeChat Pay / Alipay code (USERPAYING is polled here, on
        the store thread: the screens stay live, the next intent waits its turn)."""
        return self._tasks.submit(lambda: self._tender(lambda s: s.pay_code(text)), "pay_code")

    # -- members and face pay ----------------------------------------------------

    def recognise(self, member_id: str) -> Pending[Greeting]:
        """The face worker recognised a member: member prices from now on."""

        def run() -> Greeting:
            session = self._require_session()
            try:
                return session.recognise(member_id)
            finally:
                self._publish()

        return self._tasks.submit(run, "recognise")

    def forget_member(self) -> Pending[SaleView]:
        """ "Not me": back to guest prices, the staged face payment dropped."""
        return self._intent("forget_member", lambda s: s.forget_member())

    def stage_face_pay(self, member_id: str, decision: Decision) -> Pending[FacePayPrompt]:
        """A PAY decision: the question the customer confirms on screen."""

        def run() -> FacePayPrompt:
            try:
                return self._require_session().pay_face(member_id, decision)
            finally:
                self._publish()

        return self._tasks.submit(run, "stage_face_pay")

    def decline_face_pay(self) -> Pending[None]:
        return self._tasks.submit(
            lambda: self._require_session().decline_face_pay(), "decline_face_pay"
        )

    def confirm_face_pay(self) -> Pending[TenderResult]:
        return self._tasks.submit(
            lambda: self._tender(lambda s: s.confirm_face_pay()), "confirm_face_pay"
        )

    def enroll(
        self, embedding: Embedding, consent_version: str, *, gallery: Gallery | None = None
    ) -> Pending[Enrolled]:
        """The customer accepted the consent text: a member now, usable at once (the
        template goes into ``gallery`` too, so the next frame can recognise them)."""

        def run() -> Enrolled:
            if self._enrollment is None:
                raise PaymentError("joining needs a till registered with the cloud")
            enrolled = self._enrollment.accept(
                model=embedding.model,
                vector=embedding.to_bytes(),
                consent_version=consent_version,
            )
            if gallery is not None:
                gallery.add(enrolled.member_id, embedding)
            return enrolled

        return self._tasks.submit(run, "enroll")

    def decline_enrollment(self) -> Pending[None]:
        def run() -> None:
            if self._enrollment is not None:
                self._enrollment.decline()

        return self._tasks.submit(run, "decline_enrollment")

    def load_gallery(self, model: str) -> Pending[Gallery]:
        """Every member template of ``model`` on this till, opened with the device key."""

        def run() -> Gallery:
            members = self._members
            if members is None:
                return Gallery(model)
            return Gallery.from_repository(members, model)

        return self._tasks.submit(run, "load_gallery")

    def resolve_pending(self) -> Pending[list[Resolution]]:
        """Query, then reverse, payments whose result never came back (a timer calls this)."""

        def run() -> list[Resolution]:
            session = self._require_session()
            try:
                return session.pending.resolve_all()
            finally:
                self._publish()

        return self._tasks.submit(run, "resolve_pending")

    def retry_dead(self) -> Pending[int]:
        """The cashier's "retry": parked outbox entries go back in the queue."""

        def run() -> int:
            return outbox.requeue_dead(self._require_db(), self._clock())

        return self._tasks.submit(run, "retry_dead")

    def cancel(self) -> Pending[SaleView]:
        def run() -> SaleView:
            session = self._require_session()
            try:
                self._closed = session.cancel()
            finally:
                self._publish()
            return self._view

        return self._tasks.submit(run, "cancel")

    # -- reading -----------------------------------------------------------------

    def recent_orders(self, limit: int = 10) -> Pending[list[RecentOrder]]:
        def run() -> list[RecentOrder]:
            return [
                RecentOrder(s.order_no, s.state, s.total_cents, s.closed_at)
                for s in self._require_orders().summaries(limit)
                if s.closed_at is not None
            ]

        return self._tasks.submit(run, "recent_orders")

    def receipt(self, order_no: str) -> Pending[str]:
        """The receipt text of a stored order, for a reprint."""
        return self._tasks.submit(
            lambda: render_receipt(self._require_orders().load(order_no), self.settings),
            "receipt",
        )

    def sync_status(self, *, registered: bool) -> Pending[SyncStatus]:
        return self._tasks.submit(
            lambda: read_status(self._require_db(), self._clock(), registered=registered),
            "sync_status",
        )

    # -- on the store thread -----------------------------------------------------

    def _open(self) -> list[RecoveredOrder]:
        db = open_store(self.db_path, synchronous=self._synchronous)
        self._db = db
        self._orders = OrderRepository(db)
        registration = self._registration
        if registration is not None:
            self._members = MemberRepository(db, TemplateCipher(registration.template_key))
            self._cloud = CloudClient(
                registration.cloud_url, registration.token, timeout_s=self._cloud_timeout_s
            )
            self._enrollment = EnrollmentService(
                db, self._members, self.settings.device_id, clock=self._clock
            )
        session = CheckoutSession(
            orders=self._orders,
            catalog=CatalogRepository(db),
            settings=self.settings,
            clock=self._clock,
            members=self._members,
            cloud=self._cloud,
            wallet_schedule=self._wallet_schedule,
        )
        self._session = session
        report = recover_unfinished(self._orders, self._clock(), session.pending)
        self._publish()
        return report

    def _close(self) -> None:
        if self._cloud is not None:
            self._cloud.close()
            self._cloud = None
        if self._db is not None:
            self._db.close()
            self._db = None

    def _intent(
        self, name: str, action: Callable[[CheckoutSession], int | None]
    ) -> Pending[SaleView]:
        return self._tasks.submit(lambda: self._apply(action), name)

    def _apply(self, action: Callable[[CheckoutSession], int | None]) -> SaleView:
        session = self._require_session()
        touched: int | None = None
        try:
            touched = action(session)
            # The closed sale leaves the screen once the next one starts.
            if session.order is not None:
                self._closed = None
        finally:
            self._publish(touched)
        return self._view

    def _pay_code_view(self, text: str) -> SaleView:
        result = self._tender(lambda s: s.pay_code(text))
        if not result.paid:
            raise PaymentError(result.message or "the payment did not go through")
        return self._view

    def _tender(self, pay: Callable[[CheckoutSession], TenderResult]) -> TenderResult:
        """A non-cash payment; the closed sale stays on screen like a cash one."""
        session = self._require_session()
        try:
            result = pay(session)
            if result.paid:
                self._closed = result.order
            return result
        finally:
            self._publish()

    def _member_view(self, order: Order) -> MemberView | None:
        if order.member_id is None or self._members is None:
            return None
        member = self._members.get(order.member_id)
        if member is None:
            return MemberView(order.member_id, "**")
        return MemberView(member.member_id, mask_name(member.display_name), member.points)

    def _publish(self, touched: int | None = None) -> None:
        session = self._require_session()
        if session.order is not None:
            view = view_of(session.order, touched, self._member_view(session.order))
        elif self._closed is not None:
            view = view_of(self._closed, member=self._member_view(self._closed))
        else:
            view = IDLE
        self._view = view
        for listener in self._sale_listeners:
            try:
                listener(view)
            except Exception:  # a broken screen must not stop the till
                log.exception("sale listener failed", extra={"order_no": view.order_no})

    def _unhandled(self, error: BaseException) -> None:
        if not self._error_listeners:
            log.warning("till error with no listener", extra={"error": str(error)})
        for listener in self._error_listeners:
            listener(error)

    def _require_session(self) -> CheckoutSession:
        if self._session is None:
            raise RuntimeError("the till's store is not open: call start() first")
        return self._session

    def _require_orders(self) -> OrderRepository:
        if self._orders is None:
            raise RuntimeError("the till's store is not open: call start() first")
        return self._orders

    def _require_db(self) -> Database:
        if self._db is None:
            raise RuntimeError("the till's store is not open: call start() first")
        return self._db
