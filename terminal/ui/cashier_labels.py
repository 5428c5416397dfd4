"""The one-line labels of the cashier window: the sale on screen (``SaleLabel``) and
where the customer screen's face checkout is at (``FaceStageLabel``).

Each shows one piece of state in the current language and has a ``retranslate()``.
What must not live here: the status line and its messages (``status_messages``), the
side panels (``cashier_panels``), or any decision.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from terminal.app.customer_panel import CustomerPanel, Stage
from terminal.app.sale_view import SaleState, SaleView
from terminal.ui.strings import Strings


class SaleLabel(QLabel):
    """The order number of the sale on screen, "cancelled" after a cancel, or none."""

    def __init__(self, strings: Strings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saleLabel")
        self._strings = strings
        self._view = SaleView(SaleState.IDLE)

    def show_sale(self, view: SaleView) -> None:
        self._view = view
        self.retranslate()

    def retranslate(self) -> None:
        view, tr = self._view, self._strings.text
        if view.order_no is None:
            self.setText(tr("sale.none"))
        elif view.state is SaleState.CANCELLED:
            self.setText(tr("sale.cancelled", order_no=view.order_no))
        else:
            self.setText(tr("sale.order", order_no=view.order_no))


class FaceStageLabel(QLabel):
    """Where the customer screen's face checkout is at, in one line; hidden when off."""

    def __init__(self, strings: Strings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("faceStatus")
        self._strings = strings
        self._panel: CustomerPanel | None = None
        self.hide()

    def show_panel(self, panel: CustomerPanel) -> None:
        self._panel = panel
        self.retranslate()

    def retranslate(self) -> None:
        panel, tr = self._panel, self._strings.text
        if panel is None or panel.stage is Stage.OFF:
            self.hide()
            return
        if panel.stage is Stage.FAILED:
            # The specific reason (an offline cap, a declined balance) when there is one.
            reason = self._strings.reason(
                panel.detail, panel.detail_params, fallback=""
            ) or self._strings.message(panel.notice, "face.failed.error")
            text = tr("cashier.face.failed", reason=reason)
        else:
            text = tr(f"cashier.face.{panel.stage}")
        self.setText(text)
        self.setProperty("stage", str(panel.stage))
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()
