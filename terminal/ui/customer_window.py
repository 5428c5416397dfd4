"""``CustomerWindow``: the screen that faces the customer.

Three pages: a welcome between customers, the cart with a large total while items go in,
and the result with a thank-you, which returns to the welcome after a few seconds: the
payment with the change, or, for a sale cancelled after cash was taken, the cash handed
back. Beside the cart, above the total, the face side of the sale
(``FaceStageView``) shows the last ``CustomerPanel`` from the bridge: the live camera with
face boxes and guidance, a member's greeting, the consent page, the face-pay question,
the phone-digits keypad, why face pay failed, or the way out after "Not me" or a face
wait that ran out; its buttons call the ``FaceActions`` given as ``face``. A banner on
top says when the till is offline.

Given a ``FramePump``, the newest frame is polled at most ~15 times a second, and only
while the camera is on show (``latest(timeout=0)`` never waits; a frame is wrapped once
and scaled by the painter).

Text is big enough to read from a step away and to touch (sizes in assets/ui/customer.qss).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from drivers.camera import FramePump
from terminal.app.customer_panel import CustomerPanel, FaceActions, FaceOverlay
from terminal.app.sale_view import SaleState, SaleView
from terminal.domain.money import format_cents
from terminal.ui.bridge import Bridge
from terminal.ui.camera_view import CameraView
from terminal.ui.cart_table import CUSTOMER_COLUMNS, CartTable
from terminal.ui.customer_face import FaceStageView
from terminal.ui.strings import Strings
from terminal.ui.theme import stylesheet

CAMERA_INTERVAL_MS = 66  # ~15 fps: smooth enough for a preview, light on the GUI thread


class CustomerWindow(QWidget):
    IDLE_PAGE, SALE_PAGE, RESULT_PAGE = 0, 1, 2

    def __init__(
        self,
        bridge: Bridge,
        strings: Strings,
        *,
        store_name: str,
        symbol: str,
        camera: FramePump | None = None,
        thanks_s: float = 8.0,
        face: FaceActions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("customerWindow")
        self.setStyleSheet(stylesheet("customer"))
        self._strings = strings
        self._symbol = symbol
        self._store_name = store_name
        self._camera = camera
        self._camera_seq = 0
        self._face = face
        self.view = SaleView(SaleState.IDLE)
        self.panel: CustomerPanel | None = None  # None until the face checkout sends one
        self.offline = QLabel()
        self.offline.setObjectName("offlineBanner")
        self.offline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.offline.setWordWrap(True)
        self.offline.hide()
        self.pages = QStackedWidget()
        self.pages.addWidget(self._idle_page())
        self.pages.addWidget(self._sale_page())
        self.pages.addWidget(self._result_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.offline)
        layout.addWidget(self.pages)
        self._back_to_idle = QTimer(self)
        self._back_to_idle.setSingleShot(True)
        self._back_to_idle.setInterval(int(thanks_s * 1000))
        self._back_to_idle.timeout.connect(self._go_idle)
        self._camera_timer = QTimer(self)
        self._camera_timer.setInterval(CAMERA_INTERVAL_MS)
        self._camera_timer.timeout.connect(self._show_newest_frame)
        if camera is not None:
            self._camera_timer.start()
        bridge.sale_changed.connect(self.show_sale)
        bridge.customer_panel.connect(self.show_panel)
        bridge.face_overlay.connect(self.show_overlay)
        strings.changed.connect(self.retranslate)
        self.retranslate()

    # -- pages -------------------------------------------------------------------

    def _label(self, name: str, parent_layout: QVBoxLayout | QHBoxLayout) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        parent_layout.addWidget(label)
        return label

    def _idle_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("idlePage")
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        self.welcome = self._label("welcome", layout)
        self.welcome_other = self._label("welcomeOther", layout)
        layout.addStretch(1)
        self.store = self._label("storeName", layout)
        layout.addStretch(1)
        return page

    def _sale_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("salePage")
        layout = QHBoxLayout(page)
        self._sale_layout = layout
        self.cart = CartTable(self._strings, CUSTOMER_COLUMNS)
        self.cart.setObjectName("customerCart")
        self.cart.setSelectionMode(CartTable.SelectionMode.NoSelection)
        layout.addWidget(self.cart, 3)
        side = QVBoxLayout()
        self.face_stages = FaceStageView(self._strings, self._symbol, self._face)
        side.addWidget(self.face_stages, 1)
        side.addSpacing(8)
        self.total_caption = self._label("totalCaption", side)
        self.total = self._label("customerTotal", side)
        self.items = self._label("itemCount", side)
        self.due = self._label("customerDue", side)
        box = QWidget()
        box.setLayout(side)
        layout.addWidget(box, 2)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("resultPage")
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        self.result_title = self._label("resultTitle", layout)
        self.result_paid = self._label("resultPaid", layout)
        self.result_change = self._label("resultChange", layout)
        self.result_hand_back = self._label("resultHandBack", layout)
        self.result_member = self._label("resultMember", layout)
        layout.addStretch(1)
        self.thanks = self._label("thanks", layout)
        layout.addStretch(2)
        return page

    # -- state in ----------------------------------------------------------------

    def show_sale(self, view: SaleView) -> None:
        self.view = view
        if view.state is SaleState.PAID or self._handing_back():
            self.pages.setCurrentIndex(self.RESULT_PAGE)
            self._back_to_idle.start()
        elif view.in_progress and view.lines:
            self._back_to_idle.stop()
            self.pages.setCurrentIndex(self.SALE_PAGE)
        else:
            self._go_idle()
        self.retranslate()

    def show_panel(self, panel: CustomerPanel) -> None:
        """The face side of the sale, from the face checkout (through the bridge)."""
        self.panel = panel
        self.retranslate()

    def show_overlay(self, overlay: FaceOverlay) -> None:
        """Boxes and guidance for the live camera view; cheap, comes with every frame."""
        self.camera_view.show_overlay(overlay)

    @property
    def camera_view(self) -> CameraView:
        return self.face_stages.camera_view

    def retranslate(self) -> None:
        tr, view = self._strings.text, self.view
        self.setWindowTitle(tr("customer.title"))
        self.welcome.setText(tr("customer.welcome"))
        self.welcome_other.setText(tr("customer.welcome.other"))
        self.store.setText(self._store_name)
        self.cart.retranslate()
        if view.lines:
            self.cart.show_sale(view)
        self.offline.setText(tr("customer.offline"))
        self.offline.setVisible(self.panel is not None and self.panel.offline)
        self.face_stages.show_state(self.panel, view)
        # The consent text and the keypad get half the width, and the big total stays
        # without its caption and item count.
        roomy = self.face_stages.needs_room()
        self._sale_layout.setStretch(0, 1 if roomy else 3)
        self._sale_layout.setStretch(1, 1 if roomy else 2)
        self.total_caption.setVisible(not roomy)
        self.items.setVisible(not roomy)
        if self._camera is None:
            self.camera_view.set_placeholder(tr("customer.camera"))
        self.total_caption.setText(tr("customer.total"))
        self.total.setText(self._money(view.total_cents))
        self.items.setText(tr("customer.items", count=view.item_count))
        part_paid = bool(view.paid_cents and view.in_progress)
        self.due.setText(
            tr("customer.due", amount=self._money(view.balance_due_cents)) if part_paid else ""
        )
        self.due.setVisible(part_paid)
        self._show_result()
        # A member who just paid sees their points; the panel keeps the greeting for it.
        greeting = self.panel.greeting if self.panel is not None else None
        self.result_member.setText(
            tr("face.greeting", name=greeting.name, points=greeting.points) if greeting else ""
        )
        self.result_member.setVisible(greeting is not None)

    def _handing_back(self) -> bool:
        return self.view.state is SaleState.CANCELLED and self.view.handed_back_cents > 0

    def _show_result(self) -> None:
        """The result page: paid with the change, or cancelled with the cash handed back."""
        tr, view = self._strings.text, self.view
        cancelled = self._handing_back()
        self.result_title.setText(tr("customer.cancelled" if cancelled else "customer.paid"))
        self.result_title.setProperty("cancelled", cancelled)
        self.result_title.style().unpolish(self.result_title)
        self.result_title.style().polish(self.result_title)
        self.result_paid.setText(tr("customer.paid_amount", amount=self._money(view.total_cents)))
        self.result_paid.setVisible(not cancelled)
        self.result_change.setText(
            tr("customer.change", amount=self._money(view.change_cents))
            if view.change_cents and not cancelled
            else ""
        )
        self.result_hand_back.setText(
            tr("customer.hand_back", amount=self._money(view.handed_back_cents))
            if cancelled
            else ""
        )
        self.result_hand_back.setVisible(cancelled)
        self.thanks.setText(tr("customer.thanks"))

    def _go_idle(self) -> None:
        self._back_to_idle.stop()
        self.pages.setCurrentIndex(self.IDLE_PAGE)

    def _show_newest_frame(self) -> None:
        camera = self._camera
        if (
            camera is None
            or self.pages.currentIndex() != self.SALE_PAGE
            or not self.face_stages.camera_live()
        ):
            return
        frame = camera.latest(self._camera_seq, timeout=0)
        if frame is None:
            return
        self._camera_seq = frame.seq
        self.camera_view.show_frame(frame.image)

    def _money(self, cents: int) -> str:
        return self._symbol + format_cents(cents)
