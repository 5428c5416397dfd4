"""The cashier's status line: the ``StatusLine`` widget and ``StatusMessages``, its rules.

What lives here: how a message shows (rendered again on a language switch, by level),
which messages stay pinned until the cashier acts, what acknowledging does, and what
an accepted scan adds beside a pinned message.

What must not live here: sounds, the F8 cancel confirmation (``StatusMessages`` only
tells its owner that a new message replaced whatever was there), composing the
messages of a sale or a recovery (the window's), or any modal dialog: the next scan is
never blocked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from terminal.app.sale_view import SaleView
from terminal.ui.strings import Strings


class StatusLine(QWidget):
    """The message line under the cashier's keys, and a short notice beside it.

    A message is kept as a function that renders it, so it follows a language switch.
    A pinned message (an error, cash to hand back) stays until the cashier acts
    (``acknowledge``): an accepted scan meanwhile only adds its notice beside it, so a
    refusal is never replaced unseen by the item that was scanned after it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel()
        self.message.setObjectName("statusLine")
        self.beside = QLabel()
        self.beside.setObjectName("scanNotice")
        self.beside.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message, 3)
        layout.addWidget(self.beside, 1)
        self._render: Callable[[], str] = str
        self._render_beside: Callable[[], str] | None = None
        self.pinned = False

    @property
    def level(self) -> str:
        return str(self.message.property("level") or "")

    def show_message(self, render: Callable[[], str], level: str, *, pinned: bool) -> None:
        self._render, self.pinned = render, pinned
        self._render_beside = None
        self.beside.hide()
        self.message.setProperty("level", level)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.retranslate()

    def note_beside(self, render: Callable[[], str]) -> None:
        """A notice next to the message (which stays)."""
        self._render_beside = render
        self.beside.show()
        self.retranslate()

    def retranslate(self) -> None:
        self.message.setText(self._render())
        if self._render_beside is not None:
            self.beside.setText(self._render_beside())


class StatusMessages:
    """What the status line says and when a message gives way.

    A refused scan's error is pinned: a key or Esc acknowledges it, a later accepted scan
    only shows its item beside it, a later refusal replaces it. A slip at the keys (no
    number typed, nothing to reprint) is said, not pinned, and an accepted scan ends it.
    """

    def __init__(
        self, line: StatusLine, strings: Strings, *, replaced: Callable[[], object]
    ) -> None:
        """``replaced``: called before each new message (it replaces a cancel prompt)."""
        self._line = line
        self._strings = strings
        self._replaced = replaced

    def show(self, render: Callable[[], str], level: str, *, pinned: bool = False) -> None:
        """A new message, rendered by ``render`` now and after each language switch."""
        self._replaced()
        self._line.show_message(render, level, pinned=pinned)

    def notice(self, text: str) -> None:
        self.show(lambda: text, "info")

    def ready(self) -> None:
        self.notice(self._strings.text("status.ready"))

    def error(self, error: BaseException) -> None:
        """A known error's reason code in the current language, pinned."""
        self.show(lambda: self._strings.error(error), "error", pinned=True)

    def slip(self, msg_id: str, **fields: object) -> None:
        """A slip at the keys: said in the current language, not pinned."""
        tr = self._strings.text
        self.show(lambda: tr(msg_id, **fields), "error")

    def acknowledge(self) -> None:
        """The cashier acted: an error, a warning or a pinned message has been seen."""
        if self._line.pinned or self._line.level != "info":
            self.ready()

    def scan_accepted(self, view: SaleView) -> None:
        """A scan went into ``view``: beside a pinned message, what was added."""
        if not self._line.pinned:
            if self._line.level == "error":  # an unpinned one (a typing slip) is done
                self.ready()
            return
        line = next((ln for ln in view.lines if ln.line_no == view.last_line_no), None)
        if line is not None:
            tr, line_view = self._strings, line
            self._line.note_beside(
                lambda: tr.text("scan.added", name=line_view.name(str(tr.language)))
            )
