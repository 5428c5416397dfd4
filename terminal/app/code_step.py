"""``CodeStep``: when a payment code that the customer-facing camera sees may be charged.

The camera sees whoever stands at the kiosk, including the next customer holding a
phone with an open payment code. So a code read by the camera is charged only inside an
explicit "show your payment code" step that the cashier or the customer opened for this
sale, for a short time, and only once; outside it the camera's payment codes are ignored
(product barcodes shown to the camera still go into the cart). The serial scanner, which
the cashier points, is not gated.

Pure: the caller passes the time (a monotonic clock). What must not live here: reading
codes, charging them, words for the screens.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

STEP_S = 30.0  # how long the customer has to show the code once asked


@dataclass(slots=True)
class _Open:
    order_no: str | None
    until: float


class CodeStep:
    """Thread-safe: opened from the GUI thread, consulted from the camera's thread."""

    def __init__(self, step_s: float = STEP_S) -> None:
        self.step_s = step_s
        self._lock = threading.Lock()
        self._open: _Open | None = None

    def open(self, order_no: str | None, now: float) -> None:
        """Ask for a payment code for ``order_no`` (the sale on screen) from ``now`` on."""
        with self._lock:
            self._open = _Open(order_no, now + self.step_s)

    def close(self) -> None:
        with self._lock:
            self._open = None

    def is_open(self, now: float) -> bool:
        with self._lock:
            return self._open is not None and now < self._open.until

    def take(self, order_no: str | None, now: float) -> bool:
        """May a payment code the camera saw now be charged to ``order_no``? Once: the step
        closes when it answers yes (a second code needs a new step)."""
        with self._lock:
            step = self._open
            if step is None or now >= step.until or step.order_no != order_no:
                return False
            self._open = None
            return True
