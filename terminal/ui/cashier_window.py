"""``CashierWindow``: the till operator's screen.

A scan field that keyboard-wedge scanners type into (and where the cashier types codes,
quantities and amounts before pressing a function key), the cart, totals and cash
tender, the sync and device panels, recent orders for reprints and a status line.
Every action has a function key, as on a real till (F2 quantity, F3 void, F4 discount,
F5 cash, F6 exact cash, F7 reprint, F8 cancel, F9 sync now, F10 face pay, F11 language,
Esc clear). Face pay only asks the face checkout (``FaceActions``) to start; what the
customer screen is at shows in a line next to the status, and the member's greeting in
the totals' badge.

Widgets here show state and forward intents to the ``Till``; the till's answers and
every worker event arrive through the ``Bridge``. Errors go to the status line, never to
a modal dialog, so the next scan is never blocked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal.app.customer_panel import CustomerPanel, FaceActions, Stage
from terminal.app.recovery import RecoveredOrder
from terminal.app.sale_view import SaleState, SaleView
from terminal.app.tasks import Pending
from terminal.app.till import Till
from terminal.domain.errors import MoneyError
from terminal.domain.money import format_cents, parse_amount
from terminal.ui.bridge import Bridge
from terminal.ui.cart_table import CASHIER_COLUMNS, CartTable
from terminal.ui.cashier_panels import DevicePanel, RecentOrdersPanel, TenderPanel, TotalsPanel
from terminal.ui.receipt_dialog import ReceiptDialog
from terminal.ui.strings import Strings
from terminal.ui.sync_panel import SyncPanel
from terminal.ui.theme import stylesheet

# action id -> (message id of the button text, key sequence)
ACTIONS: dict[str, tuple[str, str]] = {
    "qty": ("action.qty", "F2"),
    "void": ("action.void", "F3"),
    "discount": ("action.discount", "F4"),
    "line_discount": ("action.line_discount", "Shift+F4"),
    "cash": ("action.cash", "F5"),
    "exact": ("action.exact", "F6"),
    "face_pay": ("action.face_pay", "F10"),
    "reprint": ("action.reprint", "F7"),
    "cancel": ("action.cancel", "F8"),
    "sync": ("action.sync", "F9"),
    "language": ("action.language", "F11"),
}
SyncNow = Callable[[], bool]


class CashierWindow(QMainWindow):
    def __init__(
        self,
        till: Till,
        bridge: Bridge,
        strings: Strings,
        *,
        sync_now: SyncNow | None = None,
        face: FaceActions | None = None,
        retry_dead: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cashierWindow")
        self.setStyleSheet(stylesheet("cashier"))
        self._till = till
        self._strings = strings
        self._sync_now = sync_now
        self._face = face
        self._retry_dead = retry_dead
        self.view = SaleView(SaleState.IDLE)
        self.panel: CustomerPanel | None = None
        self._shown_error: BaseException | None = None  # in the status line, if any
        symbol = till.settings.currency_symbol

        self.scan_field = QLineEdit()
        self.scan_field.setObjectName("scanField")
        self.scan_field.returnPressed.connect(self.submit_entry)
        self.sale_label = QLabel()
        self.sale_label.setObjectName("saleLabel")
        self.cart = CartTable(strings, CASHIER_COLUMNS)
        self.cart.setObjectName("cashierCart")
        self.totals = TotalsPanel(strings, symbol)
        self.tender = TenderPanel(strings, symbol)
        self.tender.pay_requested.connect(self.pay_cash)
        self.sync_panel = SyncPanel(
            strings, retry_dead=self.retry_dead if retry_dead is not None else None
        )
        self.sync_panel.sync_requested.connect(self.sync)
        self.devices = DevicePanel(strings)
        self.recent = RecentOrdersPanel(strings, symbol)
        self.status_line = QLabel()
        self.status_line.setObjectName("statusLine")
        self.face_status = QLabel()
        self.face_status.setObjectName("faceStatus")
        self.face_status.hide()
        self.receipt = ReceiptDialog(strings, self)

        self.actions_by_id: dict[str, QAction] = {}
        self.buttons: dict[str, QPushButton] = {}
        self._make_actions()
        self._lay_out()
        bridge.sale_changed.connect(self.show_sale)
        bridge.scan_taken.connect(self._clear_error)
        bridge.error.connect(self.show_error)
        bridge.notice.connect(self.show_notice)
        bridge.sync_status.connect(self.sync_panel.show_status)
        bridge.scanner_status.connect(self.devices.show_scanner)
        bridge.camera_health.connect(self.devices.show_camera)
        bridge.customer_panel.connect(self.show_panel)
        strings.changed.connect(self.retranslate)
        self.retranslate()
        self.show_notice(strings.text("status.ready"))
        self.scan_field.setFocus()

    def _make_actions(self) -> None:
        """One QAction per function key, shared by its shortcut and its button."""
        handlers: dict[str, Callable[[], Any]] = {
            "qty": self.set_quantity,
            "void": self.void,
            "discount": self.discount_order,
            "line_discount": self.discount_line,
            "cash": self.pay_cash,
            "exact": self.pay_exact,
            "reprint": self.reprint,
            "cancel": self.cancel,
            "sync": self.sync,
            "face_pay": self.face_pay,
            "language": self._strings.toggle,
        }
        for action_id, (_, keys) in ACTIONS.items():
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            # Application-wide: the keys must work whichever of the till's windows (the
            # customer screen, a receipt) the window manager made active.
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(handlers[action_id])
            self.addAction(action)
            self.actions_by_id[action_id] = action
            button = QPushButton()
            button.setObjectName(f"action_{action_id}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(action.trigger)
            self.buttons[action_id] = button
        clear = QAction(self)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        clear.triggered.connect(self.clear_entry)
        self.addAction(clear)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.scan_field, 3)
        top.addWidget(self.sale_label, 2)
        top.addWidget(self.buttons["language"])
        # Totals and the cash keypad side by side, so the cart keeps the height.
        self.totals.setFixedWidth(280)
        self.tender.setFixedWidth(300)
        # Face pay under the totals, by the member badge (the key row is full at 60 % of
        # one shared screen).
        self.buttons["face_pay"].setFixedWidth(280)
        by_totals = QVBoxLayout()
        by_totals.addWidget(self.totals, 1)
        by_totals.addWidget(self.buttons["face_pay"])
        middle = QHBoxLayout()
        middle.addWidget(self.cart, 1)
        middle.addLayout(by_totals)
        middle.addWidget(self.tender)
        keys = QGridLayout()
        # Language sits by the scan field and "sync now" in the sync panel.
        row_ids = [a for a in ACTIONS if a not in ("language", "sync", "face_pay")]
        for index, action_id in enumerate(row_ids):
            keys.addWidget(self.buttons[action_id], 0, index)
        bottom = QHBoxLayout()
        bottom.addWidget(self.sync_panel, 3)
        bottom.addWidget(self.devices, 2)
        bottom.addWidget(self.recent, 3)
        bottom_box = QWidget()
        bottom_box.setLayout(bottom)
        bottom_box.setFixedHeight(200)
        outer = QVBoxLayout()
        outer.addLayout(top)
        outer.addLayout(middle, 1)
        outer.addLayout(keys)
        outer.addWidget(bottom_box)
        status = QHBoxLayout()
        status.addWidget(self.status_line, 1)
        status.addWidget(self.face_status)
        outer.addLayout(status)
        central = QWidget()
        central.setLayout(outer)
        self.setCentralWidget(central)

    # -- state in ----------------------------------------------------------------

    def show_sale(self, view: SaleView) -> None:
        closed_now = view.state in (SaleState.PAID, SaleState.CANCELLED) and (
            view.order_no != self.view.order_no or view.state is not self.view.state
        )
        self.view = view
        self.cart.show_sale(view)
        self.totals.show_sale(view)
        self.tender.show_sale(view)
        self._show_sale_label()
        if closed_now:
            self.refresh_recent()
            if view.state is SaleState.PAID:
                change = self._money(view.change_cents)
                self.show_notice(
                    self._strings.text("sale.paid", order_no=view.order_no, change=change)
                )

    def show_panel(self, panel: CustomerPanel) -> None:
        """The customer screen's face stage: the member in the badge, the stage in a line."""
        self.panel = panel
        self.totals.show_panel(panel)
        self._show_face_status()

    def show_error(self, error: BaseException) -> None:
        """An error in the status line: a known error's reason code in the current
        language (again after a language switch); never the error's English text."""
        self._set_status(self._strings.error(error), "error")
        self._shown_error = error

    def show_notice(self, text: str) -> None:
        self._set_status(text, "info")

    def show_recovery(self, report: list[RecoveredOrder]) -> None:
        """What start-up recovery did; cash to hand back is the cashier's to act on."""
        if not report:
            return
        tr = self._strings.text
        parts = [tr("status.recovered", count=len(report))]
        for item in report:
            if item.cash_to_return_cents:
                amount = self._money(item.cash_to_return_cents)
                parts.append(tr("status.hand_back", amount=amount, order_no=item.order_no))
        self._set_status("; ".join(parts), "error" if len(parts) > 1 else "info")

    def refresh_recent(self) -> None:
        self._till.recent_orders().success(self.recent.show_orders)

    def retranslate(self) -> None:
        tr = self._strings.text
        self.setWindowTitle(tr("cashier.title"))
        self.scan_field.setPlaceholderText(tr("scan.placeholder"))
        for action_id, (msg_id, keys) in ACTIONS.items():
            self.buttons[action_id].setText(tr(msg_id))
            self.buttons[action_id].setToolTip(keys)
        for panel in (
            self.cart,
            self.totals,
            self.tender,
            self.sync_panel,
            self.devices,
            self.recent,
            self.receipt,
        ):
            panel.retranslate()
        self._show_sale_label()
        self._show_face_status()
        if self._shown_error is not None:
            self.show_error(self._shown_error)

    # -- intents out -------------------------------------------------------------

    def submit_entry(self) -> None:
        text = self.scan_field.text().strip()
        self.scan_field.clear()
        if text:
            self._send(self._till.scan(text))

    def set_quantity(self) -> None:
        text = self._take_entry("F2")
        if text is None:
            return
        if not text.isdigit():
            self._set_status(self._strings.text("status.bad_number", text=text[:12]), "error")
            return
        self._send(self._till.set_quantity(int(text)))

    def void(self) -> None:
        self._send(self._till.void(self.cart.selected_line_no()))

    def discount_order(self) -> None:
        cents = self._take_amount("F4")
        if cents is not None:
            self._send(self._till.discount_order(cents))

    def discount_line(self) -> None:
        cents = self._take_amount("Shift+F4")
        if cents is not None:
            self._send(self._till.discount_line(cents, self.cart.selected_line_no()))

    def pay_cash(self) -> None:
        try:
            cents = self.tender.tendered_cents()
        except MoneyError as exc:
            self.show_error(exc)
            return
        if cents is None:
            cents = self._take_amount("F5")
            if cents is None:
                return
        self._send(self._till.pay_cash(cents))

    def pay_exact(self) -> None:
        self._send(self._till.pay_cash(None))

    def cancel(self) -> None:
        self._send(self._till.cancel())

    def reprint(self) -> None:
        order_no = self.recent.selected_order_no()
        if order_no is None:
            self._set_status(self._strings.text("receipt.none"), "error")
            return
        self._till.receipt(order_no).success(lambda text: self.receipt.show_receipt(order_no, text))

    def sync(self) -> None:
        woken = self._sync_now is not None and self._sync_now()
        self.show_notice(self._strings.text("sync.woken" if woken else "sync.no_worker"))

    def face_pay(self) -> None:
        """F10: ask the face checkout to take this sale by face; it answers on the panel."""
        if self._face is None:
            self._set_status(self._strings.text("cashier.face.unavailable"), "error")
            return
        self._face.want_face_pay()

    def retry_dead(self) -> None:
        """The sync panel's "retry parked entries": hand them back to the sync worker."""
        if self._retry_dead is None:
            return
        self._retry_dead()
        self.show_notice(self._strings.text("sync.retrying"))

    def clear_entry(self) -> None:
        self.scan_field.clear()
        self.tender.amount.clear()
        self.receipt.hide()
        self.scan_field.setFocus()

    # -- plumbing ----------------------------------------------------------------

    def _send(self, pending: Pending[Any]) -> None:
        """Fire an intent; a success clears an old error, a failure reaches show_error
        through the till's unhandled-error path."""
        pending.success(lambda _: self._clear_error())

    def _take_entry(self, key: str) -> str | None:
        text = self.scan_field.text().strip()
        if not text:
            self._set_status(self._strings.text("status.need_number", key=key), "error")
            return None
        self.scan_field.clear()
        return text

    def _take_amount(self, key: str) -> int | None:
        text = self._take_entry(key)
        if text is None:
            return None
        try:
            return parse_amount(text)
        except MoneyError as exc:
            self.show_error(exc)
            return None

    def _clear_error(self) -> None:
        if self.status_line.property("level") == "error":
            self.show_notice(self._strings.text("status.ready"))

    def _set_status(self, text: str, level: str) -> None:
        self._shown_error = None
        self.status_line.setText(text)
        self.status_line.setProperty("level", level)
        self.status_line.style().unpolish(self.status_line)
        self.status_line.style().polish(self.status_line)

    def _show_face_status(self) -> None:
        panel, tr = self.panel, self._strings.text
        if panel is None or panel.stage is Stage.OFF:
            self.face_status.hide()
            return
        if panel.stage is Stage.FAILED:
            # The specific reason (an offline cap, a declined balance) when there is one.
            reason = self._strings.reason(
                panel.detail, panel.detail_params, fallback=""
            ) or self._strings.message(panel.notice, "face.failed.error")
            text = tr("cashier.face.failed", reason=reason)
        else:
            text = tr(f"cashier.face.{panel.stage}")
        self.face_status.setText(text)
        self.face_status.setProperty("stage", str(panel.stage))
        self.face_status.style().unpolish(self.face_status)
        self.face_status.style().polish(self.face_status)
        self.face_status.show()

    def _show_sale_label(self) -> None:
        view, tr = self.view, self._strings.text
        if view.order_no is None:
            self.sale_label.setText(tr("sale.none"))
        elif view.state is SaleState.CANCELLED:
            self.sale_label.setText(tr("sale.cancelled", order_no=view.order_no))
        else:
            self.sale_label.setText(tr("sale.order", order_no=view.order_no))

    def _money(self, cents: int) -> str:
        return self._till.settings.currency_symbol + format_cents(cents)
