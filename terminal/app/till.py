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

from terminal.app.checkout import CheckoutSession
from terminal.app.receipt import render_receipt
from terminal.app.recovery import RecoveredOrder, recover_unfinished
from terminal.app.sale_view import IDLE, SaleView, view_of
from terminal.app.tasks import Deliver, ErrorSink, Pending, TaskThread, call_now
from terminal.clock import Clock, utc_now
from terminal.config import Settings
from terminal.domain.errors import CartError
from terminal.domain.order import Order
from terminal.store.catalog import CatalogRepository
from terminal.store.database import Synchronous, open_store
from terminal.store.orders import OrderRepository
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
    ) -> None:
        self.db_path = db_path
        self.settings = settings
        self._clock = clock
        self._synchronous = synchronous
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
        return self._intent("scan", lambda s: s.scan(text, symbology).line_no)

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
        report = recover_unfinished(self._orders, self._clock())
        self._session = CheckoutSession(
            orders=self._orders,
            catalog=CatalogRepository(db),
            settings=self.settings,
            clock=self._clock,
        )
        self._publish()
        return report

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _intent(
        self, name: str, action: Callable[[CheckoutSession], int | None]
    ) -> Pending[SaleView]:
        def run() -> SaleView:
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

        return self._tasks.submit(run, name)

    def _publish(self, touched: int | None = None) -> None:
        session = self._require_session()
        if session.order is not None:
            view = view_of(session.order, touched)
        elif self._closed is not None:
            view = view_of(self._closed)
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
