"""``PinDialog``: a staff id and a PIN, for signing in or for a manager's approval.

The PIN field never shows its digits and is cleared after every try; a refusal (wrong
PIN, locked, not a manager) shows in the dialog in the current language and the dialog
stays for the next try. It is modal: nothing may be sold while nobody is signed in, and
the approval is for the action in front of the manager. Esc closes it.

What must not live here: checking the PIN (the till, on its store thread), words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from terminal.app.tasks import Pending
from terminal.ui.strings import Strings

# (staff id, PIN) -> the till's answer; the dialog closes when it succeeds.
Ask = Callable[[str, str], Pending[Any]]


class PinDialog(QDialog):
    def __init__(self, strings: Strings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinDialog")
        self.setModal(True)
        self._strings = strings
        self._title = "pin.sign_in"
        self._ask: Ask | None = None
        self.staff_id = QLineEdit()
        self.staff_id.setObjectName("pinStaffId")
        self.staff_id.setMaxLength(16)
        self.pin = QLineEdit()
        self.pin.setObjectName("pinPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QIntValidator(0, 99_999_999, self))
        self.message = QLabel()
        self.message.setObjectName("pinMessage")
        self.message.setWordWrap(True)
        self.ok = QPushButton()
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.submit)
        self.pin.returnPressed.connect(self.submit)
        self.staff_id.returnPressed.connect(self.pin.setFocus)
        self._id_label, self._pin_label = QLabel(), QLabel()
        form = QFormLayout(self)
        form.addRow(self._id_label, self.staff_id)
        form.addRow(self._pin_label, self.pin)
        form.addRow(self.message)
        form.addRow(self.ok)
        self.retranslate()

    def ask(self, title: str, ask: Ask, *, staff_id: str = "") -> None:
        """Show the dialog for ``title`` (a message id); ``ask`` is tried on OK."""
        self._title, self._ask = title, ask
        self.staff_id.setText(staff_id)
        self.pin.clear()
        self.message.clear()
        self.retranslate()
        self.show()
        (self.pin if staff_id else self.staff_id).setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        staff_id, pin = self.staff_id.text().strip(), self.pin.text()
        self.pin.clear()  # the digits do not stay in a widget a moment longer than needed
        if self._ask is None or not staff_id or not pin:
            return
        self.ok.setEnabled(False)
        self._ask(staff_id, pin).success(self._done).failure(self._refused)

    def _done(self, _answer: object) -> None:
        self.ok.setEnabled(True)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.ok.setEnabled(True)
        self.message.setText(self._strings.error(error))
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        tr = self._strings.text
        self.setWindowTitle(tr(self._title))
        self._id_label.setText(tr("pin.staff_id"))
        self._pin_label.setText(tr("pin.pin"))
        self.ok.setText(tr("pin.ok"))
