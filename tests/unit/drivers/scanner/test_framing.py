"""LineAssembler: terminators, partial reads, over-long lines, lines dropped for noise."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.scanner.framing import PREVIEW_BYTES, FramingProblem, LineAssembler


def feed_all(chunks: list[bytes], max_line_bytes: int = 4096) -> tuple[list[str], list[str]]:
    assembler = LineAssembler(max_line_bytes)
    lines: list[str] = []
    problems: list[str] = []
    for chunk in chunks:
        framed = assembler.feed(chunk)
        lines += framed.lines
        problems += [problem.kind for problem in framed.problems]
    return lines, problems


def test_cr_lf_and_crlf_each_end_one_scan() -> None:
    lines, problems = feed_all([b"111\r222\n333\r\n444\r\n"])
    assert lines == ["111", "222", "333", "444"]
    assert problems == []


def test_a_partial_line_is_kept_until_its_terminator_arrives() -> None:
    assembler = LineAssembler()
    assert assembler.feed(b"69102").lines == ()
    assert assembler.pending_bytes == 5
    assert assembler.feed(b"63003").lines == ()
    assert assembler.feed(b"875\r").lines == ("6910263003875",)
    assert assembler.pending_bytes == 0


def test_crlf_split_between_two_reads_is_one_terminator_not_an_empty_scan() -> None:
    lines, problems = feed_all([b"123\r", b"\n456\r", b"\n"])
    assert lines == ["123", "456"]
    assert problems == []


def test_empty_and_blank_lines_are_ignored() -> None:
    assert feed_all([b"\r\n\r\n\n\r   \r123\n\n"])[0] == ["123"]


def test_overlong_line_is_dropped_and_reading_resyncs_at_the_next_terminator() -> None:
    lines, problems = feed_all([b"a" * 10 + b"\r" + b"y" * 65 + b"tail\r999\r"], 64)
    assert lines == ["a" * 10, "999"]
    assert problems == ["overlong_line"]


def test_overlong_line_fed_byte_by_byte_is_reported_once() -> None:
    data = b"y" * 200 + b"\n" + b"123\n"
    lines, problems = feed_all([bytes([b]) for b in data], max_line_bytes=64)
    assert lines == ["123"]
    assert problems == ["overlong_line"]


def test_a_line_of_exactly_the_limit_is_kept() -> None:
    assert feed_all([b"7" * 64 + b"\r"], max_line_bytes=64) == (["7" * 64], [])


# One line of each kind of bad byte, each with a good EAN around it, so that nothing but
# the bad byte can be why the line is dropped.
_BAD_LINES = {
    "nul": (b"6910263\x00003875", "control_characters", "00"),
    "bel": (b"6910263\x07003875", "control_characters", "07"),
    "backspace": (b"69102630038755\x08", "control_characters", "08"),
    "tab": (b"6910263003875\t", "control_characters", "09"),
    "syn_of_a_trigger_echo": (b"\x16T", "control_characters", "16"),
    "other_c0_fs": (b"6910263\x1c003875", "control_characters", "1c"),
    "other_c0_rs": (b"6910263\x1e003875", "control_characters", "1e"),
    "other_c0_us": (b"6910263\x1f003875", "control_characters", "1f"),
    "del": (b"6910263\x7f003875", "control_characters", "7f"),
    "esc_alone": (b"\x1b6910263003875", "control_characters", "1b"),
    "ansi_clear_screen": (b"\x1b[2J", "control_characters", "1b"),
    "ansi_colour_around_a_code": (b"\x1b[31m6910263003875\x1b[0m", "control_characters", "1b 1b"),
    "c1_csi_as_utf8": ("\u009b2J6910263003875".encode(), "control_characters", "c2 9b"),
    "c1_nel_as_utf8": ("6910263003875\u0085".encode(), "control_characters", "c2 85"),
    "c1_raw_csi_byte": (b"\x9b2J6910263003875", "invalid_utf8", "9b"),
    "invalid_byte_ff": (b"6910263\xff003875", "invalid_utf8", "ff"),
    "lone_continuation_byte": (b"6910263\x80003875", "invalid_utf8", "80"),
    "truncated_multibyte": ("商".encode()[:2] + b"123", "invalid_utf8", "e5 95"),
    "overlong_encoding_of_slash": (b"\xc0\xaf6910263003875", "invalid_utf8", "c0 af"),
    "utf8_encoded_surrogate": (b"\xed\xa0\x806910263003875", "invalid_utf8", "ed a0 80"),
}


@pytest.mark.parametrize("line", list(_BAD_LINES.values()), ids=list(_BAD_LINES))
def test_a_line_with_a_byte_that_is_not_data_is_dropped_whole_and_reported_once(
    line: tuple[bytes, str, str],
) -> None:
    data, kind, preview = line
    framed = LineAssembler().feed(b"5901234123457\r" + data + b"\r96385074\r")
    assert framed.lines == ("5901234123457", "96385074")
    assert [(p.kind, p.line_bytes, p.preview) for p in framed.problems] == [
        (kind, len(data), preview)
    ]


def test_nul_invalid_utf8_and_ansi_clear_screen_in_one_line_is_one_problem_no_scan() -> None:
    lines, problems = feed_all([bytes.fromhex("00 ff fe 1b 5b 32 4a 0d 0a")])
    assert lines == []
    assert problems == ["invalid_utf8"]  # undecodable bytes name the line when both occur


def test_a_good_line_right_after_a_bad_one_comes_through() -> None:
    for terminator in (b"\r", b"\n", b"\r\n"):
        lines, problems = feed_all([b"\x1b[2J" + terminator + b"5901234123457" + terminator])
        assert lines == ["5901234123457"]
        assert problems == ["control_characters"]


def test_a_bad_line_split_across_reads_is_still_dropped_and_the_next_line_kept() -> None:
    data = b"69102\x00" + "商".encode()[:1] + b"63003875\r\n5901234123457\r\n"
    lines, problems = feed_all([bytes([b]) for b in data])
    assert lines == ["5901234123457"]
    assert problems == ["invalid_utf8"]


def test_gs_is_kept_inside_a_gs1_line() -> None:
    lines, problems = feed_all([b"]C101095012345678903\x1d10ABC\x1d17261231\r\n"])
    assert lines == ["]C101095012345678903\x1d10ABC\x1d17261231"]
    assert problems == []


def test_gs_does_not_excuse_another_control_character_in_the_same_line() -> None:
    lines, problems = feed_all([b"]C101095012345678903\x1d10ABC\x1b\r"])
    assert lines == []
    assert problems == ["control_characters"]


def test_printable_ascii_and_other_printable_utf8_are_scans_as_before() -> None:
    printable = bytes(range(0x20, 0x7F))
    lines, problems = feed_all([printable + b"\r", "商品123 ½€\r".encode()])
    assert lines == [printable.decode(), "商品123 ½€"]
    assert problems == []


def test_a_problem_counts_both_kinds_and_previews_only_a_few_offending_bytes() -> None:
    framed = LineAssembler().feed(b"\x001345\xff6789\x1b0123\xfe456789\x07\x08\r")
    (problem,) = framed.problems
    assert problem == FramingProblem(
        "invalid_utf8",
        line_bytes=24,
        invalid_bytes=2,
        control_characters=4,
        preview="00 ff 1b fe",
    )
    assert len(problem.preview.split()) == PREVIEW_BYTES


def test_a_dropped_line_is_described_without_its_data() -> None:
    code = "134567890123456789"  # as good as cash: none of it may be shown
    framed = LineAssembler().feed(b"\x1b[2J" + code.encode() + b"\r")
    (problem,) = framed.problems
    shown = problem.describe() + repr(problem) + repr(problem.log_fields())
    assert "control character" in problem.describe()
    assert "1b" in problem.describe()
    for piece in (code[:6], code[6:12], code[12:]):
        assert piece not in shown


def test_a_line_of_only_whitespace_is_ignored_silently() -> None:
    assert feed_all([b"   \r \r\n"]) == ([], [])


def test_a_multibyte_character_split_between_reads_is_reassembled() -> None:
    data = "商品123\r".encode()
    assert feed_all([data[:1], data[1:4], data[4:]]) == (["商品123"], [])


def test_reset_forgets_the_unfinished_line() -> None:
    assembler = LineAssembler()
    assembler.feed(b"12345")
    assert assembler.reset() == 5
    assert assembler.feed(b"678\r").lines == ("678",)


_streams = st.lists(
    st.one_of(
        st.sampled_from(
            [b"\r", b"\n", b"\r\n", b"\x00", b"\x1d", b"\xff", b"\x16T\r", b"\x1b[2J", b"\xc2\x9b"]
        ),
        st.binary(min_size=1, max_size=30),
        st.text(alphabet="0123456789]ACEQd", min_size=1, max_size=40).map(str.encode),
    ),
    max_size=30,
).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(stream=_streams, cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=20))
def test_any_split_of_a_stream_into_reads_yields_the_same_scans(
    stream: bytes, cuts: list[int]
) -> None:
    points = sorted({cut % (len(stream) + 1) for cut in cuts})
    chunks = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]
    assert feed_all(chunks, max_line_bytes=64) == feed_all([stream], max_line_bytes=64)


@settings(max_examples=300, deadline=None)
@given(stream=_streams)
def test_no_scan_ever_holds_a_control_character_but_gs_or_an_undecodable_byte(
    stream: bytes,
) -> None:
    lines, _ = feed_all([stream], max_line_bytes=64)
    for line in lines:
        assert all(ch == "\x1d" or unicodedata.category(ch) not in ("Cc", "Cs") for ch in line)
