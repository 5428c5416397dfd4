"""Where the cashier window's widgets sit: ``central_widget`` arranges them.

The scan field, the sale and the language key on top; the cart, the totals (face pay
under them) and the cash keypad in the middle; the function keys in a row; the sync,
device and recent-order panels; the status line and the face stage at the bottom.

What must not live here: making or connecting the widgets, or any state (the window's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from terminal.ui.cashier_actions import ACTIONS

if TYPE_CHECKING:
    from terminal.ui.cashier_window import CashierWindow

# Language sits by the scan field, "sync now" in the sync panel, and the customer's other
# ways to pay (face, a code shown to the camera, parking an unresolved one) and holding a
# sale by the totals.
_KEYS_ELSEWHERE = (
    *("language", "sync", "face_pay", "code", "park", "hold", "recall", "weigh"),
    *("sign_in", "shift_open", "shift_close", "x_report", "return"),
    *("pay_in", "pay_out", "drawer"),
)


def central_widget(window: CashierWindow) -> QWidget:
    """The window's widgets, laid out; for ``setCentralWidget``."""
    top = QHBoxLayout()
    top.addWidget(window.scan_field, 3)
    top.addWidget(window.sale_label, 2)

    top.addWidget(window.buttons["language"])
    # Totals and the cash keypad side by side, so the cart keeps the height.
    window.totals.setFixedWidth(280)
    window.tender.setFixedWidth(300)
    # Face pay under the totals, by the member badge (the key row is full at 60 % of
    # one shared screen).
    window.buttons["face_pay"].setFixedWidth(280)
    by_totals = QVBoxLayout()
    by_totals.addWidget(window.totals, 1)
    by_totals.addWidget(window.buttons["face_pay"])
    other_tenders = QHBoxLayout()
    for action_id in ("code", "park"):
        window.buttons[action_id].setFixedWidth(138)
        other_tenders.addWidget(window.buttons[action_id])
    by_totals.addLayout(other_tenders)
    # Holding a sale (挂单) and taking it back, under the ways to pay.
    held = QHBoxLayout()
    for action_id in ("hold", "recall", "return"):
        window.buttons[action_id].setFixedWidth(90)
        held.addWidget(window.buttons[action_id])
    by_totals.addLayout(held)
    middle = QHBoxLayout()
    middle.addWidget(window.cart, 1)
    middle.addLayout(by_totals)
    middle.addWidget(window.tender)
    keys = QGridLayout()
    row_ids = [a for a in ACTIONS if a not in _KEYS_ELSEWHERE]
    for index, action_id in enumerate(row_ids):
        keys.addWidget(window.buttons[action_id], 0, index)
    # The day's keys (staff, the shift, the scale) on a row of their own, under the sale's.
    day_keys = QHBoxLayout()
    day_ids = ("sign_in", "shift_open", "shift_close", "x_report", "pay_in", "pay_out")
    for action_id in (*day_ids, "drawer", "weigh"):
        day_keys.addWidget(window.buttons[action_id])
    bottom = QHBoxLayout()
    bottom.addWidget(window.sync_panel, 3)
    bottom.addWidget(window.devices, 2)
    bottom.addWidget(window.recent, 3)
    bottom_box = QWidget()
    bottom_box.setLayout(bottom)
    bottom_box.setFixedHeight(158)  # room for the two rows of keys above it
    outer = QVBoxLayout()
    outer.addLayout(top)
    outer.addLayout(middle, 1)
    outer.addLayout(keys)
    outer.addLayout(day_keys)
    outer.addWidget(bottom_box)
    status = QHBoxLayout()
    status.addWidget(window.status, 1)
    status.addWidget(window.face_status)
    outer.addLayout(status)
    central = QWidget()
    central.setLayout(outer)
    return central
