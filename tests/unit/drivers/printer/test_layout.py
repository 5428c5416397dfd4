"""Where characters fall: 32 or 48 columns by paper width, CJK taking two, rows ending
at the right edge, and the plain-text form of a document."""

from __future__ import annotations

import pytest

from drivers.printer import Align, Feed, PaperWidth, QrCode, ReceiptDoc, Row, Rule, Style, Text
from drivers.printer.layout import (
    Line,
    as_text,
    display_width,
    lay_out,
    printed_width,
    printer_text,
    row,
)


def test_paper_widths_give_32_and_48_columns_of_12_dots() -> None:
    assert (PaperWidth.MM_58.columns, PaperWidth.MM_58.dots) == (32, 384)
    assert (PaperWidth.MM_80.columns, PaperWidth.MM_80.dots) == (48, 576)


def test_cjk_takes_two_columns_on_paper_and_on_screen() -> None:
    assert display_width("苹果 x2") == printed_width("苹果 x2") == 7
    # Paper and screen differ on "ambiguous" characters: a Chinese font prints × wide.
    assert (display_width("×"), printed_width("×")) == (1, 2)


@pytest.mark.parametrize("paper", list(PaperWidth))
def test_a_row_with_a_chinese_name_ends_exactly_at_the_edge(paper: PaperWidth) -> None:
    text = row("进口红富士苹果", "19.98", paper.columns, printed_width)
    assert printed_width(text) == paper.columns
    assert text.startswith("进口红富士苹果 ") and text.endswith(" 19.98")


def test_a_name_too_long_for_the_row_is_cut_before_a_double_cell_would_straddle() -> None:
    text = row("一二三四五六七八九十一二三四五六", "9.99", 32, printed_width)
    # 27 columns for the name: 13 characters (26), then one space of padding.
    assert text == "一二三四五六七八九十一二三" + " " + " " + "9.99"
    assert printed_width(text) == 32


def test_wide_lines_have_half_the_columns_and_rules_span_the_paper() -> None:
    doc = ReceiptDoc(
        (
            Text("x" * 40, Style(wide=True)),
            Rule("="),
            Row("a", "b", Style(wide=True)),
            QrCode("q"),
            Feed(2),
        )
    )
    laid = lay_out(doc, 32, printed_width)
    assert laid[0] == Line("x" * 16, Style(wide=True))
    assert laid[1] == Line("=" * 32, Style())
    assert laid[2] == Line("a" + " " * 14 + "b", Style(wide=True))
    assert laid[3:] == [QrCode("q"), Feed(2)]


def test_printer_text_replaces_controls_and_what_no_gbk_font_holds() -> None:
    assert printer_text("a\tb\x1b\x7fc") == "a?b??c"
    assert printer_text("¥1\u00a0件") == "￥1 件"
    assert printer_text("𠀀") == "?"  # CJK extension B: four bytes in GB18030


def test_as_text_centres_by_display_width_and_leaves_out_the_qr_code() -> None:
    doc = ReceiptDoc(
        (
            Text("超市", Style(align=Align.CENTER)),
            Text("r", Style(align=Align.RIGHT)),
            QrCode("T01"),
            Row("合计", "¥9.99"),
        )
    )
    assert as_text(doc, 10).splitlines() == ["   超市   ", "         r", "合计 ¥9.99"]
