"""``CancelConfirmation``: F8's wait for a second F8 on a sale with items.

What lives here: which sale a first F8 asked about (order, items, total) and the timer
that gives up after ``CANCEL_CONFIRM_MS``. Arming, disarming and expiry only change
this state; the cashier window decides when to arm or disarm, shows the prompt and
cancels through the till.

What must not live here: the prompt's words, the status line, or the cancel itself (the
till's); no dialog ever, so the next scan is never blocked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from terminal.app.sale_view import SaleView

CANCEL_CONFIRM_MS = 4000  # how long a first F8 waits for the second


def _sale_key(view: SaleView) -> tuple[str | None, int, int]:
    return (view.order_no, view.item_count, view.total_cents)


class CancelConfirmation:
    """A first F8 armed on one sale, until the second F8, a disarm or the timeout."""

    def __init__(self, parent: QObject, *, expired: Callable[[], None]) -> None:
        """``expired``: called when no second F8 came within the timer's interval."""
        self._asked: tuple[str | None, int, int] | None = None
        self.timer = QTimer(parent, singleShot=True, interval=CANCEL_CONFIRM_MS)
        self.timer.timeout.connect(expired)

    @property
    def armed(self) -> bool:
        """A first F8 is waiting for the second."""
        return self._asked is not None

    def arm(self, view: SaleView) -> None:
        """A first F8 on ``view``: wait for the second."""
        self._asked = _sale_key(view)
        self.timer.start()

    def disarm(self) -> bool:
        """Stop waiting; True if a first F8 was waiting (a second F8 confirms by this)."""
        if self._asked is None:
            return False
        self._asked = None
        self.timer.stop()
        return True

    def outdated_by(self, view: SaleView) -> bool:
        """Armed, but ``view`` is no longer the sale the first F8 asked about."""
        return self._asked is not None and self._asked != _sale_key(view)
