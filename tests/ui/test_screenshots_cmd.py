"""``facepay-terminal screenshots OUTDIR`` writes every state of both screens."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from terminal.cli import screenshots_cmd
from terminal.config import Settings
from terminal.demo.screenshots import SIZE, STATES

# Kept after the run (git ignores it): the screenshots are the UI's test artifacts.
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def test_screenshots_cover_every_state_of_both_screens_in_both_languages(
    qapp: QApplication,
) -> None:
    out = ARTIFACTS
    shutil.rmtree(out, ignore_errors=True)
    code = screenshots_cmd.run(argparse.Namespace(outdir=out, language=None), Settings())
    assert code == 0
    expected = {
        f"{screen}-{state}-{lang}.png"
        for lang in ("zh_CN", "en")
        for state in STATES
        for screen in ("cashier", "customer")
        if not (screen == "customer" and state == "reprint")
    }
    assert {p.name for p in out.iterdir()} == expected
    for path in out.iterdir():
        assert path.stat().st_size > 0
        image = QImage(str(path))
        assert (image.width(), image.height()) == SIZE, path.name
