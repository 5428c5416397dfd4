"""Fonts and style sheets: the CJK font and ``assets/ui/*.qss``.

Kiosk images and the offscreen platform may have no fontconfig match for Chinese, which
shows as empty boxes ("tofu"), so the Noto CJK files are loaded into the application
explicitly when present and made the default family. Styles live in QSS files so that a
store can restyle without touching code.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from terminal import resources

log = logging.getLogger(__name__)

ASSETS = resources.ui_styles()
FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/noto-cjk"),
)
CJK_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc")
UI_FAMILY = "Noto Sans CJK SC"
MONO_FAMILY = "Noto Sans Mono CJK SC"


def load_fonts(app: QApplication) -> bool:
    """Register the Noto CJK fonts and make them the default; False if none was found."""
    found = False
    for folder in FONT_DIRS:
        for name in CJK_FILES:
            path = folder / name
            if path.is_file() and QFontDatabase.addApplicationFont(str(path)) >= 0:
                found = True
    if UI_FAMILY in QFontDatabase.families():
        font = QFont(UI_FAMILY)
        font.setPointSize(11)
        app.setFont(font)
        return True
    if not found:
        log.warning(
            "no CJK font found: Chinese text will not render",
            extra={
                "looked_in": [str(d) for d in FONT_DIRS],
                "hint": "apt-get install fonts-noto-cjk",
            },
        )
    return found


def mono_font(point_size: int = 12) -> QFont:
    """A fixed-pitch font whose CJK glyphs are two columns wide, for receipts."""
    family = MONO_FAMILY if MONO_FAMILY in QFontDatabase.families() else "monospace"
    font = QFont(family, point_size)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def stylesheet(name: str) -> str:
    """The text of ``assets/ui/<name>.qss`` (empty, and logged, if it is missing)."""
    path = ASSETS / f"{name}.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("style sheet missing", extra={"path": str(path), "error": str(exc)})
        return ""
