"""``facepay-terminal screenshots OUTDIR`` writes every state of both screens."""

from __future__ import annotations

import argparse
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from terminal.cli import screenshots_cmd
from terminal.config import Settings
from terminal.ui.screenshots import SIZE, STATES


def test_screenshots_cover_every_state_of_both_screens_in_both_languages(
    qapp: QApplication, tmp_path: Path
) -> None:
    out = tmp_path / "shots"
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
