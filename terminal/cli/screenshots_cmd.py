"""``facepay-terminal screenshots OUTDIR``: every state of both screens as PNG files.

Runs offscreen when there is no display (``QT_QPA_PLATFORM=offscreen`` is set for it),
on a throw-away store with the demo catalog, in zh_CN and en.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from terminal.cli import exit_codes
from terminal.config import Settings


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``screenshots`` to the ``facepay-terminal`` subcommands."""
    parser = commands.add_parser(
        "screenshots", parents=[common], help="render both screens in every state to PNG"
    )
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    parser.add_argument(
        "--language", choices=["zh_CN", "en"], action="append", help="only these (repeatable)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        # Screenshots need no screen; set before Qt is imported below.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from terminal.demo.screenshots import render_screenshots  # noqa: PLC0415 (after the env)
    from terminal.ui.strings import Language  # noqa: PLC0415

    languages = [Language(code) for code in args.language] if args.language else list(Language)
    written = render_screenshots(args.outdir, settings, languages)
    for path in written:
        print(path)
    return exit_codes.OK
