"""LineAssembler: terminators, partial reads, over-long lines, noise."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.scanner.framing import FramingProblem, LineAssembler


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


def test_invalid_utf8_is_removed_and_reported() -> None:
    assembler = LineAssembler()
    framed = assembler.feed(b"12\xff34\x8056\r")
    assert framed.lines == ("123456",)
    assert framed.problems == (FramingProblem("invalid_utf8", 2),)


def test_control_characters_are_removed_but_gs_is_kept_for_gs1() -> None:
    lines, problems = feed_all([b"\x16\x00]C1\x0701095012345678903\x1d10ABC\x1b\r"])
    assert lines == ["]C101095012345678903\x1d10ABC"]
    assert problems == ["control_characters"]


def test_a_line_of_only_noise_is_reported_but_not_a_scan() -> None:
    lines, problems = feed_all([b"\x16T\x00\r"])
    assert lines == ["T"]  # the printable part of a trigger echo is data we cannot tell apart
    lines, problems = feed_all([b"\x00\x07\xff\r"])
    assert lines == []
    assert sorted(problems) == ["control_characters", "invalid_utf8"]


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
        st.sampled_from([b"\r", b"\n", b"\r\n", b"\x00", b"\x1d", b"\xff", b"\x16T\r"]),
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
