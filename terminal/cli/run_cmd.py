"""``facepay-terminal run [--config FILE]``: the till on its real devices.

The settings (``[ui] [scanner] [camera] [face] [sync]``, the store, the registration
beside it) become ``Parts`` (``terminal/app/parts.py``, the one composition root) before
any window opens, so a bad key exits 3 naming it; then the Qt front end runs until its
windows close. Qt is imported only here, after the settings were checked.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from terminal.app.parts import Parts, build_parts
from terminal.cli import exit_codes
from terminal.cli.context import settings_with_db
from terminal.config import Settings


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``run`` to the ``facepay-terminal`` subcommands."""
    parser = commands.add_parser(
        "run", parents=[common], help="run the till: both screens, scanner, camera and sync"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
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
