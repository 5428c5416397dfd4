"""``DigitsPad``: a touch keypad for a fixed number of digits (the phone's last 4).

It shows one dot per digit typed (the digits themselves are not shown to the queue behind
the customer), takes no more than ``length`` digits, and enables OK only when all are
there; OK emits ``submitted`` with the digits and clears the pad, Cancel emits
``cancelled``. What the digits mean is for whoever listens.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from terminal.ui.strings import Strings

FILLED, EMPTY = "●", "○"
BACK = "←"


class DigitsPad(QWidget):
    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, strings: Strings, length: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("digitsPad")
        self._strings = strings
        self._length = length
        self._digits = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.dots = QLabel()
        self.dots.setObjectName("digitDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.dots)
        keys = QGridLayout()
        keys.setSpacing(8)
        self.keys: dict[str, QPushButton] = {}
        # A phone's layout (1 2 3 on top), corrections and OK in the right-hand column.
        for index, digit in enumerate("123456789"):
            keys.addWidget(self._key(digit, partial(self.press, digit)), index // 3, index % 3)
        keys.addWidget(self._key("0", partial(self.press, "0")), 3, 0, 1, 3)
        self.back = self._key(BACK, self.backspace)
        keys.addWidget(self.back, 0, 3)
        self.cancel = self._key("", self.cancelled.emit, role="secondary")
        keys.addWidget(self.cancel, 1, 3)
        self.ok = self._key("", self.submit, role="primary")
        # OK fills both rows it spans: the biggest target is the one that finishes.
        self.ok.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        keys.addWidget(self.ok, 2, 3, 2, 1)
        layout.addLayout(keys)
        self.retranslate()

    def _key(self, text: str, action: Callable[[], None], role: str = "key") -> QPushButton:
        button = QPushButton(text)
        button.setProperty("role", role)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(action)
        if text:
            self.keys[text] = button
        return button

    @property
    def digits(self) -> str:
        return self._digits

    def press(self, digit: str) -> None:
        if digit.isdigit() and len(digit) == 1 and len(self._digits) < self._length:
            self._digits += digit
            self._refresh()

    def backspace(self) -> None:
        self._digits = self._digits[:-1]
        self._refresh()

    def clear(self) -> None:
        self._digits = ""
        self._refresh()

    def submit(self) -> None:
        if len(self._digits) != self._length:
            return
        digits = self._digits
        self.clear()
        self.submitted.emit(digits)

    def retranslate(self) -> None:
        self.ok.setText(self._strings.text("face.key.ok"))
        self.cancel.setText(self._strings.text("face.key.cancel"))
        self._refresh()

    def _refresh(self) -> None:
        typed = len(self._digits)
        self.dots.setText(" ".join(FILLED * typed + EMPTY * (self._length - typed)))
        self.ok.setEnabled(typed == self._length)
