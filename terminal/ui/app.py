"""Building and running the Qt terminal: the application, the till, the windows, and a
clean shutdown.

``FrontEnd`` wires one till from its ``Parts`` (``terminal/app/parts.py``, the one
composition root): the ``Till`` (store thread), every scan source feeding ``Till.scan``,
the ``SyncWorker`` of a registered till, the camera and the face worker, the ``Bridge``
between them and the GUI, and both windows. ``run_terminal`` is what the ``run`` command
calls; tests, the screenshot command and the demo build ``Parts`` with their simulated
devices and a ``FrontEnd`` the same way, so they drive the real thing.
"""

from __future__ import annotations

import logging
import sys
import time

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from drivers.scanner import ScanEvent
from terminal.app.face_checkout import FaceCheckout
from terminal.app.parts import Parts
from terminal.app.sale_view import SaleState, SaleView
from terminal.app.till import Till
from terminal.domain.codes import PaymentCode, classify_scan
from terminal.errors import TillError
from terminal.face.gallery import Gallery
from terminal.ui.bridge import Bridge, CameraHealth
from terminal.ui.cashier_window import CashierWindow
from terminal.ui.customer_window import CustomerWindow
from terminal.ui.screens import Placement, place_windows
from terminal.ui.strings import Language, Strings
from terminal.ui.theme import load_fonts

log = logging.getLogger(__name__)


# Qt messages that say nothing to a cashier or a technician: the offscreen platform (the
# demo without a display, the screenshots) cannot pass size hints to a window manager.
_QUIET_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)
_qt_log = logging.getLogger("qt")


def _qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message in _QUIET_QT_MESSAGES:
        return
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
    }.get(mode, logging.ERROR)
    _qt_log.log(level, message, extra={"category": context.category})


def application(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication (made once), with the CJK fonts loaded."""
    existing = QCoreApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    qInstallMessageHandler(_qt_message)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("facepay-terminal")
    load_fonts(app)
    return app


class FrontEnd:
    """One till's windows and workers; ``start()`` then ``shutdown()``."""

    def __init__(self, parts: Parts) -> None:
        settings = parts.settings
        self.parts = parts
        self.settings = settings
        self.strings = Strings(Language(settings.ui.language), symbol=settings.currency_symbol)
        self.bridge = Bridge()
        self.till = Till(
            settings.db_path,
            settings,
            deliver=self.bridge.post,
            clock=parts.clock,
            registration=parts.registration,
            cloud=parts.cloud,
            printing=parts.printing,
            scale=parts.scale,
        )
        self.bridge.attach_till(self.till)
        self.till.on_receipt_printed(self.bridge.receipt_printed.emit)
        # The till's own cloud calls show offline (or online again) at once.
        self.till.on_sync_status(self.bridge.publish_sync)
        # Every scan source feeds the till here, so no widget stands between a scanner
        # and the sale; the scanner's link state is shown through the bridge.
        if parts.scanner is not None:
            parts.scanner.on_scan(self._scan)
        # The camera sees whoever stands at the kiosk: its payment codes are charged only
        # in the "show your payment code" step (the face checkout's ``code_step``).
        if parts.camera_codes is not None:
            parts.camera_codes.on_scan(self._camera_scan)
        if parts.scanner is not None:
            self.bridge.attach_scanner(parts.scanner)
        if parts.camera_codes is not None:
            self.bridge.attach_camera_codes(parts.camera_codes)
        self.sync = parts.sync
        if self.sync is not None:
            self.bridge.attach_sync(self.sync)
            self.sync.on_members_changed(lambda _n: self.bridge.post(self._reload_gallery))
        self.camera = parts.camera
        face_worker = parts.face.worker if parts.face is not None else None
        self.face = FaceCheckout(
            self.till,
            face_worker,
            post=self.bridge.post,
            show_panel=self.bridge.customer_panel.emit,
            show_overlay=self.bridge.face_overlay.emit,
        )
        self.bridge.sale_changed.connect(self.face.on_sale)
        self.bridge.sync_status.connect(self.face.on_sync)
        if face_worker is not None:
            self.bridge.attach_face(face_worker, self.face.on_face)
        if parts.camera_codes is not None:
            # Of several codes in one frame, the one nearest the served customer's face.
            parts.camera_codes.set_focus(lambda: self.face.primary_centre)
        # Face pay needs a face worker and a registered till (members, the cloud).
        face_actions = self.face if face_worker is not None and self.till.registered else None
        self.cashier = CashierWindow(
            self.till,
            self.bridge,
            self.strings,
            sync_now=self._sync_now if self.sync else None,
            face=face_actions,
            retry_dead=self._retry_dead if self.sync else None,
            ask_for_code=self.open_code_step if parts.camera_codes is not None else None,
        )
        self.customer = CustomerWindow(
            self.bridge,
            self.strings,
            store_name=settings.store_name,
            symbol=settings.currency_symbol,
            camera=self.camera,
            thanks_s=settings.ui.thanks_s,
            face=face_actions,
        )
        # A committed sale goes to the cloud as soon as it can.
        self.bridge.sale_changed.connect(self._after_sale)
        self._camera_timer = QTimer()
        self._camera_timer.setInterval(1000)
        self._camera_timer.timeout.connect(self._publish_camera)
        self._pending_timer = QTimer()
        self._pending_timer.setInterval(int(parts.pending_every_s * 1000))
        self._pending_timer.timeout.connect(self._resolve_pending)
        # Face waits time out, and a stale face-pay question is withdrawn, even when no
        # frame comes (a camera that stalled, a customer who walked away).
        self._face_timer = QTimer()
        self._face_timer.setInterval(250)
        self._face_timer.timeout.connect(self.face.tick)
        self.placement: Placement | None = None
        self._started = False

    def start(self, *, show: bool = True) -> None:
        """Open the store (recovery first), start the workers, place and show the windows."""
        self.till.start().success(self.cashier.show_recovery)
        self._reload_gallery()
        self.cashier.refresh_recent()
        self.till.sync_status().success(self.bridge.sync_status.emit)
        parts = self.parts
        for source in parts.scan_sources:
            source.start()
        if parts.scale is not None:
            parts.scale.start()
        if self.sync is not None:
            self.sync.start()
        if self.camera is not None:
            if not self.camera.running:
                self.camera.start()
            self._camera_timer.start()
        if parts.face is not None and not parts.face.worker.running:
            parts.face.worker.start()
        if parts.face is not None:
            self._face_timer.start()
        if self.till.registered:
            self._pending_timer.start()
            self._resolve_pending()  # what a restart left unresolved, without waiting 30 s
        self._started = True
        if show:
            ui = self.settings.ui
            self.placement = place_windows(
                self.cashier,
                self.customer,
                cashier_screen=ui.cashier_screen,
                customer_screen=ui.customer_screen,
                full_screen=ui.full_screen,
            )

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Process events until every intent's result reached the windows (scripts, tests)."""
        deadline = QDeadlineTimer(int(timeout_s * 1000))
        app = QCoreApplication.instance()
        while not deadline.hasExpired():
            if app is not None:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if self.till.busy == 0:
                if app is not None:
                    app.processEvents()
                return True
        return False

    def shutdown(self) -> None:
        """Stop the inputs first, then the workers, then the store; windows last."""
        self._camera_timer.stop()
        self._pending_timer.stop()
        self._face_timer.stop()
        if self._started and not self.parts.stop():
            log.error("a worker did not stop in time", extra={"db": str(self.parts.db_path)})
        if not self.till.stop():
            log.error("the till's store thread did not stop", extra={"db": str(self.parts.db_path)})
        self.parts.close()
        self.customer.close()
        self.cashier.receipt.close()
        self.cashier.close()
        # Delete the Qt side now, while the application lives: left to Python's garbage
        # collector at interpreter exit, PySide6 can tear objects down in the wrong order.
        for obj in (
            self.customer,
            self.cashier,
            self._camera_timer,
            self._pending_timer,
            self._face_timer,
            self.bridge,
            self.strings,
        ):
            obj.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def _reload_gallery(self) -> None:
        """Members came down from the cloud (or the till started): search the new set."""
        if self.parts.face is None:
            return
        model = self.parts.face.pipeline.models.model_name
        self.till.load_gallery(model).success(self._use_gallery)

    def _use_gallery(self, gallery: Gallery) -> None:
        # One attribute swap: the face worker's next frame searches the new gallery.
        if self.parts.face is not None:
            self.parts.face.pipeline.gallery = gallery
        self.face.gallery = gallery
        log.info("face gallery loaded", extra={"members": gallery.members})

    def _resolve_pending(self) -> None:
        self.till.resolve_pending().failure(
            lambda error: log.warning("pending payments check failed", extra={"error": str(error)})
        )

    def _retry_dead(self) -> None:
        def requeued(count: int) -> None:
            log.info("parked outbox entries queued again", extra={"count": count})
            if self.sync is not None:
                self.sync.wake()

        self.till.retry_dead().success(requeued)

    def _sync_now(self) -> bool:
        if self.sync is None:
            return False
        self.sync.wake()
        return True

    def _scan(self, event: ScanEvent) -> None:
        """A scan from any source, on that source's thread: straight into the till's queue
        (a refusal reaches the cashier through the till's error listeners)."""
        self.till.scan(event.code, event.symbology).success(
            lambda _view: self.bridge.scan_taken.emit()
        )

    def open_code_step(self) -> float:
        """The cashier asked for a payment code shown to the camera: the next one, within
        the step's time (returned, in seconds), pays the sale on screen."""
        return self.face.ask_for_code()

    def _camera_scan(self, event: ScanEvent) -> None:
        """A code the camera read, on the camera's thread: product codes go in the cart;
        a payment code only inside the code step, for the sale it was opened for."""
        try:
            code = classify_scan(event.code, self.settings.weighed_layout, event.symbology)
        except TillError:
            return  # half a code at the edge of the frame: nothing to tell anyone
        if isinstance(code, PaymentCode) and not self.face.code_step.take(
            self.till.view.order_no, time.monotonic()
        ):
            log.warning("payment code seen by the camera outside the code step: ignored")
            return
        self._scan(event)

    def _after_sale(self, view: SaleView) -> None:
        if view.state is SaleState.PAID and self.sync is not None:
            self.sync.wake()

    def _publish_camera(self) -> None:
        if self.camera is not None:
            stats = self.camera.stats()
            self.bridge.camera_health.emit(CameraHealth(str(stats.state), stats.fps))


def run_terminal(parts: Parts) -> int:
    """Run the till until its windows close; every worker is stopped and joined after."""
    app = application()
    front = FrontEnd(parts)
    app.aboutToQuit.connect(front.shutdown)
    app.setQuitOnLastWindowClosed(True)
    front.start()
    return app.exec()
