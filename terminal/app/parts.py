"""``Parts``: the one composition root. Everything one till runs with, made from its
settings by ``build_parts``: the store's path, the registration and the cloud client, the
serial scanner and the camera's code reader (the scan sources), the camera's frame pump,
the face pipeline and its worker, and the sync worker.

``run`` builds the parts from the settings file; the demo and the tests build the same
object with their simulated devices in the same fields, so every front end wires the
real thing the same way. Building opens nothing and starts nothing (the front end starts
the workers and ``stop`` stops them), so a bad setting is reported before any window
opens, as a ``ConfigError`` naming the key. A camera that is unplugged is not an error
(the pump keeps trying to open it); a camera file that does not exist is.

What must not live here: Qt (``terminal/ui``), and anything that runs the parts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from drivers.camera import CameraError, FramePump, OpenCvSource, SourceKind, parse_source
from drivers.camera.source import first_image_of
from drivers.codes.camera_scanner import CameraScanner
from drivers.scale.reader import ScaleReader
from drivers.scale.settings import ScaleProtocol, ScaleSettings, ScaleSettingsError
from drivers.scanner import ScannerReader, ScannerSettings, ScannerSettingsError, ScanSource
from terminal.app.receipt_printing import ReceiptPrinting, printer_for
from terminal.clock import Clock, utc_now
from terminal.config import ConfigError, Settings
from terminal.face.errors import ModelError
from terminal.face.models import ModelLocator
from terminal.face.pipeline import FaceModels, FacePipeline, FaceSession
from terminal.face.worker import FaceWorker
from terminal.storage.database import open_store
from terminal.sync.client import CloudClient
from terminal.sync.registration import (
    Registration,
    RegistrationError,
    load_registration,
    secrets_path_for,
)
from terminal.sync.worker import SyncWorker

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FaceParts:
    """Face pay and membership by face: the pipeline (its gallery is loaded from the store
    at start-up) and the worker that runs it on the camera's newest frame."""

    pipeline: FacePipeline
    worker: FaceWorker


@dataclass(frozen=True, slots=True)
class Parts:
    """One till's parts, made but not started; see the module docstring."""

    settings: Settings
    registration: Registration | None = None
    cloud: CloudClient | None = None
    scanner: ScanSource | None = None  # the serial (or simulated) barcode scanner
    camera: FramePump | None = None
    camera_codes: CameraScanner | None = None  # codes shown to the camera: scans like any other
    face: FaceParts | None = None
    sync: SyncWorker | None = None
    printing: ReceiptPrinting | None = None  # the receipt printer and drawer ([printer])
    scale: ScaleReader | None = None  # the serial retail scale ([scale])
    clock: Clock = utc_now
    pending_every_s: float = 30.0  # how often payments with an unknown result are queried
    face_off_reason: str | None = None  # why face pay is off although a camera is set

    @property
    def db_path(self) -> Path:
        return self.settings.db_path

    @property
    def scan_sources(self) -> tuple[ScanSource, ...]:
        return tuple(s for s in (self.scanner, self.camera_codes) if s is not None)

    def stop(self, timeout_s: float = 5.0) -> bool:
        """Stop every worker (inputs first, the camera last); safe on parts never started.
        True when every thread ended in time."""
        results = [source.stop(timeout_s) for source in self.scan_sources]
        if self.scale is not None:
            results.append(self.scale.stop(timeout_s))
        if self.face is not None:
            results.append(self.face.worker.stop(timeout_s))
        if self.sync is not None:
            # A cycle in flight may be waiting on an HTTP call: give it that call's timeout.
            results.append(self.sync.stop(max(timeout_s, self.settings.sync.timeout_s + 1.0)))
        if self.camera is not None:
            results.append(self.camera.stop(timeout_s))
        return all(results)

    def close(self) -> None:
        """Release the cloud client; after the till that used it has stopped."""
        if self.cloud is not None:
            self.cloud.close()


def build_parts(settings: Settings, *, face: bool = True) -> Parts:
    """The parts ``settings`` describe (``settings.db_path`` already carries ``--db``).
    ``face=False`` skips loading the face models. Raises ``ConfigError`` naming the key
    of a setting that cannot work."""
    registration = _registration(settings)
    camera = _camera(settings)
    face_parts, face_off = (
        _face(settings, camera) if face and registration is not None else (None, None)
    )
    return Parts(
        settings=settings,
        registration=registration,
        cloud=cloud_client(settings, registration),
        scanner=_scanner(settings),
        camera=camera,
        camera_codes=CameraScanner(camera) if camera is not None else None,
        face=face_parts,
        sync=sync_worker(settings, registration),
        printing=receipt_printing(settings),
        scale=_scale(settings),
        face_off_reason=face_off,
    )


def receipt_printing(settings: Settings) -> ReceiptPrinting | None:
    """The printer ``[printer]`` names, on its own thread (not started); None without one."""
    printer = printer_for(settings)
    return ReceiptPrinting(printer, settings) if printer is not None else None


def cloud_client(settings: Settings, registration: Registration | None) -> CloudClient | None:
    if registration is None:
        return None
    timeout_s = settings.sync.timeout_s
    return CloudClient(registration.cloud_url, registration.token, timeout_s=timeout_s)


def sync_worker(
    settings: Settings, registration: Registration | None, *, clock: Clock = utc_now
) -> SyncWorker | None:
    """The sync worker of a registered till, on its own connection to the store."""
    if registration is None:
        return None
    path = settings.db_path
    return SyncWorker(
        lambda: open_store(path, synchronous=settings.synchronous_mode),
        registration,
        send_every_s=settings.sync.send_every_s,
        pull_every_s=settings.sync.pull_every_s,
        timeout_s=settings.sync.timeout_s,
        clock=clock,
    )


def face_parts(camera: FramePump, models: FaceModels, settings: Settings) -> FaceParts:
    pipeline = FacePipeline(models, debug_dir=settings.face.debug_dir)
    return FaceParts(pipeline, FaceWorker(camera, FaceSession(pipeline)))


def _face(settings: Settings, camera: FramePump | None) -> tuple[FaceParts | None, str | None]:
    """Face pay when it can work here. Missing or damaged models do not stop the till: it
    sells with cash and payment codes, and the reason is kept for the front end to say."""
    if camera is None or not settings.face.enabled:
        return None, None
    try:
        models = FaceModels.load(
            ModelLocator(models_dir=settings.models_dir), liveness=settings.face.liveness
        )
    except ModelError as exc:
        log.error("face pay is off", extra={"error": str(exc)})
        return None, str(exc)
    return face_parts(camera, models, settings), None


def _scanner(settings: Settings) -> ScannerReader | None:
    if settings.scanner.port is None:
        return None
    try:
        scanner_settings = ScannerSettings(port=settings.scanner.port, baud=settings.scanner.baud)
    except ScannerSettingsError as exc:  # its message names the key: scanner.baud
        raise ConfigError(f"{settings.source}: {exc}") from None
    return ScannerReader(scanner_settings)


def _scale(settings: Settings) -> ScaleReader | None:
    scale = settings.scale
    if not scale.enabled or scale.port is None:
        return None
    try:
        scale_settings = ScaleSettings(
            port=scale.port, protocol=cast(ScaleProtocol, scale.protocol), baud=scale.baud
        )
    except ScaleSettingsError as exc:  # its message names the field
        raise ConfigError(f"{settings.source}: scale.{exc}") from None
    return ScaleReader(scale_settings)


def _camera(settings: Settings) -> FramePump | None:
    camera = settings.camera
    if camera.source is None:
        return None
    try:
        spec = parse_source(camera.source)
    except CameraError as exc:
        raise ConfigError(f"{settings.source}: camera.source: {exc}") from None
    if spec.kind is SourceKind.FILE and not Path(spec.location).is_file():
        raise ConfigError(f"{settings.source}: camera.source: the file {spec.location} is missing")
    if spec.kind is SourceKind.IMAGES and first_image_of(spec.location) is None:
        raise ConfigError(
            f"{settings.source}: camera.source: no numbered images at {spec.location}"
        )
    return FramePump(OpenCvSource(spec, size=camera.size))


def _registration(settings: Settings) -> Registration | None:
    """The saved registration, or None. A damaged secrets file must not stop sales: the
    till sells without sync and says why in the log (as every other command does)."""
    path = secrets_path_for(settings.db_path, settings.secrets_path)
    try:
        return load_registration(path)
    except RegistrationError as exc:
        log.warning("running without the cloud", extra={"error": str(exc)})
        return None
