"""A document as the exact byte stream of one job: init, Chinese mode and GB18030 text,
styles sent only where they change, the QR code, the drawer kick, the cut; and what a
catalog name must not smuggle into the stream."""

from __future__ import annotations

from drivers.printer import (
    Align,
    PaperWidth,
    QrCode,
    ReceiptDoc,
    Row,
    Rule,
    Style,
    Text,
    encode,
)
from drivers.printer.paper import Cut, DrawerPulse, PrintedLine, PrintedQr, read_paper

TOTAL = Style(bold=True, tall=True)


def test_an_ascii_receipt_is_init_lines_and_cut_without_chinese_mode() -> None:
    doc = ReceiptDoc((Text("Demo Store", Style(align=Align.CENTER)), Row("TOTAL", "3.50")))
    assert encode(doc, PaperWidth.MM_58) == (
        bytes.fromhex("1b 40")  # ESC @
        + bytes.fromhex("1b 61 01")  # centred
        + b"Demo Store\n"
        + bytes.fromhex("1b 61 00")  # back to the left for the row
        + b"TOTAL"
        + b" " * 23
        + b"3.50\n"  # 32 columns on 58 mm paper
        + bytes.fromhex("1d 56 42 00")  # partial cut
    )


def test_chinese_text_goes_as_gb18030_after_fs_and_the_total_is_bold_and_tall() -> None:
    doc = ReceiptDoc((Row("合计", "16.99", TOTAL),), cut=False)
    assert encode(doc, PaperWidth.MM_58) == (
        bytes.fromhex("1b 40 1c 26")  # ESC @, FS & (Chinese mode)
        + bytes.fromhex("1b 45 01")  # bold
        + bytes.fromhex("1d 21 01")  # double height only: the columns stay 32
        + bytes.fromhex("ba cf bc c6")  # 合计 in GB18030, two columns each
        + b" " * 23
        + b"16.99\n"
    )


def test_a_style_command_is_sent_only_when_the_style_changes() -> None:
    doc = ReceiptDoc((Text("a", TOTAL), Text("b", TOTAL), Text("c")), cut=False)
    assert encode(doc, PaperWidth.MM_80) == (
        bytes.fromhex("1b 40")
        + bytes.fromhex("1b 45 01 1d 21 01")
        + b"a\nb\n"
        + bytes.fromhex("1b 45 00 1d 21 00")
        + b"c\n"
    )


def test_the_qr_code_drawer_kick_and_cut_end_the_job_in_that_order() -> None:
    doc = ReceiptDoc((QrCode("T01-20261122-0001"),), open_drawer=True)
    assert encode(doc, PaperWidth.MM_80, drawer_pin=2) == (
        bytes.fromhex("1b 40")
        + bytes.fromhex("1b 61 01")  # the QR code is centred
        + bytes.fromhex("1d 28 6b 04 00 31 41 32 00")
        + bytes.fromhex("1d 28 6b 03 00 31 43 06")
        + bytes.fromhex("1d 28 6b 03 00 31 45 31")
        + bytes.fromhex("1d 28 6b 14 00 31 50 30")
        + b"T01-20261122-0001"
        + bytes.fromhex("1d 28 6b 03 00 31 51 30")
        + bytes.fromhex("1b 70 00 32 fa")  # ESC p: pin 2, 100 ms on, 500 ms off
        + bytes.fromhex("1d 56 42 00")
    )


def test_without_a_drawer_the_kick_is_left_out() -> None:
    doc = ReceiptDoc((Text("x"),), open_drawer=True)
    assert b"\x1bp" not in encode(doc, PaperWidth.MM_80, drawer_pin=None)
    assert encode(doc, PaperWidth.MM_80, drawer_pin=5).endswith(
        bytes.fromhex("1b 70 01 32 fa 1d 56 42 00")
    )


def test_a_catalog_name_cannot_send_a_command() -> None:
    # A name holding ESC p (the drawer kick) and GS V (a cut) prints as text.
    doc = ReceiptDoc((Row("Water\x1bp\x00\x19\xfa\x1dV\x00", "1.00"),), cut=False)
    stream = encode(doc, PaperWidth.MM_80)
    assert stream.count(b"\x1b") == 1  # ESC @ only
    assert b"\x1d" not in stream
    [line] = read_paper(stream)
    assert isinstance(line, PrintedLine)
    assert line.text.startswith("Water?p??") and line.text.endswith("1.00")


def test_the_yen_sign_prints_as_its_fullwidth_gbk_form_and_the_row_still_ends_at_the_edge() -> None:
    stream = encode(ReceiptDoc((Row("合计", "¥16.99"),), cut=False), PaperWidth.MM_58)
    assert bytes.fromhex("a3 a4") + b"16.99\n" in stream  # ￥, two columns
    [line] = read_paper(stream)
    assert isinstance(line, PrintedLine)
    assert line.text == "合计" + " " * 21 + "￥16.99"  # 4 + 21 + 7 = 32 columns


def test_a_character_outside_gbk_prints_as_a_question_mark() -> None:
    stream = encode(ReceiptDoc((Text("苹果😀"),), cut=False), PaperWidth.MM_58)
    assert stream.endswith(bytes.fromhex("c6 bb b9 fb") + b"?\n")


def test_a_wide_title_is_cut_at_half_the_columns() -> None:
    title = Style(wide=True, align=Align.CENTER)
    stream = encode(ReceiptDoc((Text("一二三四五六七八九十", title),)), PaperWidth.MM_58)
    line = read_paper(stream)[0]
    assert isinstance(line, PrintedLine)
    assert (line.text, line.width) == ("一二三四五六七八", 2)  # 16 columns, double width


def test_the_stream_reads_back_as_the_document() -> None:
    doc = ReceiptDoc(
        (
            Text("鲜果便利店", Style(bold=True, wide=True, tall=True, align=Align.CENTER)),
            Rule(),
            Row("苹果", "9.99"),
            Row("合计", "9.99", TOTAL),
            QrCode("T01-20261122-0001", module_dots=5),
        ),
        open_drawer=True,
    )
    paper = read_paper(encode(doc, PaperWidth.MM_80, drawer_pin=2))
    assert paper == [
        PrintedLine("鲜果便利店", bold=True, width=2, height=2, align=Align.CENTER),
        PrintedLine("-" * 48),
        PrintedLine("苹果" + " " * 40 + "9.99"),
        PrintedLine("合计" + " " * 40 + "9.99", bold=True, height=2),
        PrintedQr(b"T01-20261122-0001", 5, "M", Align.CENTER),
        DrawerPulse(pin=2, on_ms=100, real_time=False),
        Cut(partial=True),
    ]
