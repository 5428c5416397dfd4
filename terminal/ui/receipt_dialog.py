"""``ReceiptDialog``: a stored order's receipt text, for a reprint.

It is a tool window that shows without taking the focus and is not modal: the scan
field keeps the keyboard, so a scan during a reprint still lands in the cart. Esc in
the cashier window closes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from terminal.ui.strings import Strings
from terminal.ui.theme import mono_font


class ReceiptDialog(QDialog):
    def __init__(self, strings: Strings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptDialog")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self._strings = strings
        self.order_no = ""
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(mono_font(12))
        self.text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.text)
        self.close_button = QPushButton()
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.close_button)
        self.resize(460, 560)
        self.retranslate()

    def show_receipt(self, order_no: str, text: str) -> None:
        self.order_no = order_no
        self.text.setPlainText(text)
        self.retranslate()
        self.show()

    def retranslate(self) -> None:
        self.setWindowTitle(self._strings.text("receipt.title", order_no=self.order_no))
        self.close_button.setText(self._strings.text("receipt.close"))
