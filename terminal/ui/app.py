"""Building and running the Qt terminal: the application, the till, the workers, the
windows, and a clean shutdown.

``FrontEnd`` wires one till: the ``Till`` (store thread), a scanner (a ``ScannerReader``
on a serial port, a ``FakeScanner``, or none), the ``SyncWorker`` when the device is
registered, an optional camera ``FramePump``, the ``Bridge`` between them and the GUI, and
both windows. ``run_terminal`` is what the ``run`` command calls; tests, the screenshot
command and the demo build a ``FrontEnd`` the same way, so they drive the real thing.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

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

from drivers.camera import FramePump
from drivers.codes.camera_scanner import CameraScanner
from drivers.scanner import ScannerReader, ScannerSettings, ScanSource
from terminal.app.face_checkout import FaceCheckout
from terminal.app.sale_view import SaleState, SaleView
from terminal.app.till import Till
from terminal.clock import Clock, utc_now
from terminal.config import Settings
from terminal.face.gallery import Gallery
from terminal.face.pipeline import FacePipeline
from terminal.face.worker import FaceWorker
from terminal.storage.database import Synchronous, open_store
from terminal.sync.registration import Registration
from terminal.sync.worker import SyncWorker
from terminal.ui.bridge import Bridge, CameraHealth
from terminal.ui.cashier_window import CashierWindow
from terminal.ui.customer_window import CustomerWindow
from terminal.ui.screens import Placement, place_windows
from terminal.ui.strings import Language, Strings
from terminal.ui.theme import load_fonts

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FrontEndOptions:
    """What the run, demo and test set-ups differ in. Screen names come from settings."""

    db_path: Path
    scanner: ScanSource | None = None
    registration: Registration | None = None
    camera: FramePump | None = None
    cashier_screen: str | None = None
    customer_screen: str | None = None
    language: Language = Language.ZH_CN
    full_screen: bool = False
    thanks_s: float = 8.0
    clock: Clock = utc_now
    # The face worker on ``camera`` and the pipeline it runs (the gallery is loaded into
    # it from the store at start-up); both None: no face pay, no membership by face.
    face_worker: FaceWorker | None = None
    face_pipeline: FacePipeline | None = None
    sync_send_every_s: float = 3.0
    sync_pull_every_s: float = 60.0
    cloud_timeout_s: float = 10.0
    pending_every_s: float = 30.0  # how often payments with an unknown result are queried
    camera_codes: bool = True  # read barcodes and payment codes shown to the camera


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


def serial_scanner(port: str, baud: int = 9600) -> ScannerReader:
    return ScannerReader(ScannerSettings(port=port, baud=baud))


class FrontEnd:
    """One till's windows and workers; ``start()`` then ``shutdown()``."""

    def __init__(self, settings: Settings, options: FrontEndOptions) -> None:
        self.settings = settings
        self.options = options
        self.strings = Strings(options.language)
        self.bridge = Bridge()
        sync_mode: Synchronous = "NORMAL" if settings.synchronous == "NORMAL" else "FULL"
        self.till = Till(
            options.db_path,
            settings,
            deliver=self.bridge.post,
            clock=options.clock,
            synchronous=sync_mode,
            registration=options.registration,
            cloud_timeout_s=options.cloud_timeout_s,
        )
        self.bridge.attach_till(self.till)
        self.scanner = options.scanner
        if self.scanner is not None:
            self.bridge.attach_scanner(self.scanner)
        self.sync: SyncWorker | None = None
        if options.registration is not None:
            path = options.db_path
            self.sync = SyncWorker(
                lambda: open_store(path, synchronous=sync_mode),
                options.registration,
                send_every_s=options.sync_send_every_s,
                pull_every_s=options.sync_pull_every_s,
                timeout_s=options.cloud_timeout_s,
            )
            self.bridge.attach_sync(self.sync)
            self.sync.on_members_changed(lambda _n: self.bridge.post(self._reload_gallery))
        self.camera = options.camera
        self.camera_codes: CameraScanner | None = None
        if self.camera is not None and options.camera_codes:
            self.camera_codes = CameraScanner(self.camera)
            self.bridge.attach_camera_codes(self.camera_codes)
        self.face_worker = options.face_worker
        self.face_pipeline = options.face_pipeline
        self.face = FaceCheckout(
            self.till,
            self.face_worker,
            post=self.bridge.post,
            show_panel=self.bridge.customer_panel.emit,
            show_overlay=self.bridge.face_overlay.emit,
        )
        self.bridge.sale_changed.connect(self.face.on_sale)
        self.bridge.sync_status.connect(self.face.on_sync)
        if self.face_worker is not None:
            self.bridge.attach_face(self.face_worker, self.face.on_face)
        # Face pay needs a face worker and a registered till (members, the cloud).
        face_actions = self.face if self.face_worker is not None and self.till.registered else None
        self.cashier = CashierWindow(
            self.till,
            self.bridge,
            self.strings,
            sync_now=self._sync_now if self.sync else None,
            face=face_actions,
            retry_dead=self._retry_dead if self.sync else None,
        )
        self.customer = CustomerWindow(
            self.bridge,
            self.strings,
            store_name=settings.store_name,
            symbol=settings.currency_symbol,
            camera=self.camera,
            thanks_s=options.thanks_s,
            face=face_actions,
        )
        # A committed sale goes to the cloud as soon as it can.
        self.bridge.sale_changed.connect(self._after_sale)
        self._camera_timer = QTimer()
        self._camera_timer.setInterval(1000)
        self._camera_timer.timeout.connect(self._publish_camera)
        self._pending_timer = QTimer()
        self._pending_timer.setInterval(int(options.pending_every_s * 1000))
        self._pending_timer.timeout.connect(self._resolve_pending)
        self.placement: Placement | None = None
        self._started = False

    def start(self, *, show: bool = True) -> None:
        """Open the store (recovery first), start the workers, place and show the windows."""
        self.till.start().success(self.cashier.show_recovery)
        self._reload_gallery()
        self.cashier.refresh_recent()
        self.till.sync_status(registered=self.sync is not None).success(
            self.bridge.sync_status.emit
        )
        if self.scanner is not None:
            self.scanner.start()
        if self.sync is not None:
            self.sync.start()
        if self.camera is not None:
            if not self.camera.running:
                self.camera.start()
            self._camera_timer.start()
        if self.face_worker is not None and not self.face_worker.running:
            self.face_worker.start()
        if self.camera_codes is not None:
            self.camera_codes.start()
        if self.till.registered:
            self._pending_timer.start()
        self._started = True
        if show:
            self.placement = place_windows(
                self.cashier,
                self.customer,
                cashier_screen=self.options.cashier_screen,
                customer_screen=self.options.customer_screen,
                full_screen=self.options.full_screen,
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
        if self._started:
            if self.scanner is not None:
                self.scanner.stop()
            if self.face_worker is not None:
                self.face_worker.stop()
            if self.camera_codes is not None:
                self.camera_codes.stop()
            if self.sync is not None:
                self.sync.stop()
            if self.camera is not None:
                self.camera.stop()
        if not self.till.stop():
            log.error(
                "the till's store thread did not stop", extra={"db": str(self.options.db_path)}
            )
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
            self.bridge,
            self.strings,
        ):
            obj.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def _reload_gallery(self) -> None:
        """Members came down from the cloud (or the till started): search the new set."""
        pipeline = self.face_pipeline
        if pipeline is None:
            return
        self.till.load_gallery(pipeline.models.model_name).success(self._use_gallery)

    def _use_gallery(self, gallery: Gallery) -> None:
        # One attribute swap: the face worker's next frame searches the new gallery.
        if self.face_pipeline is not None:
            self.face_pipeline.gallery = gallery
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

    def _after_sale(self, view: SaleView) -> None:
        if view.state is SaleState.PAID and self.sync is not None:
            self.sync.wake()

    def _publish_camera(self) -> None:
        if self.camera is not None:
            stats = self.camera.stats()
            self.bridge.camera_health.emit(CameraHealth(str(stats.state), stats.fps))


def run_terminal(settings: Settings, options: FrontEndOptions) -> int:
    """Run the till until its windows close; every worker is stopped and joined after."""
    app = application()
    front = FrontEnd(settings, options)
    app.aboutToQuit.connect(front.shutdown)
    app.setQuitOnLastWindowClosed(True)
    front.start()
    return app.exec()
