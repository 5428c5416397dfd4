"""The side panels of the cashier window: totals, cash tender, devices, recent orders.

Each panel shows one piece of state and has a ``retranslate()``; none decides anything.
The totals' member badge shows the greeting of the customer screen's ``CustomerPanel``
(masked name and points) when it has one, else the sale's member, else "guest"; under the
totals, a large banner says the change due after a cash sale, or the cash to hand back
after a cancel. The tender panel's keypad only edits the amount field: paying is the
window's intent. Recent orders select the newest paid order at each refresh (what F7
reprints) unless the cashier picked another row since the last one.

What must not live here: the one-line labels (``cashier_labels``), the status line and
its pinned messages (``status_messages``), the function keys (``cashier_actions``) or
where anything sits (``cashier_layout``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drivers.scanner import ConnectionState, ScannerStatus
from terminal.app.customer_panel import CustomerPanel
from terminal.app.sale_view import SaleState, SaleView
from terminal.app.till import RecentOrder
from terminal.domain.errors import MoneyError
from terminal.domain.money import format_cents, parse_amount
from terminal.domain.order import OrderState
from terminal.ui.bridge import CameraHealth
from terminal.ui.strings import CATALOG, Strings


class TotalsPanel(QGroupBox):
    """Subtotal, discount, total, paid, due or change; the member badge on top."""

    _ROWS = ("totals.subtotal", "totals.discount", "totals.total", "totals.paid", "totals.due")

    def __init__(self, strings: Strings, symbol: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strings = strings
        self._symbol = symbol
        self._view = SaleView(SaleState.IDLE)
        self._panel: CustomerPanel | None = None
        layout = QFormLayout(self)
        layout.setVerticalSpacing(2)
        self.member = QLabel()
        self.member.setObjectName("memberBadge")
        layout.addRow(self.member)
        self._labels: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        for key in self._ROWS:
            label, value = QLabel(), QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            value.setObjectName("totalValue" if key == "totals.total" else "amountValue")
            self._labels[key], self._values[key] = label, value
            layout.addRow(label, value)
        self.items = QLabel()
        layout.addRow(self.items)
        # Money the cashier must hand over now: big, and only while it applies.
        self.banner = QLabel()
        self.banner.setObjectName("totalsBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addRow(self.banner)
        self.retranslate()

    def retranslate(self) -> None:
        self.show_sale(self._view)

    def show_panel(self, panel: CustomerPanel) -> None:
        self._panel = panel
        self._show_member()

    def show_sale(self, view: SaleView) -> None:
        self._view = view
        tr = self._strings.text
        self._show_member()
        done = view.state is SaleState.PAID
        due = 0 if view.state is SaleState.CANCELLED else view.balance_due_cents
        values = {
            "totals.subtotal": view.subtotal_cents,
            "totals.discount": view.discount_cents,
            "totals.total": view.total_cents,
            "totals.paid": view.paid_cents,
            # Nothing is due on a cancelled sale (cash taken shows as handed back).
            "totals.due": view.change_cents if done else due,
        }
        for key in self._ROWS:
            text = tr("totals.change") if key == "totals.due" and done else tr(key)
            self._labels[key].setText(text)
            sign = "-" if key == "totals.discount" and values[key] else ""
            self._values[key].setText(sign + self._symbol + format_cents(values[key]))
        self.items.setText(tr("totals.items", count=view.item_count))
        self._show_banner()

    def _show_banner(self) -> None:
        view, tr = self._view, self._strings.text
        if view.state is SaleState.CANCELLED and view.handed_back_cents:
            kind, text = (
                "hand_back",
                tr("totals.hand_back", amount=self._money(view.handed_back_cents)),
            )
        elif view.state is SaleState.PAID and view.change_cents:
            kind, text = "change", tr("totals.change_due", amount=self._money(view.change_cents))
        else:
            self.banner.hide()
            return
        self.banner.setText(text)
        self.banner.setProperty("kind", kind)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()

    def _money(self, cents: int) -> str:
        return self._symbol + format_cents(cents)

    def _show_member(self) -> None:
        tr, member = self._strings.text, self._view.member
        greeting = self._panel.greeting if self._panel is not None else None
        if greeting is not None:
            text = tr("member.greeting", name=greeting.name, points=greeting.points)
        elif member is not None:
            text = tr("member.known", name=member.masked_name)
        else:
            text = tr("member.guest")
        self.member.setText(text)
        self.member.setProperty("member", greeting is not None or member is not None)
        self.member.style().unpolish(self.member)
        self.member.style().polish(self.member)


class TenderPanel(QGroupBox):
    """The cash amount (typed or on the keypad) and the change it would give."""

    pay_requested = Signal()

    def __init__(self, strings: Strings, symbol: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strings = strings
        self._symbol = symbol
        self._view = SaleView(SaleState.IDLE)
        layout = QVBoxLayout(self)
        self.amount = QLineEdit()
        self.amount.setObjectName("tenderAmount")
        self.amount.textChanged.connect(self._update_hint)
        self.amount.returnPressed.connect(self.pay_requested)
        layout.addWidget(self.amount)
        self.hint = QLabel()
        self.hint.setObjectName("tenderHint")
        layout.addWidget(self.hint)
        keypad = QGridLayout()
        keypad.setSpacing(4)
        # A till's cash keypad: digits on the left, corrections and "pay" on the right.
        rows = (("7", "8", "9", "C"), ("4", "5", "6", "←"), ("1", "2", "3", "00"))
        edits: dict[str, Callable[[], None]] = {
            "C": self.amount.clear,
            "←": self.amount.backspace,
        }
        for row, keys in enumerate(rows):
            for col, key in enumerate(keys):
                action = edits.get(key) or partial(self.amount.insert, key)
                keypad.addWidget(self._key(key, action), row, col)
        keypad.addWidget(self._key("0", partial(self.amount.insert, "0")), 3, 0)
        keypad.addWidget(self._key(".", partial(self.amount.insert, ".")), 3, 1)
        self.pay = self._key("", self.pay_requested.emit)
        self.pay.setObjectName("payButton")
        keypad.addWidget(self.pay, 3, 2, 1, 2)
        layout.addLayout(keypad)
        self.retranslate()

    def _key(self, text: str, action: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        # Buttons never take the focus: keystrokes keep going where the cashier typed.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(action)
        return button

    def retranslate(self) -> None:
        self.setTitle(self._strings.text("tender.title"))
        self.amount.setPlaceholderText(self._strings.text("tender.placeholder"))
        self.pay.setText(self._strings.text("action.cash"))
        self._update_hint()

    def tendered_cents(self) -> int | None:
        """The typed amount in cents; None if empty. Raises ``MoneyError`` if malformed."""
        text = self.amount.text().strip()
        return parse_amount(text) if text else None

    def show_sale(self, view: SaleView) -> None:
        self._view = view
        if view.state is not SaleState.TENDERING:
            self.amount.clear()
        self._update_hint()

    def _update_hint(self) -> None:
        try:
            tendered = self.tendered_cents()
        except MoneyError:
            tendered = None
        if tendered is None or not self._view.in_progress:
            self.hint.setText("")
            return
        preview = self._view.preview_cash(tendered)
        if preview.short_cents:
            amount = self._symbol + format_cents(preview.short_cents)
            self.hint.setText(self._strings.text("tender.short", amount=amount))
        else:
            amount = self._symbol + format_cents(preview.change_cents)
            self.hint.setText(self._strings.text("tender.change", amount=amount))


class DevicePanel(QGroupBox):
    """Scanner link, camera frame rate, and the receipt printer as its last job left it."""

    def __init__(self, strings: Strings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strings = strings
        self._scanner: ScannerStatus | None = None
        self._camera: CameraHealth | None = None
        self._printer: str = "printer.none"  # a message id: printed, or why not
        self._printer_ok = True
        layout = QVBoxLayout(self)
        self.scanner = QLabel()
        self.camera = QLabel()
        self.printer = QLabel()
        layout.addWidget(self.scanner)
        layout.addWidget(self.camera)
        layout.addWidget(self.printer)
        self.retranslate()

    def retranslate(self) -> None:
        tr = self._strings.text
        self.setTitle(tr("devices.title"))
        if self._scanner is None:
            state = tr("devices.scanner.none")
        else:
            state = tr(f"devices.scanner.{self._scanner.state}")
        self.scanner.setText(tr("devices.scanner", state=state))
        self.scanner.setProperty(
            "alert",
            self._scanner is not None and self._scanner.state is not ConnectionState.CONNECTED,
        )
        self.scanner.setToolTip(self._scanner.port if self._scanner else "")
        if self._camera is None:
            camera = tr("devices.camera.none")
        else:
            camera = tr("devices.camera.fps", fps=self._camera.fps)
        self.camera.setText(tr("devices.camera", state=camera))
        self.printer.setText(tr("devices.printer", state=tr(self._printer)))
        self.printer.setProperty("alert", not self._printer_ok)
        # A dynamic property only restyles after a re-polish.
        for label in (self.scanner, self.printer):
            label.style().unpolish(label)
            label.style().polish(label)

    def show_printer(self, state: str, ok: bool) -> None:
        """``state``: a message id (``printer.printed``, or the reason it did not print)."""
        self._printer, self._printer_ok = state, ok
        self.retranslate()

    def show_scanner(self, status: ScannerStatus) -> None:
        self._scanner = status
        self.retranslate()

    def show_camera(self, health: CameraHealth) -> None:
        self._camera = health
        self.retranslate()


class RecentOrdersPanel(QGroupBox):
    """The last closed orders, newest first; the selected one is what F7 reprints.

    A refresh selects the newest paid order (the receipt a cashier is asked for), unless
    the cashier clicked another row since and no sale closed since: a pick holds while the
    list only refreshes, and the next closed sale is again what F7 prints (the customer at
    the till now is the one who asks for a receipt)."""

    def __init__(self, strings: Strings, symbol: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strings = strings
        self._symbol = symbol
        self._orders: list[RecentOrder] = []
        self._picked: str | None = None  # clicked by the cashier since the last sale closed
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.itemClicked.connect(self._pick)
        layout.addWidget(self.list)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self._strings.text("recent.title"))
        self._fill(self._orders, self.selected_order_no())

    def show_orders(self, orders: list[RecentOrder]) -> None:
        """A refresh: the newest paid order is selected, or the cashier's pick while no
        newer order came in."""
        newest = orders[0].order_no if orders else None
        known = self._orders[0].order_no if self._orders else None
        if newest != known or self._picked not in {o.order_no for o in orders}:
            self._picked = None
        newest_paid = next((o.order_no for o in orders if o.state == OrderState.PAID), None)
        self._fill(orders, self._picked or newest_paid)

    def selected_order_no(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _pick(self, item: QListWidgetItem) -> None:
        self._picked = str(item.data(Qt.ItemDataRole.UserRole))

    def _fill(self, orders: list[RecentOrder], selected: str | None) -> None:
        self._orders = orders
        self.list.clear()
        for order in orders:
            state_id = f"recent.state.{order.state}"
            state = self._strings.text(state_id) if state_id in CATALOG else order.state
            text = self._strings.text(
                "recent.row",
                order_no=order.order_no,
                total=self._symbol + format_cents(order.total_cents),
                state=state,
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, order.order_no)
            self.list.addItem(item)
            if order.order_no == selected:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
