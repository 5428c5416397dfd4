"""Screenshots of every state of both screens, in every language, from a scripted sale.

Each language gets a fresh temporary store with the demo catalog; the sale is played
through the real windows (typed codes, function keys as actions) and each state is
grabbed to ``<screen>-<state>-<language>.png``. Used by ``facepay-terminal screenshots``
and by the offscreen demo. Photos of people never go in here: part 1 has no camera view.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.store.catalog import CatalogRepository
from terminal.store.database import open_store
from terminal.sync.status import SyncStatus
from terminal.ui.app import FrontEnd, FrontEndOptions, application
from terminal.ui.strings import Language

log = logging.getLogger(__name__)

SIZE = (1280, 800)
# Demo catalog items: water, cola, instant noodles, a bag of crisps.
WATER, COLA, NOODLES, CRISPS = "6910263003875", "6979104402918", "6923036203839", "6951929701551"
NOT_IN_CATALOG = "6910263003876"
STATES = ("idle", "cart", "tender", "paid", "error", "sync-offline", "reprint")


def prepare_store(path: Path) -> None:
    """A store at ``path`` holding the demo catalog."""
    db = open_store(path)
    try:
        CatalogRepository(db).upsert(read_catalog(DEMO_CATALOG), utc_now())
    finally:
        db.close()


def type_entry(front: FrontEnd, text: str) -> None:
    """Type into the scan field and press Enter, as a keyboard-wedge scanner does."""
    field = front.cashier.scan_field
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key.Key_Return)
    front.wait_idle()


def press(front: FrontEnd, action_id: str, typed: str = "") -> None:
    """Type ``typed`` (a number for F2/F4/F5) and trigger a function-key action."""
    if typed:
        QTest.keyClicks(front.cashier.scan_field, typed)
    front.cashier.actions_by_id[action_id].trigger()
    front.wait_idle()


def offline_status(now: datetime | None = None) -> SyncStatus:
    """A till that lost the cloud half an hour ago, with parked entries."""
    now = now or datetime.now(UTC)
    oldest = now - timedelta(minutes=31)
    return SyncStatus(
        registered=True,
        online=False,
        queued=12,
        dead=2,
        oldest_queued_at=oldest.isoformat(),
        oldest_queued_age_s=31 * 60,
        last_success_at=(oldest - timedelta(minutes=1)).isoformat(),
        last_error="cannot reach https://cloud.example.com: connection timed out",
        last_error_at=now.isoformat(),
    )


def _grab(widget: QWidget, path: Path) -> Path:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def _grab_with_dialog(window: QWidget, dialog: QWidget, path: Path) -> Path:
    """The window with the (separate, top-level) dialog painted over its middle."""
    canvas = window.grab()
    shot = dialog.grab()
    painter = QPainter(canvas)
    at = QPoint((canvas.width() - shot.width()) // 2, (canvas.height() - shot.height()) // 2)
    painter.fillRect(
        at.x() - 3, at.y() - 3, shot.width() + 6, shot.height() + 6, Qt.GlobalColor.darkGray
    )
    painter.drawPixmap(at, shot)
    painter.end()
    if not canvas.save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def play_cash_sale(
    front: FrontEnd, snap: Callable[[str], None], *, first_snap: bool = True
) -> None:
    """The scripted sale; ``snap(state)`` is called at each state worth a picture."""
    if first_snap:
        snap("idle")
    type_entry(front, WATER)
    type_entry(front, COLA)
    press(front, "qty", "3")
    type_entry(front, NOODLES)
    type_entry(front, CRISPS)
    press(front, "void")
    press(front, "line_discount", "0.5")
    snap("cart")
    QTest.keyClicks(front.cashier.tender.amount, "100")
    snap("tender")
    press(front, "cash")
    snap("paid")
    type_entry(front, NOT_IN_CATALOG)
    snap("error")


def render_screenshots(
    outdir: Path, settings: Settings, languages: Iterable[Language] = tuple(Language)
) -> list[Path]:
    """Write every state of both screens for each language; returns the files written."""
    application()
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="facepay-screens-") as tmp:
        for language in languages:
            db_path = Path(tmp) / f"screens-{language}.db"
            prepare_store(db_path)
            local = dataclasses.replace(settings, db_path=db_path)
            front = FrontEnd(local, FrontEndOptions(db_path=db_path, language=language))
            try:
                front.start(show=False)
                for window in (front.cashier, front.customer):
                    window.resize(*SIZE)
                    window.show()
                front.wait_idle()

                def snap(state: str, lang: Language = language, f: FrontEnd = front) -> None:
                    f.wait_idle()
                    written.append(_grab(f.cashier, outdir / f"cashier-{state}-{lang}.png"))
                    written.append(_grab(f.customer, outdir / f"customer-{state}-{lang}.png"))

                play_cash_sale(front, snap)
                front.bridge.sync_status.emit(offline_status())
                snap("sync-offline")
                press(front, "reprint")
                written.append(
                    _grab_with_dialog(
                        front.cashier,
                        front.cashier.receipt,
                        outdir / f"cashier-reprint-{language}.png",
                    )
                )
            finally:
                front.shutdown()
    log.info("screenshots written", extra={"count": len(written), "folder": str(outdir)})
    return written


def pixmap_size(path: Path) -> tuple[int, int]:
    image = QPixmap(str(path))
    return image.width(), image.height()
