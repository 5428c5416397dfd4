"""``save_receipt_png``: the paper an ESC/POS stream would print, drawn as a PNG, for
tests and screenshots of the fake printer's file.

Drawn dot for dot as a 203 dpi printer would: 12 x 24 dot cells for ASCII and 24 x 24 for
two-byte characters, sizes enlarged by whole dots, the QR code with OpenCV's encoder at
its module size, a cut as a dashed line. Text uses a CJK font found on the system
(``find_cjk_font``: Noto Sans Mono CJK SC first, its cells match a printer's); with
none, every CJK character is drawn as an empty box under a banner that says so, never as
nothing. Pillow is imported only when drawing (it comes with the demo extra), and a
missing Pillow is a ``PaperImageError`` that says so.

What must not live here: anything the product runs (the product never imports this).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from drivers.printer.commands import Align
from drivers.printer.document import PaperWidth
from drivers.printer.paper import Cut, Printed, PrintedLine, PrintedQr, read_paper

try:
    from PIL import Image, ImageDraw, ImageFont

    _NO_PILLOW: str | None = None
except ImportError as exc:  # drawing says so; reading paper (paper.py) needs no Pillow
    _NO_PILLOW = str(exc)

MARGIN = 16
CELL_W, CELL_H = 12, 24
LINE_SPACING = 30  # ESC 2: the default 1/6 inch line at 180 dpi, as most models keep
_FONT_SIZE = 24
_BASELINE = 21
NO_FONT_BANNER = "NO CJK FONT: CJK AS BOXES"  # fits 32 columns

FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
# File names of CJK fonts, best first, and the face to take from a collection.
_FONT_FILES = (
    ("NotoSansCJK-Regular.ttc", "Noto Sans Mono CJK SC"),
    ("NotoSansMonoCJKsc-Regular.otf", ""),
    ("NotoSansCJKsc-Regular.otf", ""),
    ("SourceHanSansSC-Regular.otf", ""),
    ("wqy-microhei.ttc", ""),
    ("wqy-zenhei.ttc", ""),
    ("DroidSansFallbackFull.ttf", ""),
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
)


class PaperImageError(Exception):
    """The image cannot be drawn: Pillow is not installed."""


@dataclass(frozen=True, slots=True)
class FontChoice:
    path: Path
    index: int
    name: str


@dataclass(frozen=True, slots=True)
class ReceiptImage:
    path: Path
    width: int
    height: int
    font: str | None  # the CJK font's face name; None: drawn without one (boxes)


def _need_pillow() -> None:
    if _NO_PILLOW is not None:
        raise PaperImageError(
            "drawing a receipt needs Pillow (pip install 'facepay-terminal[demo]' or pillow):"
            f" {_NO_PILLOW}"
        )


def find_cjk_font(dirs: tuple[Path, ...] = FONT_DIRS) -> FontChoice | None:
    """The best CJK font installed (``FACEPAY_CJK_FONT`` names a file to use instead)."""
    _need_pillow()
    named = os.environ.get("FACEPAY_CJK_FONT")
    candidates = [(Path(named), "")] if named else []
    for file_name, face in _FONT_FILES:
        for folder in dirs:
            if folder.is_dir():
                candidates += [(p, face) for p in sorted(folder.rglob(file_name))]
    for path, face in candidates:
        faces = []
        for index in range(16):
            try:
                font = ImageFont.truetype(str(path), _FONT_SIZE, index=index)
            except OSError:
                break
            faces.append(FontChoice(path, index, " ".join(filter(None, font.getname()))))
        chosen = next((f for f in faces if f.name.startswith(face)), faces[0] if faces else None)
        if chosen is not None:
            return chosen
    return None


class _Fonts:
    def __init__(self, choice: FontChoice | None) -> None:
        self.choice = choice
        self.cjk: ImageFont.FreeTypeFont | None = (
            ImageFont.truetype(str(choice.path), _FONT_SIZE, index=choice.index) if choice else None
        )
        self.latin = self.cjk or ImageFont.load_default(size=_FONT_SIZE - 2)


def _line_image(line: PrintedLine, fonts: _Fonts) -> Image.Image:
    cells = [CELL_W if ch.isascii() else CELL_W * 2 for ch in line.text]
    image = Image.new("L", (max(1, sum(cells)), CELL_H + 2), 255)
    draw = ImageDraw.Draw(image)
    x = 0
    for ch, cell in zip(line.text, cells, strict=True):
        font = fonts.latin if ch.isascii() else fonts.cjk
        if font is None:
            draw.rectangle((x + 2, 3, x + cell - 3, CELL_H - 2), outline=0)
        else:
            left = x + (cell - font.getlength(ch)) / 2
            for dx in (0, 1) if line.bold else (0,):  # bold is a double strike
                draw.text((left + dx, _BASELINE), ch, font=font, fill=0, anchor="ls")
        x += cell
    if (line.width, line.height) != (1, 1):
        size = (image.width * line.width, image.height * line.height)
        image = image.resize(size, Image.Resampling.NEAREST)
    return image


def _qr_image(qr: PrintedQr, fonts: _Fonts) -> Image.Image:
    params = cv2.QRCodeEncoder.Params()
    params.correction_level = "LMQH".index(qr.error_level)
    try:
        modules = cv2.QRCodeEncoder.create(params).encode(qr.data.decode("utf-8"))
    except (cv2.error, UnicodeDecodeError):
        box = Image.new("L", (CELL_W * 24, CELL_H * 4), 255)
        draw = ImageDraw.Draw(box)
        draw.rectangle((0, 0, box.width - 1, box.height - 1), outline=0)
        draw.text((8, 8), f"QR {qr.data!r}", font=fonts.latin, fill=0)
        return box
    dots = np.kron(modules, np.ones((qr.module_dots, qr.module_dots), dtype=np.uint8))
    return Image.fromarray(dots.astype(np.uint8), mode="L")


def _cut_image(width: int) -> Image.Image:
    image = Image.new("L", (width, LINE_SPACING), 255)
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 12):
        draw.line((x, LINE_SPACING // 2, x + 6, LINE_SPACING // 2), fill=0, width=2)
    return image


def render_paper(paper: list[Printed], width: PaperWidth, font: FontChoice | None) -> Image.Image:
    """The paper as a grey-scale image ``width.dots`` wide plus margins."""
    _need_pillow()
    fonts = _Fonts(font)
    pieces: list[tuple[Image.Image, Align, int]] = []  # image, alignment, height on the paper
    if font is None:
        banner = PrintedLine(NO_FONT_BANNER[: width.columns], bold=True)
        pieces.append((_line_image(banner, fonts), Align.LEFT, LINE_SPACING))
    for item in paper:
        if isinstance(item, PrintedLine):
            image = _line_image(item, fonts)
            pieces.append((image, item.align, max(LINE_SPACING, image.height + 6)))
        elif isinstance(item, PrintedQr):
            image = _qr_image(item, fonts)
            pieces.append((image, item.align, image.height + 6))
        elif isinstance(item, Cut):
            pieces.append((_cut_image(width.dots + 2 * MARGIN), Align.LEFT, LINE_SPACING))
    height = 2 * MARGIN + sum(h for _, _, h in pieces)
    sheet = Image.new("L", (width.dots + 2 * MARGIN, height), 255)
    y = MARGIN
    for image, align, piece_height in pieces:
        room = width.dots - image.width
        x = MARGIN + {Align.LEFT: 0, Align.CENTER: room // 2, Align.RIGHT: room}[align]
        if image.width > width.dots:  # the cut line spans the margins
            x = 0
        sheet.paste(image, (max(0, x), y))
        y += piece_height
    return sheet


def save_receipt_png(
    stream: bytes,
    width: PaperWidth,
    out: Path,
    *,
    font: FontChoice | None = None,
    find_font: bool = True,
) -> ReceiptImage:
    """Draw ``stream`` to the PNG ``out`` with ``font``, else the one ``find_cjk_font``
    finds (``find_font`` False: draw without a CJK font, as on a machine with none). A
    stream this reader does not know raises ``paper.PaperError``."""
    chosen = font or (find_cjk_font() if find_font else None)
    image = render_paper(read_paper(stream), width, chosen)
    image.save(out, format="PNG")
    return ReceiptImage(out, image.width, image.height, chosen.name if chosen else None)
