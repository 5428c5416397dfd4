"""``CustomerWindow``: the screen that faces the customer.

Three pages: a welcome between customers, the cart with a large total while items go in,
and the payment result with the change and a thank-you, which returns to the welcome
after a few seconds. The right-hand slot is where part 2 shows the live camera with the
face box; given a ``FramePump`` it already shows the newest frame, polled at most
~15 times a second and converted on the GUI thread (a scaled copy of one frame is cheap;
``latest(timeout=0)`` never waits).

Text is big enough to read from a step away and to touch (sizes in assets/ui/customer.qss).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from drivers.camera import FramePump
from terminal.app.sale_view import SaleState, SaleView
from terminal.domain.money import format_cents
from terminal.ui.bridge import Bridge
from terminal.ui.cart_table import CUSTOMER_COLUMNS, CartTable
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
        self.view = SaleView(SaleState.IDLE)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._idle_page())
        self.pages.addWidget(self._sale_page())
        self.pages.addWidget(self._result_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
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
        self.cart = CartTable(self._strings, CUSTOMER_COLUMNS)
        self.cart.setObjectName("customerCart")
        self.cart.setSelectionMode(CartTable.SelectionMode.NoSelection)
        layout.addWidget(self.cart, 3)
        side = QVBoxLayout()
        self.camera_slot = QLabel()
        self.camera_slot.setObjectName("cameraSlot")
        self.camera_slot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.camera_slot.setMinimumSize(360, 270)
        side.addWidget(self.camera_slot, 2)
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
        layout.addStretch(1)
        self.thanks = self._label("thanks", layout)
        layout.addStretch(2)
        return page

    # -- state in ----------------------------------------------------------------

    def show_sale(self, view: SaleView) -> None:
        self.view = view
        if view.state is SaleState.PAID:
            self.pages.setCurrentIndex(self.RESULT_PAGE)
            self._back_to_idle.start()
        elif view.in_progress and view.lines:
            self._back_to_idle.stop()
            self.pages.setCurrentIndex(self.SALE_PAGE)
        else:
            self._go_idle()
        self.retranslate()

    def retranslate(self) -> None:
        tr, view = self._strings.text, self.view
        self.setWindowTitle(tr("customer.title"))
        self.welcome.setText(tr("customer.welcome"))
        self.welcome_other.setText(tr("customer.welcome.other"))
        self.store.setText(self._store_name)
        self.cart.retranslate()
        if view.lines:
            self.cart.show_sale(view)
        if self._camera is None:
            self.camera_slot.setText(tr("customer.camera"))
        self.total_caption.setText(tr("customer.total"))
        self.total.setText(self._money(view.total_cents))
        self.items.setText(tr("customer.items", count=view.item_count))
        self.due.setText(
            tr("customer.due", amount=self._money(view.balance_due_cents))
            if view.paid_cents and view.in_progress
            else ""
        )
        self.result_title.setText(tr("customer.paid"))
        self.result_paid.setText(tr("customer.paid_amount", amount=self._money(view.total_cents)))
        self.result_change.setText(
            tr("customer.change", amount=self._money(view.change_cents))
            if view.change_cents
            else ""
        )
        self.thanks.setText(tr("customer.thanks"))

    def _go_idle(self) -> None:
        self._back_to_idle.stop()
        self.pages.setCurrentIndex(self.IDLE_PAGE)

    def _show_newest_frame(self) -> None:
        camera = self._camera
        if camera is None or self.pages.currentIndex() != self.SALE_PAGE:
            return
        frame = camera.latest(self._camera_seq, timeout=0)
        if frame is None:
            return
        self._camera_seq = frame.seq
        image = frame.image
        height, width = image.shape[:2]
        # The frame is shared and read-only: take a contiguous copy for QImage to wrap
        # (about 1 MB at 640x480), and scaled() below makes the pixmap's own copy.
        data = image.tobytes()
        qimage = QImage(data, width, height, width * 3, QImage.Format.Format_BGR888)
        self.camera_slot.setPixmap(
            QPixmap.fromImage(
                qimage.scaled(
                    self.camera_slot.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.FastTransformation,
                )
            )
        )

    def _money(self, cents: int) -> str:
        return self._symbol + format_cents(cents)
