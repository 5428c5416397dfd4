"""``Bridge``: the one QObject through which worker threads reach the GUI thread.

Scanner readers, the sync worker, the camera pump and the till's store thread call the
bridge's plain methods on their own threads. Each call is wrapped in a thunk and sent
through one internal signal with a queued connection, so the thunk runs on the GUI
thread and the public signals are always emitted there: a slot connected to them never
needs a lock and never races a widget. Nothing on the GUI side calls a worker back
except through non-blocking intents (``Till`` methods, ``SyncWorker.wake``).

What must not live here: business rules, widgets, disk or device I/O.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal, Slot

from drivers.listeners import Unsubscribe
from drivers.scanner import ScannerProblem, ScannerStatus, ScanSource
from terminal.app.sale_view import SaleView
from terminal.app.till import Till
from terminal.face.worker import FaceEvent, FaceWorker
from terminal.sync.status import SyncStatus
from terminal.sync.worker import SyncWorker

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CameraHealth:
    """What the cashier sees of the camera: its state and the frame rate achieved."""

    state: str
    fps: float


class Bridge(QObject):
    """Signals for everything the windows show; see the module docstring."""

    scan_taken = Signal()  # a scanner's scan went into the sale (the front end routes scans)
    sale_changed = Signal(object)  # SaleView
    sync_status = Signal(object)  # SyncStatus
    scanner_status = Signal(object)  # ScannerStatus
    camera_health = Signal(object)  # CameraHealth
    receipt_printed = Signal(object)  # ReceiptPrintOutcome: printed, or not and why
    error = Signal(object)  # BaseException: shown in the status line
    notice = Signal(str)  # a short message for the status line (already translated)
    customer_panel = Signal(object)  # CustomerPanel: the face-and-payment side of the sale
    face_overlay = Signal(object)  # FaceOverlay: boxes and guidance over the camera view

    _to_gui = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Queued even when the emitter is the GUI thread itself: a thunk never re-enters
        # the code that posted it.
        self._to_gui.connect(self._run, Qt.ConnectionType.QueuedConnection)
        self._face_lock = threading.Lock()
        self._face_latest: FaceEvent | None = None
        self._face_sink: Callable[[FaceEvent], None] | None = None

    # -- from any thread ---------------------------------------------------------

    def post(self, thunk: Callable[[], None]) -> None:
        """Run ``thunk`` on the GUI thread, soon; the ``deliver`` of the till's tasks."""
        self._to_gui.emit(thunk)

    def publish_sale(self, view: SaleView) -> None:
        self.post(lambda: self.sale_changed.emit(view))

    def publish_sync(self, status: SyncStatus) -> None:
        self.post(lambda: self.sync_status.emit(status))

    def publish_scanner_status(self, status: ScannerStatus) -> None:
        self.post(lambda: self.scanner_status.emit(status))

    def publish_camera(self, health: CameraHealth) -> None:
        self.post(lambda: self.camera_health.emit(health))

    def publish_error(self, error: BaseException) -> None:
        self.post(lambda: self.error.emit(error))

    # -- wiring ------------------------------------------------------------------

    def attach_scanner(self, scanner: ScanSource) -> list[Unsubscribe]:
        """Show a scanner's link state; problems (noise) are logged only. Its scans go to
        the till through the front end, not through here."""
        return [
            scanner.on_status(self.publish_scanner_status),
            scanner.on_problem(_log_problem),
        ]

    def attach_camera_codes(self, scanner: ScanSource) -> list[Unsubscribe]:
        """The camera's own health is reported by the pump, so the code reader's link
        state is not shown as the scanner's; its problems are logged."""
        return [scanner.on_problem(_log_problem)]

    def attach_till(self, till: Till) -> None:
        till.on_sale_changed(self.publish_sale)
        # Failures are delivered on the GUI thread already (through post): emit directly.
        till.on_error(self.error.emit)

    def attach_sync(self, worker: SyncWorker) -> list[Unsubscribe]:
        return [worker.on_status(self.publish_sync)]

    def attach_face(
        self, worker: FaceWorker, sink: Callable[[FaceEvent], None]
    ) -> list[Unsubscribe]:
        """Hand the face worker's events to ``sink`` on the GUI thread, newest only: a
        busy GUI skips frames instead of queueing them (each event's decision already
        sums up the frames before it)."""
        self._face_sink = sink
        return [worker.on_event(self._publish_face)]

    def _publish_face(self, event: FaceEvent) -> None:
        with self._face_lock:
            waiting = self._face_latest is not None
            self._face_latest = event
        if not waiting:
            self.post(self._deliver_face)

    def _deliver_face(self) -> None:
        with self._face_lock:
            event, self._face_latest = self._face_latest, None
        if event is not None and self._face_sink is not None:
            self._face_sink(event)

    # -- on the GUI thread -------------------------------------------------------

    @Slot(object)
    def _run(self, thunk: Callable[[], None]) -> None:
        try:
            thunk()
        except Exception:  # one bad callback must not take the event loop down
            log.exception("GUI callback failed")


def _log_problem(problem: ScannerProblem) -> None:
    log.info("scanner stream problem", extra={"problem": problem.kind, "port": problem.port})
