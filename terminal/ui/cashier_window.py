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

Money and mistakes a cashier must not miss:
- A refused scan sounds an error and its message stays (pinned) until the cashier acts:
  a function key or Esc acknowledges it; a later accepted scan beeps and shows its item
  beside the error instead of replacing it (scanning goes on, and the miss is still
  there to see when the cashier looks up). A refused scan replaces it with its own.
- F8 on a sale with items only arms the cancel: the status line asks for F8 again within
  a few seconds; any other key, Esc, a scan or a change of the sale disarms it. No
  dialog, so the next scan is never blocked. An empty sale cancels at once.
- After a cancel that gave cash back, "hand back ¥X" shows large in the totals and
  pinned in the status line; after a cash sale, the change due shows large.

What lives here: the window, which makes the widgets, connects them to the bridge and
turns keys into the till's intents. What must not: the status line's rules
(``status_messages``), the F8 wait (``cancel_confirmation``), the key table
(``cashier_actions``), where widgets sit (``cashier_layout``), the panels and labels
(``cashier_panels``, ``cashier_labels``), or any decision about the sale (the till's).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLineEdit, QMainWindow, QPushButton, QWidget

from terminal.app.customer_panel import CustomerPanel, FaceActions
from terminal.app.receipt_printing import ReceiptPrintOutcome
from terminal.app.recovery import RecoveredOrder
from terminal.app.returns import RefundTicket, ReturnableOrder
from terminal.app.sale_view import SaleState, SaleView
from terminal.app.tasks import Pending
from terminal.app.till import Till
from terminal.domain.errors import MoneyError
from terminal.domain.money import format_cents, parse_amount
from terminal.domain.refund_request import parse_line_requests
from terminal.domain.shift_report import XReport, ZReport
from terminal.storage.orders import HeldSale
from terminal.ui.bridge import Bridge
from terminal.ui.cancel_confirmation import CancelConfirmation
from terminal.ui.cart_table import CASHIER_COLUMNS, CartTable
from terminal.ui.cashier_actions import ACTIONS, FunctionKeys, line_keys
from terminal.ui.cashier_labels import FaceStageLabel, SaleLabel
from terminal.ui.cashier_layout import central_widget
from terminal.ui.cashier_panels import DevicePanel, RecentOrdersPanel, TenderPanel, TotalsPanel
from terminal.ui.pin_dialog import PinDialog
from terminal.ui.receipt_dialog import ReceiptDialog
from terminal.ui.shift_texts import report_text
from terminal.ui.sounds import PlayerSounds, Sounds
from terminal.ui.status_messages import StatusLine, StatusMessages
from terminal.ui.strings import Strings
from terminal.ui.sync_panel import SyncPanel
from terminal.ui.theme import stylesheet

# ACTIONS is re-exported: the key table is read through this module too.
__all__ = ["ACTIONS", "CashierWindow", "SyncNow"]
SyncNow = Callable[[], bool]
log = logging.getLogger(__name__)


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
        ask_for_code: Callable[[], float] | None = None,
        sounds: Sounds | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``sounds``: the scan beeps (default: the WAV files through the system's
        player, silent where there is none). ``ask_for_code``: opens the step in which a
        payment code shown to the camera pays (returns its seconds); None: no camera."""
        super().__init__(parent)
        self.setObjectName("cashierWindow")
        self.setStyleSheet(stylesheet("cashier"))
        self._till = till
        self._strings = strings
        self._sync_now = sync_now
        self._face = face
        self._retry_dead = retry_dead
        self._ask_for_code = ask_for_code
        self.view = SaleView(SaleState.IDLE)
        self.panel: CustomerPanel | None = None
        # Made here unless given: then stopped here too, when the window closes.
        self._own_sounds: PlayerSounds | None = None
        if sounds is None:
            sounds = self._own_sounds = PlayerSounds()
        self.sounds: Sounds = sounds
        self._cancel = CancelConfirmation(self, expired=self._disarm_cancel)
        self._cancel_timer = self._cancel.timer  # tests shorten the wait through it
        symbol = till.settings.currency_symbol

        self.scan_field = QLineEdit()
        self.scan_field.setObjectName("scanField")
        self.scan_field.returnPressed.connect(self.submit_entry)
        self.sale_label = SaleLabel(strings)
        self.cart = CartTable(strings, CASHIER_COLUMNS)
        self.cart.setObjectName("cashierCart")
        self.totals = TotalsPanel(strings, symbol)
        self.tender = TenderPanel(strings, symbol)
        self.tender.pay_requested.connect(partial(self._act, self.pay_cash))
        self.sync_panel = SyncPanel(
            strings, retry_dead=self.retry_dead if retry_dead is not None else None
        )
        self.sync_panel.sync_requested.connect(self.sync)
        self.devices = DevicePanel(strings)
        self.recent = RecentOrdersPanel(strings, symbol)
        self.status = StatusLine()
        self.status_line = self.status.message
        # A new message replaces a cancel prompt, so it disarms (silently).
        self._messages = StatusMessages(self.status, strings, replaced=self._cancel.disarm)
        self.face_status = FaceStageLabel(strings)
        self.receipt = ReceiptDialog(strings, self)
        self.pin_dialog = PinDialog(strings, self)
        self._returning: str | None = None  # F1's order, between its two presses
        # Back to the scan field once the PIN is done (or given up): keys work again.
        self.pin_dialog.finished.connect(self._back_to_scanning)

        self._keys = FunctionKeys(self, strings, self._key_handlers(), escape=self.clear_entry)
        line_keys(self, self.cart.move_selection)
        self.actions_by_id: dict[str, QAction] = self._keys.actions
        self.buttons: dict[str, QPushButton] = self._keys.buttons
        self.setCentralWidget(central_widget(self))
        self._connect(bridge)
        strings.changed.connect(self.retranslate)
        self.retranslate()
        self.show_notice(strings.text("status.ready"))
        self.scan_field.setFocus()

    def _connect(self, bridge: Bridge) -> None:
        bridge.sale_changed.connect(self.show_sale)
        bridge.scan_taken.connect(self._scan_accepted)
        bridge.error.connect(self.show_error)
        bridge.notice.connect(self.show_notice)
        bridge.sync_status.connect(self.sync_panel.show_status)
        bridge.scanner_status.connect(self.devices.show_scanner)
        bridge.camera_health.connect(self.devices.show_camera)
        bridge.receipt_printed.connect(self._receipt_printed)
        bridge.customer_panel.connect(self.show_panel)

    def _key_handlers(self) -> dict[str, Callable[[], Any]]:
        """What each function key does. Any key but F8 is the cashier acting: it
        acknowledges a pinned message and disarms a pending cancel before its own thing."""
        acting: dict[str, Callable[[], Any]] = {
            "qty": self.set_quantity,
            "void": self.void,
            "discount": self.discount_order,
            "line_discount": self.discount_line,
            "cash": self.pay_cash,
            "exact": self.pay_exact,
            "reprint": self.reprint,
            "sync": self.sync,
            "face_pay": self.face_pay,
            "park": self.park,
            "hold": self.hold,
            "weigh": self.weigh,
            "return": self.return_goods,
            "pay_in": lambda: self.move_cash("in", "Ctrl+I"),
            "pay_out": lambda: self.move_cash("out", "Ctrl+Shift+I"),
            "drawer": self.open_drawer,
            "sign_in": self.sign_in,
            "shift_open": self.open_shift,
            "shift_close": self.close_shift,
            "x_report": self.x_report,
            "recall": self.recall,
            "code": self.ask_for_code,
            "language": self._strings.toggle,
        }
        handlers = {action_id: partial(self._act, h) for action_id, h in acting.items()}
        return {**handlers, "cancel": self.cancel}

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._own_sounds is not None and not self._own_sounds.stop():
            log.warning("the sound player thread did not stop")
        super().closeEvent(event)

    # -- state in ----------------------------------------------------------------

    def show_sale(self, view: SaleView) -> None:
        closed_now = view.state in (SaleState.PAID, SaleState.CANCELLED) and (
            view.order_no != self.view.order_no or view.state is not self.view.state
        )
        if self._cancel.outdated_by(view):
            self._disarm_cancel()  # the sale it asked about is not the one on screen now
        self.view = view
        self.cart.show_sale(view)
        self.totals.show_sale(view)
        self.tender.show_sale(view)
        self.sale_label.show_sale(view)
        if closed_now:
            self.refresh_recent()
            tr, order_no = self._strings.text, view.order_no
            if view.state is SaleState.PAID:
                change = self._money(view.change_cents)
                self.show_notice(tr("sale.paid", order_no=order_no, change=change))
            elif view.handed_back_cents:
                amount = self._money(view.handed_back_cents)
                self._messages.show(
                    lambda: tr("sale.hand_back", order_no=order_no, amount=amount),
                    "warn",
                    pinned=True,
                )

    def show_panel(self, panel: CustomerPanel) -> None:
        """The customer screen's face stage: the member in the badge, the stage in a line."""
        self.panel = panel
        self.totals.show_panel(panel)
        self.face_status.show_panel(panel)

    def show_error(self, error: BaseException) -> None:
        """An error in the status line, with the error sound: a known error's reason code
        in the current language (again after a language switch), never the error's
        English text. It stays until the cashier acts (see the module docstring)."""
        self.sounds.error()
        self._messages.error(error)
        code = getattr(error, "code", "")
        if code == "till.sign_in_first":
            self.sign_in()
        elif code == "staff.approval_needed":
            self._ask_approval()

    def show_notice(self, text: str) -> None:
        self._messages.notice(text)

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
        text, pinned = "; ".join(parts), len(parts) > 1
        self._messages.show(lambda: text, "error" if pinned else "info", pinned=pinned)

    def refresh_recent(self) -> None:
        self._till.recent_orders().success(self.recent.show_orders)

    def retranslate(self) -> None:
        tr = self._strings.text
        self.setWindowTitle(tr("cashier.title"))
        self.scan_field.setPlaceholderText(tr("scan.placeholder"))
        for panel in (
            self._keys,
            self.cart,
            self.totals,
            self.tender,
            self.sync_panel,
            self.devices,
            self.recent,
            self.receipt,
            self.sale_label,
            self.face_status,
        ):
            panel.retranslate()
        self.status.retranslate()
        if self.receipt.isVisible() and self.receipt.order_no:
            self._show_receipt(self.receipt.order_no)  # the open receipt follows F11 too

    # -- intents out -------------------------------------------------------------

    def submit_entry(self) -> None:
        """Enter in the scan field: a keyboard-wedge scan or a typed code, so a scan (a
        pinned error stays; see the module docstring)."""
        text = self.scan_field.text().strip()
        self.scan_field.clear()
        if text:
            self._disarm_cancel()
            self._till.scan(text).success(lambda _view: self._scan_accepted())

    def set_quantity(self) -> None:
        text = self._take_entry("F2")
        if text is None:
            return
        if not text.isdigit():
            self._messages.slip("status.bad_number", text=text[:12])
            return
        self._till.set_quantity(int(text), self.cart.selected_line_no())

    def void(self) -> None:
        self._till.void(self.cart.selected_line_no())

    def discount_order(self) -> None:
        cents = self._take_amount("F4")
        if cents is not None:
            self._till.discount_order(cents)

    def discount_line(self) -> None:
        cents = self._take_amount("Shift+F4")
        if cents is not None:
            self._till.discount_line(cents, self.cart.selected_line_no())

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
        self._till.pay_cash(cents)

    def pay_exact(self) -> None:
        self._till.pay_cash(None)

    def cancel(self) -> None:
        """F8: cancel at once an empty sale; a sale with items only on a second F8 within
        ``CANCEL_CONFIRM_MS`` (``cancel_confirmation``; the first says what would be lost)."""
        if self._cancel.disarm():  # the second F8
            self._till.cancel()
            return
        self._messages.acknowledge()
        view = self.view
        if not (view.in_progress and view.active_lines):
            self._till.cancel()
            return
        tr, count, amount = self._strings.text, view.item_count, self._money(view.total_cents)
        self._messages.show(lambda: tr("cancel.confirm", count=count, amount=amount), "warn")
        self._cancel.arm(view)

    @property
    def cancel_armed(self) -> bool:
        """A first F8 is waiting for the second."""
        return self._cancel.armed

    def reprint(self) -> None:
        order_no = self.recent.selected_order_no()
        if order_no is None:
            self._messages.slip("receipt.none")
            return
        self._show_receipt(order_no)
        if self._till.has_printer:  # and on paper again
            self._till.print_receipt(order_no, str(self._strings.language))

    def _receipt_printed(self, outcome: ReceiptPrintOutcome) -> None:
        """The printer's word on a receipt: on the device panel; a receipt that did not
        print also on the status line, so the cashier reprints it (F7)."""
        if outcome.printed:
            self.devices.show_printer(
                str(outcome.reason.code) if outcome.reason else "printer.printed", True
            )
            return
        code = outcome.reason.code if outcome.reason else "printer.write_failed"
        self.devices.show_printer(code, False)
        self._messages.show(lambda: self._strings.reason(code, {}, fallback=code), "error")

    def _show_receipt(self, order_no: str) -> None:
        """The receipt of ``order_no`` in the language on screen now."""
        language = str(self._strings.language)
        self._till.receipt(order_no, language).success(
            lambda text: self.receipt.show_receipt(order_no, text)
        )

    def sync(self) -> None:
        woken = self._sync_now is not None and self._sync_now()
        self.show_notice(self._strings.text("sync.woken" if woken else "sync.no_worker"))

    def face_pay(self) -> None:
        """F10: ask the face checkout to take this sale by face; it answers on the panel."""
        if self._face is None:
            self._messages.slip("cashier.face.unavailable")
            return
        self._face.want_face_pay()

    def park(self) -> None:
        """Shift+F8: set aside the sale whose payment result is unknown (the queue settles
        it) and serve the next customer."""
        order_no = self.view.order_no
        self._till.park().success(
            lambda _view: self._messages.show(
                lambda: self._strings.text("cashier.parked", order_no=order_no or ""), "info"
            )
        )

    # -- returns ---------------------------------------------------------------------

    def return_goods(self) -> None:
        """F1, twice. First with the receipt's code scanned (or its number typed): what
        that sale has left to return. Then with line numbers typed (``1,3x2``) or none
        (all of it): the refund, to the original tenders. Esc in between gives up."""
        text = self.scan_field.text().strip()
        self.scan_field.clear()
        if self._returning is None:
            if not text:
                self._messages.slip("status.need_number", key="F1")
                return
            self._till.look_up_return(text).success(self._offer_return)
            return
        order_no, self._returning = self._returning, None
        try:
            lines = parse_line_requests(text)
        except ValueError:
            self._messages.slip("return.bad_lines", text=text[:20])
            return
        self._till.refund(order_no, lines, "returned at the till").success(self._refunded)

    def _offer_return(self, order: ReturnableOrder) -> None:
        tr = self._strings.text
        left = [line for line in order.lines if line.left > 0]
        if not left:
            self._messages.slip("return.nothing_left", order_no=order.order_no)
            return
        self._returning = order.order_no
        language = str(self._strings.language)
        listed = "  ".join(
            tr(
                "return.line",
                line_no=line.line_no,
                name=line.name_zh if language.startswith("zh") else line.name_en,
                left=line.left,
                amount=self._money(line.left_cents),
            )
            for line in left
        )
        self._messages.show(
            lambda: tr("return.lines", order_no=order.order_no, lines=listed), "info", pinned=True
        )

    def _refunded(self, ticket: RefundTicket) -> None:
        self._messages.show(
            lambda: self._strings.text(
                "return.done",
                total=self._money(ticket.total_cents),
                cash=self._money(ticket.cash_cents),
                pending=self._money(ticket.pending_cents),
            ),
            "info",
            pinned=True,
        )

    # -- staff and the shift ---------------------------------------------------------

    def sign_in(self) -> None:
        """Ctrl+L: sign in (or switch cashier) with a staff id and PIN."""
        self.pin_dialog.ask("pin.sign_in", self._signed_in)

    def _signed_in(self, staff_id: str, pin: str) -> Pending[Any]:
        pending = self._till.sign_in(staff_id, pin)
        return pending.success(
            lambda session: self._messages.show(
                lambda: self._strings.text("cashier.signed_in", name=session.name), "info"
            )
        )

    def _back_to_scanning(self, _result: int = 0) -> None:
        self.activateWindow()
        self.scan_field.setFocus()

    def _ask_approval(self) -> None:
        """A restricted action was refused: a manager's PIN, then the key again."""

        def approve(staff_id: str, pin: str) -> Pending[Any]:
            pending = self._till.approve_next(staff_id, pin)
            return pending.success(
                lambda manager: self._messages.show(
                    lambda: self._strings.text("cashier.approved", staff_id=manager), "info"
                )
            )

        self.pin_dialog.ask("pin.approve", approve)

    def move_cash(self, kind: str, key: str) -> None:
        """Ctrl+I / Ctrl+Shift+I with the amount and a reason typed (``50 change``): cash
        put in or taken out of the drawer, on the shift's record."""
        amount, _, reason = self.scan_field.text().strip().partition(" ")
        if not amount or not reason.strip():
            self._messages.slip("status.need_reason", key=key)
            return
        try:
            cents = parse_amount(amount)
        except MoneyError as exc:
            self.show_error(exc)
            return
        self.scan_field.clear()
        tr = self._strings.text
        self._till.cash_movement(kind, cents, reason.strip()).success(
            lambda moved: self._messages.show(
                lambda: tr(
                    "cashier.cash_moved",
                    kind=tr(f"cashier.pay_{kind}"),
                    amount=self._money(moved.cents),
                    reason=moved.reason,
                ),
                "info",
            )
        )

    def open_drawer(self) -> None:
        """Ctrl+Shift+D: the drawer with no sale (a manager's action on a till with staff)."""
        self._till.open_drawer()

    def open_shift(self) -> None:
        """Ctrl+O with the float typed: open the shift."""
        cents = self._take_amount("Ctrl+O")
        if cents is None:
            return
        self._till.open_shift(cents).success(
            lambda shift: self._messages.show(
                lambda: self._strings.text(
                    "cashier.shift_opened",
                    shift_no=shift.shift_no,
                    amount=self._money(shift.float_cents),
                ),
                "info",
            )
        )

    def close_shift(self) -> None:
        """Ctrl+Shift+O with the cash counted typed: close the shift; the Z report shows."""
        cents = self._take_amount("Ctrl+Shift+O")
        if cents is not None:
            self._till.close_shift(cents).success(self._show_report)

    def x_report(self) -> None:
        self._till.x_report().success(self._show_report)

    def _show_report(self, report: XReport | ZReport) -> None:
        self.receipt.show_receipt("", report_text(self._strings, report))

    def weigh(self) -> None:
        """Ctrl+W: the PLU typed in the scan field, at the scale's stable weight now."""
        plu = self._take_entry("Ctrl+W")
        if plu is not None:
            self._till.weigh(plu)

    def hold(self) -> None:
        """Ctrl+H: set the sale aside (挂单) for the customer who forgot their wallet; the
        next customer is served. It survives a restart."""
        order_no = self.view.order_no
        self._till.hold().success(
            lambda _view: self._messages.show(
                lambda: self._strings.text("cashier.held", order_no=order_no or ""), "info"
            )
        )

    def recall(self) -> None:
        """Ctrl+R: with a number typed, take back that held sale (1 = the oldest); with
        none, the only held sale, or the list of them to choose from. No dialog: the next
        scan is never blocked."""
        text = self.scan_field.text().strip()
        if text:
            self.scan_field.clear()
            if not text.isdigit():
                self._messages.slip("status.bad_number", text=text[:12])
                return
            self._till.recall(int(text))
            return
        self._till.held_sales().success(self._offer_held)

    def _offer_held(self, held: list[HeldSale]) -> None:
        if len(held) == 1:
            self._till.recall(1)
            return
        if not held:
            self._messages.slip("cashier.none_held")
            return
        listed = "  ".join(
            f"{n}) {sale.order_no.rsplit('-', 1)[-1]} {self._money(sale.total_cents)}"
            for n, sale in enumerate(held, start=1)
        )
        self._messages.show(
            lambda: self._strings.text("cashier.held_list", sales=listed), "info", pinned=True
        )

    def ask_for_code(self) -> None:
        """F12: the customer shows their payment code to the camera; only then does the
        camera's reading of a payment code pay the sale on screen."""
        if self._ask_for_code is None:
            self._messages.slip("cashier.code.unavailable")
            return
        seconds = round(self._ask_for_code())
        if seconds <= 0:
            self._messages.slip("cashier.code.nothing_due")
            return
        tr = self._strings.text
        self._messages.show(lambda: tr("cashier.code.asked", seconds=seconds), "info")

    def retry_dead(self) -> None:
        """The sync panel's "retry parked entries": hand them back to the sync worker."""
        if self._retry_dead is None:
            return
        self._retry_dead()
        self.show_notice(self._strings.text("sync.retrying"))

    def clear_entry(self) -> None:
        """Esc: clears the typed entry, closes a receipt, acknowledges a pinned message,
        gives up a return between its two F1 presses, and keeps a sale whose cancel was
        armed."""
        self._act(lambda: None)
        self._returning = None
        self.scan_field.clear()
        self.tender.amount.clear()
        self.receipt.hide()
        self.scan_field.setFocus()

    # -- plumbing ----------------------------------------------------------------

    def _act(self, handler: Callable[[], Any]) -> None:
        """The cashier pressed a key: disarm a pending cancel, acknowledge, then act."""
        self._disarm_cancel()
        self._messages.acknowledge()
        handler()

    def _disarm_cancel(self) -> None:
        if self._cancel.disarm():
            self._messages.ready()

    def _scan_accepted(self) -> None:
        """A scan went into the sale: a beep; beside a pinned message, what was added."""
        self.sounds.ok()
        self._messages.scan_accepted(self.view)

    def _take_entry(self, key: str) -> str | None:
        text = self.scan_field.text().strip()
        if not text:
            self._messages.slip("status.need_number", key=key)
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

    def _money(self, cents: int) -> str:
        return self._till.settings.currency_symbol + format_cents(cents)
