"""``SyncPanel``: what the cashier sees of the cloud link, and the "sync now" button.

Online or offline, how many closed orders wait, the age of the oldest, and a red alert
when the cloud refused entries (they are parked and need a technician). It shows the
last ``SyncStatus`` the worker published; the button only asks the worker to wake. Given
a ``retry_dead`` callable, a "retry parked entries" button shows while entries are
parked and calls it (putting them back in the queue is the caller's business).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from terminal.sync.status import SyncStatus
from terminal.ui.strings import Strings


def format_age(seconds: int) -> str:
    """45 -> '45 s', 200 -> '3 min', 7300 -> '2 h': enough to judge how stale a queue is."""
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


class SyncPanel(QGroupBox):
    sync_requested = Signal()

    def __init__(
        self,
        strings: Strings,
        parent: QWidget | None = None,
        *,
        retry_dead: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._strings = strings
        self._retry_dead = retry_dead
        self.status: SyncStatus | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(3)
        self.state = QLabel()
        self.state.setObjectName("syncState")
        self.queue = QLabel()
        self.dead = QLabel()
        self.dead.setObjectName("deadLetterAlert")
        self.dead.setWordWrap(True)
        self.last_error = QLabel()
        self.last_error.setObjectName("syncError")
        self.last_error.setWordWrap(True)
        self.button = QPushButton()
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.sync_requested)
        self.retry = QPushButton()
        self.retry.setObjectName("retryDead")
        self.retry.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.retry.clicked.connect(self._retry)
        self.retry.hide()
        for widget in (self.state, self.queue, self.dead, self.last_error):
            layout.addWidget(widget)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry)
        buttons.addWidget(self.button)
        layout.addLayout(buttons)
        self.retranslate()

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        self.retranslate()

    def retranslate(self) -> None:
        tr = self._strings.text
        self.setTitle(tr("sync.title"))
        self.button.setText(tr("action.sync"))
        self.retry.setText(tr("sync.retry_dead"))
        status = self.status
        if status is None or not status.registered:
            self.state.setText(tr("sync.unregistered") if status else tr("sync.never"))
            self.state.setProperty("online", "unknown")
            self.queue.setText("")
            self.dead.hide()
            self.retry.hide()
            self.last_error.hide()
            self._repolish()
            return
        if status.online is None:
            state, online = tr("sync.never"), "unknown"
        elif status.online:
            state, online = tr("sync.online"), "yes"
        else:
            state, online = tr("sync.offline"), "no"
        self.state.setText("● " + state)
        self.state.setProperty("online", online)
        queue = tr("sync.queued", count=status.queued)
        if status.queued and status.oldest_queued_age_s is not None:
            queue += ", " + tr("sync.oldest", age=format_age(status.oldest_queued_age_s))
        self.queue.setText(queue)
        self.dead.setText(tr("sync.dead", count=status.dead))
        self.dead.setVisible(status.dead > 0)
        self.retry.setVisible(status.dead > 0 and self._retry_dead is not None)
        # The last error matters only while something is stuck.
        stuck = bool(status.queued or status.dead or status.online is False)
        self.last_error.setText(tr("sync.last_error", error=(status.last_error or "")[:120]))
        self.last_error.setVisible(stuck and bool(status.last_error))
        self._repolish()

    def _retry(self) -> None:
        if self._retry_dead is not None:
            self._retry_dead()

    def _repolish(self) -> None:
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)
