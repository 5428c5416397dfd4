"""Screenshots of every state of both screens, in every language, from scripted sales.

Each language gets a ``DemoRig`` (the local cloud, a registered demo store, the face models
and the simulated camera with the demo customer) and plays, through the real windows:
a face-pay sale by the member (looking, greeting, confirm, paid), the face states that
one photo cannot reach on its own (invitation, enrolling, last-4 pad, paying, failed,
offline) shown with the face worker stopped, and a cash sale (cart, tender, paid, an
error). Each state is grabbed to ``<screen>-<state>-<language>.png``. Used by
``facepay-terminal screenshots`` and by the offscreen demo. The customer's face is the
demo photo (scikit-image's public-domain astronaut unless ``[demo] photos`` says
otherwise); no photo of a real customer is ever written.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from terminal.app.consent import current
from terminal.app.customer_panel import CustomerPanel, Stage
from terminal.app.member_views import FacePayPrompt
from terminal.app.sale_view import SaleState
from terminal.config import Settings
from terminal.demo.headless import prepare_store
from terminal.demo.rig import DemoRig
from terminal.sync.status import SyncStatus
from terminal.ui.app import FrontEnd, application
from terminal.ui.strings import Language

log = logging.getLogger(__name__)

SIZE = (1280, 800)
# Demo catalog items: water, cola, instant noodles, a bag of crisps.
WATER, COLA, NOODLES, CRISPS = "6910263003875", "6979104402918", "6923036203839", "6951929701551"
NOT_IN_CATALOG = "6910263003876"
FACE_SALE_STATES = ("looking", "greeting", "confirm", "paid-face")
FACE_PANEL_STATES = (
    "invite",
    "invite-face",
    "enrolling",
    "last4",
    "paying",
    "failed",
    "offline",
    "withdrawn",
    "not-me",
    "timed-out",
    "show-code",
    "forget",
    "forget-code",
    "forget-done",
)
STATES = (
    "idle",
    *FACE_SALE_STATES,
    *FACE_PANEL_STATES,
    "cart",
    "tender",
    "paid",
    "error",
    "sync-offline",
    "reprint",
)
FACE_STEP_TIMEOUT_S = 45.0

__all__ = ["SIZE", "STATES", "prepare_store", "render_screenshots"]


class ScriptStalled(RuntimeError):
    """A scripted step never came (the face was not recognised in time, say)."""


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


def wait_for(predicate: Callable[[], bool], timeout_s: float) -> bool:
    """Process events until ``predicate()`` holds; False when ``timeout_s`` ran out."""
    app = application()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        app.processEvents()
        if predicate():
            return True
        time.sleep(0.01)
    return False


def confirm(front: FrontEnd) -> None:
    """The customer's Confirm, on a face decision as fresh as the last frame: the question
    counts only while the member is still at the camera."""
    application().processEvents()
    front.face.confirm()


def play_face_sale(front: FrontEnd, snap: Callable[[str], None]) -> None:
    """The member walks up, is greeted and pays by face. Raises ``ScriptStalled``."""
    type_entry(front, WATER)
    type_entry(front, NOODLES)
    steps: list[tuple[str, Callable[[], bool], Callable[[], None] | None]] = [
        ("looking", lambda: front.face.panel.stage is not Stage.OFF, None),
        ("greeting", lambda: front.face.panel.stage is Stage.GREETING, None),
        (
            "confirm",
            lambda: front.face.panel.stage is Stage.CONFIRM,
            front.cashier.actions_by_id["face_pay"].trigger,
        ),
        ("paid-face", lambda: front.till.view.state is SaleState.PAID, lambda: confirm(front)),
    ]
    for state, reached, action in steps:
        if action is not None:
            action()
        if not wait_for(reached, FACE_STEP_TIMEOUT_S):
            panel = front.face.panel
            raise ScriptStalled(
                f"the face-pay sale stopped before {state!r} (customer screen: {panel.stage} "
                f"{panel.notice} {panel.detail})"
            )
        snap(state)


def play_face_panels(front: FrontEnd, snap: Callable[[str], None]) -> None:
    """The face states one demo photo does not reach by itself, shown as the face checkout
    would show them, over a sale in progress; the face worker is stopped first so its
    own panels do not replace them. The sale is cancelled at the end."""
    greeting = front.face.panel.greeting
    if front.parts.face is not None:
        front.parts.face.worker.stop()
    type_entry(front, COLA)
    type_entry(front, CRISPS)
    view = front.till.view
    prompt = FacePayPrompt(
        greeting.member_id if greeting else "", greeting.name if greeting else "**",
        view.balance_due_cents, front.settings.currency_symbol,
    )  # fmt: skip
    panels = {
        "invite": CustomerPanel(Stage.INVITE, consent=current("membership")),
        "invite-face": CustomerPanel(Stage.INVITE, consent=current("face_pay")),
        "enrolling": CustomerPanel(Stage.ENROLLING),
        "last4": CustomerPanel(Stage.LAST4, notice="face.last4.hint", face_pay_wanted=True),
        "paying": CustomerPanel(
            Stage.PAYING, greeting=greeting, prompt=prompt, face_pay_wanted=True
        ),
        "failed": CustomerPanel(
            Stage.FAILED,
            greeting=greeting,
            notice="face.failed.declined",
            detail="offline.balance_short",
            detail_params={"balance_cents": 120, "amount_cents": 3680},
        ),
        "offline": CustomerPanel(Stage.GREETING, greeting=greeting, offline=True),
        "withdrawn": CustomerPanel(
            Stage.LOOKING,
            greeting=greeting,
            notice="face.looking",
            detail="question.withdrawn.no_face",
            face_pay_wanted=True,
        ),
        "not-me": CustomerPanel(Stage.NOT_ME, notice="face.not_me.choose", face_pay_wanted=True),
        "timed-out": CustomerPanel(
            Stage.TIMED_OUT, greeting=greeting, notice="face.timeout.question"
        ),
        "show-code": CustomerPanel(
            Stage.SHOW_CODE, greeting=greeting, code_cents=view.balance_due_cents
        ),
        "forget": CustomerPanel(Stage.FORGET, greeting=greeting),
        "forget-code": CustomerPanel(
            Stage.FORGET_CODE,
            greeting=greeting,
            notice="forget.code.wrong",
            detail="forget.code_wrong",
            detail_params={"tries_left": 4},
        ),
        "forget-done": CustomerPanel(Stage.FORGET_DONE, notice="forget.done.face"),
    }
    for state in FACE_PANEL_STATES:
        front.bridge.customer_panel.emit(panels[state])
        snap(state)
    front.bridge.customer_panel.emit(CustomerPanel())
    press(front, "cancel")
    press(front, "cancel")  # the second F8 confirms the cancel of a sale with items


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
            rig = DemoRig(settings, db_path, folder=Path(tmp) / f"rig-{language}")
            front = FrontEnd(rig.parts(language=language))
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

                snap("idle")
                play_face_sale(front, snap)
                play_face_panels(front, snap)
                play_cash_sale(front, snap, first_snap=False)
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
                rig.close()
    log.info("screenshots written", extra={"count": len(written), "folder": str(outdir)})
    return written


def pixmap_size(path: Path) -> tuple[int, int]:
    image = QPixmap(str(path))
    return image.width(), image.height()
