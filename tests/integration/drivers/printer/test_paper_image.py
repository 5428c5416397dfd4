"""The fake printer's byte stream drawn back as paper: a zh_CN receipt printed through the
real printer code into a file, read back and drawn as a PNG whose QR code scans back to
the order number (as a return will scan it)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.printer import PaperWidth, open_printer
from drivers.printer.paper import PrintedLine, lines_of, read_paper
from drivers.printer.paper_image import (
    LINE_SPACING,
    MARGIN,
    NO_FONT_BANNER,
    find_cjk_font,
    save_receipt_png,
)
from terminal.app.receipt_printing import print_order_receipt
from terminal.config import Settings
from tests.support.receipt_orders import paid_order

SETTINGS = Settings(device_id="T01", store_name="鲜果便利店")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _print(stream: Path, paper: PaperWidth) -> bytes:
    outcome = print_order_receipt(
        open_printer(f"file:{stream}", paper), paid_order(), SETTINGS, "zh_CN", open_drawer=True
    )
    assert outcome.printed
    return stream.read_bytes()


def _scan(png: Path) -> str:
    image = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    assert image is not None
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return text


@pytest.mark.parametrize("paper", list(PaperWidth))
def test_a_chinese_receipt_draws_to_a_png_whose_qr_code_scans_to_the_order_number(
    tmp_path: Path, paper: PaperWidth
) -> None:
    stream = _print(tmp_path / "receipts.bin", paper)
    png = tmp_path / f"receipt-{int(paper)}mm.png"
    drawn = save_receipt_png(stream, paper, png)
    assert drawn.font is not None and "CJK" in drawn.font
    assert drawn.width == paper.dots + 2 * MARGIN
    assert _scan(png) == "T01-20261122-0001"
    # The paper read back: the title large, the total bold and tall, the lines in Chinese.
    paper_lines = [i for i in read_paper(stream) if isinstance(i, PrintedLine)]
    title = paper_lines[0]
    assert (title.text, title.width, title.height, title.bold) == ("鲜果便利店", 2, 2, True)
    total = next(line for line in paper_lines if line.text.startswith("合计"))
    assert total.bold and total.height == 2 and total.text.endswith("￥16.99")
    assert len(total.text) + sum(not ch.isascii() for ch in total.text) == paper.columns
    assert "  0.500 千克 x 19.98/千克" in lines_of(read_paper(stream))
    # Ink where the big centred title is; none in the left margin above the cut line.
    pixels = np.asarray(cv2.imread(str(png), cv2.IMREAD_GRAYSCALE))
    assert pixels[MARGIN : MARGIN + 48, paper.dots // 2 - 40 : paper.dots // 2 + 40].min() < 64
    above_the_cut = drawn.height - MARGIN - LINE_SPACING
    assert pixels[:above_the_cut, : MARGIN - 2].min() == 255


def test_without_a_cjk_font_the_image_says_so_and_the_qr_code_still_scans(
    tmp_path: Path,
) -> None:
    stream = _print(tmp_path / "receipts.bin", PaperWidth.MM_58)
    png = tmp_path / "no-font.png"
    drawn = save_receipt_png(stream, PaperWidth.MM_58, png, find_font=False)
    assert drawn.font is None
    assert _scan(png) == "T01-20261122-0001"
    with_font = save_receipt_png(stream, PaperWidth.MM_58, tmp_path / "font.png")
    assert drawn.height == with_font.height + LINE_SPACING  # the banner line on top
    assert len(NO_FONT_BANNER) <= PaperWidth.MM_58.columns


def test_the_font_search_takes_the_monospaced_simplified_chinese_face_of_noto() -> None:
    if not NOTO_CJK.exists():
        pytest.skip(f"{NOTO_CJK} is not installed here")
    font = find_cjk_font()
    assert font is not None
    assert (font.path, font.name) == (NOTO_CJK, "Noto Sans Mono CJK SC Regular")


def test_an_english_receipt_draws_too(tmp_path: Path) -> None:
    english = dataclasses.replace(SETTINGS, store_name="Fresh Fruit")
    stream_path = tmp_path / "en.bin"
    print_order_receipt(open_printer(f"file:{stream_path}"), paid_order(), english, "en")
    drawn = save_receipt_png(stream_path.read_bytes(), PaperWidth.MM_80, tmp_path / "en.png")
    assert drawn.height > 400
    assert _scan(tmp_path / "en.png") == "T01-20261122-0001"
