"""The cashier's function keys: the ``ACTIONS`` table and ``FunctionKeys``, which makes
one application-wide ``QAction`` per key (plus Esc) and the button that shares it.

What lives here: which key is which action, the button text of each, and wiring a key,
its shortcut and its button to one handler.

What must not live here: what an action does (the window's intents, handed in as
handlers) or where a button sits (``cashier_layout``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton, QWidget

from terminal.ui.strings import Strings

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
    "park": ("action.park", "Shift+F8"),
    "weigh": ("action.weigh", "Ctrl+W"),
    "return": ("action.return", "F1"),
    "sign_in": ("action.sign_in", "Ctrl+L"),
    "shift_open": ("action.shift_open", "Ctrl+O"),
    "shift_close": ("action.shift_close", "Ctrl+Shift+O"),
    "x_report": ("action.x_report", "Ctrl+T"),
    "pay_in": ("action.pay_in", "Ctrl+I"),
    "pay_out": ("action.pay_out", "Ctrl+Shift+I"),
    "drawer": ("action.drawer", "Ctrl+Shift+D"),
    "hold": ("action.hold", "Ctrl+H"),
    "recall": ("action.recall", "Ctrl+R"),
    "code": ("action.code", "F12"),
    "sync": ("action.sync", "F9"),
    "language": ("action.language", "F11"),
}


class FunctionKeys:
    """One QAction per function key, shared by its shortcut and its button, and Esc."""

    def __init__(
        self,
        window: QWidget,
        strings: Strings,
        handlers: Mapping[str, Callable[[], Any]],
        *,
        escape: Callable[[], None],
    ) -> None:
        """``handlers``: one per id in ``ACTIONS``; ``escape``: what Esc does."""
        self._strings = strings
        self.actions: dict[str, QAction] = {}
        self.buttons: dict[str, QPushButton] = {}
        for action_id, (_, keys) in ACTIONS.items():
            action = _application_action(window, QKeySequence(keys))
            action.triggered.connect(handlers[action_id])
            self.actions[action_id] = action
            button = QPushButton()
            button.setObjectName(f"action_{action_id}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(action.trigger)
            self.buttons[action_id] = button
        clear = _application_action(window, QKeySequence(Qt.Key.Key_Escape))
        clear.triggered.connect(escape)

    def retranslate(self) -> None:
        for action_id, (msg_id, keys) in ACTIONS.items():
            self.buttons[action_id].setText(self._strings.text(msg_id))
            self.buttons[action_id].setToolTip(keys)


def line_keys(window: QWidget, move: Callable[[int], None]) -> None:
    """Up and Down pick the previous or next cart line (no buttons: arrow keys only), so
    F2, F3 and Shift+F4 reach any line without a mouse."""
    for key, step in ((Qt.Key.Key_Up, -1), (Qt.Key.Key_Down, 1)):
        action = _application_action(window, QKeySequence(key))
        action.triggered.connect(lambda _checked=False, step=step: move(step))


def _application_action(window: QWidget, keys: QKeySequence) -> QAction:
    action = QAction(window)
    action.setShortcut(keys)
    # Application-wide: the keys must work whichever of the till's windows (the customer
    # screen, a receipt) the window manager made active.
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    window.addAction(action)
    return action
