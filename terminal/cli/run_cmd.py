"""``facepay-terminal run [--config FILE] [--unsafe-debug]``: the till on its real devices.

The settings (``[ui] [scanner] [camera] [face] [sync]``, the store, the registration
beside it) become ``Parts`` (``terminal/app/parts.py``, the one composition root) before
any window opens, so a bad key exits 3 naming it; then the Qt front end runs until its
windows close. Qt is imported only here, after the settings were checked.

Debug settings are refused on a till unless ``--unsafe-debug`` is given: simulated
liveness lets a photo pay, and the debug folder keeps a crop of every face analysed. The
demo never comes here: it is not a till.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from terminal.app.parts import Parts, build_parts
from terminal.cli import exit_codes
from terminal.cli.context import settings_with_db
from terminal.config import ConfigError, Settings
from terminal.errors import InputError
from terminal.private_files import make_private_folder

log = logging.getLogger(__name__)

UNSAFE_FLAG = "--unsafe-debug"


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``run`` to the ``facepay-terminal`` subcommands."""
    parser = commands.add_parser(
        "run", parents=[common], help="run the till: both screens, scanner, camera and sync"
    )
    parser.add_argument(
        UNSAFE_FLAG,
        action="store_true",
        help="allow face.liveness = 'simulated' and face.debug_dir (never where customers pay)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    check_debug_settings(settings, allowed=args.unsafe_debug)
    parts = build_parts(settings_with_db(args, settings))
    if parts.face_off_reason is not None:
        print(f"face pay is off: {parts.face_off_reason}", file=sys.stderr)
    if not _can_show_windows():
        parts.close()
        print(
            "no display: the till needs its screens (DISPLAY or WAYLAND_DISPLAY; the kiosk"
            " session sets them); 'facepay-terminal demo' runs offscreen",
            file=sys.stderr,
        )
        return exit_codes.BAD_INPUT
    return run_front_end(parts)


def _can_show_windows() -> bool:
    env = os.environ
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM"))


def run_front_end(parts: Parts) -> int:
    """Hand the parts to the Qt front end and run it until its windows close."""
    # Imported here: only commands with screens load Qt.
    from terminal.ui.app import run_terminal  # noqa: PLC0415

    return run_terminal(parts)


def unsafe_debug_settings(settings: Settings) -> list[str]:
    """The debug settings in ``settings`` that must not reach a till, each with why."""
    found = []
    if settings.face.liveness == "simulated":
        found.append('face.liveness = "simulated" (a photo passes as a live face)')
    if settings.face.debug_dir is not None:
        found.append("face.debug_dir (keeps a crop of every face the camera sees)")
    return found


def check_debug_settings(settings: Settings, *, allowed: bool) -> None:
    """Refuse the debug settings unless ``allowed``; when allowed, say so in the log and
    make the debug folder now, so a folder that cannot be made names its key."""
    unsafe = unsafe_debug_settings(settings)
    if not unsafe:
        return
    if not allowed:
        raise InputError(
            f"{settings.source}: a till does not run with {'; '.join(unsafe)}. Remove "
            f"{'them' if len(unsafe) > 1 else 'it'}, or give {UNSAFE_FLAG} to allow "
            f"{'them' if len(unsafe) > 1 else 'it'} on a test bench"
        )
    log.warning("running with unsafe debug settings: %s", "; ".join(unsafe))
    folder = settings.face.debug_dir
    if folder is not None:
        try:
            make_private_folder(folder)
        except OSError as exc:
            raise ConfigError(
                f"{settings.source}: face.debug_dir: cannot create {folder}: {exc}"
            ) from None
