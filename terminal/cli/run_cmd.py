"""``facepay-terminal run [--config FILE]``: the till on its real devices.

The settings (``[ui] [scanner] [camera] [face] [sync]``, the store, the registration
beside it) become ``DeviceParts`` (``terminal/app/device_parts.py``) before any window
opens, so a bad key exits 3 naming it; then the Qt front end runs until its windows
close. Qt is imported only here, after the settings were checked.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from terminal.app.device_parts import DeviceParts, build_parts
from terminal.cli import exit_codes
from terminal.cli.context import db_path
from terminal.config import Settings
from terminal.face.errors import ModelError
from terminal.face.models import ModelLocator
from terminal.face.pipeline import FaceModels, FacePipeline, FaceSession
from terminal.face.worker import FaceWorker

log = logging.getLogger(__name__)


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``run`` to the ``facepay-terminal`` subcommands."""
    parser = commands.add_parser(
        "run", parents=[common], help="run the till: both screens, scanner, camera and sync"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    parts = build_parts(settings, db_path=db_path(args, settings))
    if not _can_show_windows():
        print(
            "no display: the till needs its screens (DISPLAY or WAYLAND_DISPLAY; the kiosk"
            " session sets them); 'facepay-terminal demo' runs offscreen",
            file=sys.stderr,
        )
        return exit_codes.BAD_INPUT
    return run_front_end(settings, parts)


def _can_show_windows() -> bool:
    env = os.environ
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM"))


def run_front_end(settings: Settings, parts: DeviceParts) -> int:
    """Hand the parts to the Qt front end and run it until its windows close."""
    # Imported here: only commands with screens load Qt.
    from terminal.ui.app import FrontEndOptions, run_terminal  # noqa: PLC0415
    from terminal.ui.strings import Language  # noqa: PLC0415

    face_worker, pipeline = _face(parts)
    options = FrontEndOptions(
        db_path=parts.db_path,
        scanner=parts.scanner,
        registration=parts.registration,
        camera=parts.camera,
        cashier_screen=parts.cashier_screen,
        customer_screen=parts.customer_screen,
        language=Language(parts.language),
        full_screen=parts.full_screen,
        thanks_s=parts.thanks_s,
        sync_send_every_s=parts.sync.send_every_s,
        sync_pull_every_s=parts.sync.pull_every_s,
        cloud_timeout_s=parts.sync.timeout_s,
        face_worker=face_worker,
        face_pipeline=pipeline,
    )
    return run_terminal(settings, options)


def _face(parts: DeviceParts) -> tuple[FaceWorker | None, FacePipeline | None]:
    """The face worker on the camera, when face pay can work here. Missing or damaged
    models do not stop the till: it sells with cash and payment codes, and says why."""
    if parts.camera is None or not parts.face.enabled or parts.registration is None:
        return None, None
    try:
        models = FaceModels.load(
            ModelLocator(models_dir=parts.models_dir), liveness=parts.face.liveness
        )
    except ModelError as exc:
        print(f"face pay is off: {exc}", file=sys.stderr)
        log.error("face pay is off", extra={"error": str(exc)})
        return None, None
    pipeline = FacePipeline(models, debug_dir=parts.face.debug_dir)
    return FaceWorker(parts.camera, FaceSession(pipeline)), pipeline
