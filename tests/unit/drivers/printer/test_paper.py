"""Reading a stream back: what the paper shows, and a clear error for anything outside
the subset (a test must not pass over bytes it does not understand)."""

from __future__ import annotations

import pytest

from drivers.printer.commands import Align
from drivers.printer.paper import (
    Cut,
    DrawerPulse,
    PaperError,
    PrintedLine,
    StatusRequest,
    lines_of,
    read_paper,
)


def test_status_requests_and_real_time_pulses_print_nothing_but_are_kept() -> None:
    stream = bytes.fromhex("10 04 01 10 04 04 10 14 01 00 01")
    assert read_paper(stream) == [
        StatusRequest(1),
        StatusRequest(4),
        DrawerPulse(pin=2, on_ms=100, real_time=True),
    ]


def test_init_resets_the_modes_and_drops_an_unfinished_line() -> None:
    stream = bytes.fromhex("1c 26 1b 45 01 1b 61 02") + b"lost" + bytes.fromhex("1b 40") + b"x\n"
    assert read_paper(stream) == [PrintedLine("x")]


def test_without_chinese_mode_text_is_ascii_and_with_it_gb18030() -> None:
    chinese = bytes.fromhex("ba cf bc c6 0a")
    assert lines_of(read_paper(bytes.fromhex("1c 26") + chinese)) == ["合计"]
    assert lines_of(read_paper(chinese)) != ["合计"]


def test_a_feed_is_blank_lines_and_text_before_a_cut_is_printed() -> None:
    paper = read_paper(
        b"a\n" + bytes.fromhex("1b 64 02 1b 61 01") + b"b" + bytes.fromhex("1d 56 01")
    )
    assert paper == [
        PrintedLine("a"),
        PrintedLine(""),
        PrintedLine(""),
        PrintedLine("b", align=Align.CENTER),
        Cut(partial=True),
    ]


@pytest.mark.parametrize(
    ("stream", "message"),
    [
        (b"ok\n\x07", "unknown control byte 0x07 at byte 3"),
        (bytes.fromhex("1b 21 00"), "unknown command ESC 0x21 at byte 0"),
        (bytes.fromhex("1b 61 07"), "alignment 7"),
        (bytes.fromhex("1d 28 6b 10 00 31"), "cut short"),
        (bytes.fromhex("1d 28 6b 03 00 31 45 39"), "QR error level 57"),
        (bytes.fromhex("1b 70 00"), "ESC p at byte 2 is cut short"),
    ],
)
def test_what_the_reader_does_not_know_is_an_error_naming_where(
    stream: bytes, message: str
) -> None:
    with pytest.raises(PaperError, match=message):
        read_paper(stream)
