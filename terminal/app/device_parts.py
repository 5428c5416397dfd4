"""``DeviceParts``: what one real till runs with, built from its settings by
``build_parts``: the store's path, the serial scanner, the camera's frame pump, the
registration with the cloud, the screens and language, and the face and sync settings.

Building opens nothing: the scanner and the camera are made but not started (the front
end starts and stops them), so a bad setting is reported before any window opens, as a
``ConfigError`` naming the key. A camera that is unplugged is not an error here (the pump
keeps trying to open it); a camera file that does not exist is, since it never appears.

What must not live here: Qt (``terminal/ui``), and anything that runs the parts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from drivers.camera import CameraError, FramePump, OpenCvSource, SourceKind, parse_source
from drivers.camera.source import first_image_of
from drivers.scanner import ScannerReader, ScannerSettings, ScannerSettingsError, ScanSource
from terminal.config import ConfigError, FaceSection, Settings, SyncSection, UiLanguage
from terminal.sync.registration import (
    Registration,
    RegistrationError,
    load_registration,
    secrets_path_for,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeviceParts:
    """One till's parts, made but not started; ``stop`` stops whatever was started."""

    db_path: Path
    scanner: ScanSource | None
    camera: FramePump | None
    registration: Registration | None
    cashier_screen: str | None
    customer_screen: str | None
    language: UiLanguage
    full_screen: bool
    thanks_s: float
    face: FaceSection
    sync: SyncSection
    models_dir: Path | None  # where provisioning put the face models

    def stop(self) -> None:
        """Stop the scanner and the camera (each is safe to stop when not started)."""
        if self.scanner is not None:
            self.scanner.stop()
        if self.camera is not None:
            self.camera.stop()


def build_parts(settings: Settings, *, db_path: Path | None = None) -> DeviceParts:
    """The parts the settings describe; ``db_path`` (``--db``) wins over the settings'.
    Raises ``ConfigError`` naming the key of a setting that cannot work."""
    path = db_path or settings.db_path
    ui = settings.ui
    return DeviceParts(
        db_path=path,
        scanner=_scanner(settings),
        camera=_camera(settings),
        registration=_registration(path, settings),
        cashier_screen=ui.cashier_screen,
        customer_screen=ui.customer_screen,
        language=ui.language,
        full_screen=ui.full_screen,
        thanks_s=ui.thanks_s,
        face=settings.face,
        sync=settings.sync,
        models_dir=settings.models_dir,
    )


def _scanner(settings: Settings) -> ScannerReader | None:
    if settings.scanner.port is None:
        return None
    try:
        scanner_settings = ScannerSettings(port=settings.scanner.port, baud=settings.scanner.baud)
    except ScannerSettingsError as exc:  # its message names the key: scanner.baud
        raise ConfigError(f"{settings.source}: {exc}") from None
    return ScannerReader(scanner_settings)


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


def _registration(db_path: Path, settings: Settings) -> Registration | None:
    """The saved registration, or None. A damaged secrets file must not stop sales: the
    till sells without sync and says why in the log (as every other command does)."""
    path = secrets_path_for(db_path, settings.secrets_path)
    try:
        return load_registration(path)
    except RegistrationError as exc:
        log.warning("running without the cloud", extra={"error": str(exc)})
        return None
