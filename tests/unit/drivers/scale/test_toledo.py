"""ToledoFrames: every state a frame can carry, units and decimal points to whole grams,
frames split across reads, garbage and failed frames dropped and reported, checksums."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.scale.events import Weight, WeightState
from drivers.scale.simulator import toledo_frame, weight_frame
from drivers.scale.toledo import FRAME_BYTES, Decoded, FrameProblem, ToledoFrames, checksum


def feed_all(
    chunks: list[bytes], *, with_checksum: bool = False, max_run_bytes: int = 256
) -> tuple[list[Weight], list[FrameProblem]]:
    """Feed ``chunks`` in turn, then reset (as an unplug does): everything heard."""
    frames = ToledoFrames(with_checksum=with_checksum, max_run_bytes=max_run_bytes)
    weights: list[Weight] = []
    problems: list[FrameProblem] = []
    for chunk in chunks:
        decoded = frames.feed(chunk)
        weights += decoded.weights
        problems += decoded.problems
    problems += frames.reset()
    return weights, problems


def one(frame: bytes, *, with_checksum: bool = False) -> Weight:
    decoded = ToledoFrames(with_checksum=with_checksum).feed(frame)
    assert decoded.problems == ()
    (weight,) = decoded.weights
    return weight


# -- what one frame says ---------------------------------------------------------------


def test_a_stable_positive_weight_in_kg_with_three_decimals_is_whole_grams() -> None:
    frame = toledo_frame(1234, decimals=3)
    assert frame == b"\x02-0 001234000000\r"
    assert one(frame) == Weight(WeightState.POSITIVE, 1234, stable=True)


def test_motion_makes_a_reading_unstable() -> None:
    weight = one(toledo_frame(385, motion=True))
    assert (weight.grams, weight.stable, weight.state) == (385, False, WeightState.POSITIVE)


def test_zero_is_its_own_state_with_or_without_the_sign_bit() -> None:
    assert one(toledo_frame(0)).state is WeightState.ZERO
    assert one(toledo_frame(0, negative=True)) == Weight.of(0)


def test_the_sign_bit_makes_a_negative_weight() -> None:
    weight = one(toledo_frame(25, negative=True))
    assert (weight.grams, weight.state) == (-25, WeightState.NEGATIVE)


def test_out_of_range_is_overload_and_out_of_range_below_zero_is_underload() -> None:
    over = one(toledo_frame(999999, out_of_range=True))
    under = one(toledo_frame(0, out_of_range=True, negative=True, motion=True))
    assert (over.state, over.grams, over.overload) == (WeightState.OVERLOAD, None, True)
    assert (under.state, under.grams, under.underload, under.stable) == (
        WeightState.UNDERLOAD,
        None,
        True,
        False,
    )


def test_net_weight_carries_the_tare_in_grams() -> None:
    weight = one(toledo_frame(500, decimals=3, net=True, tare_digits=120))
    assert (weight.grams, weight.net, weight.tare_grams) == (500, True, 120)


@pytest.mark.parametrize(
    ("digits", "decimals", "unit", "grams"),
    [
        (12, -2, "g", 1200),  # two dummy zeros
        (12, -1, "g", 120),  # one dummy zero
        (385, 0, "g", 385),
        (3855, 1, "g", 386),  # 385.5 g, half up
        (3854, 1, "g", 385),
        (1, 0, "kg", 1000),
        (15, 1, "kg", 1500),
        (125, 2, "kg", 1250),
        (1250, 3, "kg", 1250),
        (12345, 4, "kg", 1235),  # 1234.5 g, half up
        (12344, 4, "kg", 1234),
        (123456, 5, "kg", 1235),  # 1234.56 g
        (15, -2, "kg", 1_500_000),
        (2, 3, "t", 2000),
    ],
)
def test_every_decimal_point_and_unit_becomes_whole_grams(
    digits: int, decimals: int, unit: str, grams: int
) -> None:
    frame = toledo_frame(digits, decimals=decimals, unit=unit)  # type: ignore[arg-type]
    assert one(frame).grams == grams


def test_the_increment_bits_do_not_change_the_weight() -> None:
    for increment in (1, 2, 5):
        assert one(toledo_frame(1250, increment=increment)).grams == 1250


def test_leading_zeros_sent_as_spaces_and_a_blank_tare_read_as_numbers() -> None:
    assert toledo_frame(385, leading_spaces=True)[4:16] == b"   385     0"
    assert one(toledo_frame(385, leading_spaces=True)) == Weight.of(385)
    blank_tare = toledo_frame(385)[:10] + b" " * 6 + b"\r"
    assert one(blank_tare).tare_grams == 0


def test_a_blank_weight_in_range_is_no_reading() -> None:
    frame = toledo_frame(385)[:4] + b" " * 6 + toledo_frame(385)[10:]
    weights, problems = feed_all([frame])
    assert weights == []
    assert [p.kind for p in problems] == ["malformed_frame"]


def test_a_parity_bit_on_every_byte_changes_nothing() -> None:
    """A 7E1 scale read by an 8N1 port: the parity lands in bit 7 of some bytes."""
    frame = toledo_frame(1234, net=True, tare_digits=56)
    with_parity = bytes(b | 0x80 if bin(b).count("1") % 2 else b for b in frame)
    assert with_parity != frame
    assert one(with_parity) == one(frame)


def test_a_frame_in_pounds_is_dropped_and_reported_never_converted() -> None:
    weights, problems = feed_all([toledo_frame(1000, unit="lb") + toledo_frame(500)])
    assert weights == [Weight.of(500)]
    assert [(p.kind, p.dropped_bytes) for p in problems] == [("unit_not_metric", FRAME_BYTES)]
    assert "kg" in problems[0].describe()


def test_a_frame_in_an_unknown_unit_is_dropped_and_reported() -> None:
    frame = bytearray(toledo_frame(500))
    frame[3] = 0x20 | 0b101
    weights, problems = feed_all([bytes(frame)])
    assert weights == []
    assert [(p.kind, p.status) for p in problems] == [("unknown_unit", 0x25)]
    assert "0x25" in problems[0].describe()


# -- framing ---------------------------------------------------------------------------


def test_frames_back_to_back_arrive_in_order() -> None:
    frames = [toledo_frame(n, motion=n < 300) for n in (120, 250, 385, 385)]
    weights, problems = feed_all([b"".join(frames)])
    assert [(w.grams, w.stable) for w in weights] == [
        (120, False),
        (250, False),
        (385, True),
        (385, True),
    ]
    assert problems == []


def test_a_frame_split_across_reads_is_kept_until_it_is_whole() -> None:
    frames = ToledoFrames()
    frame = toledo_frame(1234)
    assert frames.feed(frame[:5]) == Decoded()
    assert frames.pending_bytes == 5
    assert frames.feed(frame[5:16]) == Decoded()
    assert frames.feed(frame[16:]).weights == (Weight.of(1234),)
    assert frames.pending_bytes == 0


def test_a_stream_fed_byte_by_byte_gives_what_it_gives_whole() -> None:
    stream = (
        b"\xff\x00junk"
        + toledo_frame(385)
        + b"\x02bad\r"
        + toledo_frame(0, out_of_range=True)
        + b"x"
    )
    assert feed_all([bytes([b]) for b in stream]) == feed_all([stream])


def test_garbage_between_frames_is_one_problem_per_run_with_its_first_bytes() -> None:
    weights, problems = feed_all(
        [toledo_frame(100) + b"\x1b[2J\xff" + toledo_frame(200) + b"zz" + toledo_frame(300)]
    )
    assert [w.grams for w in weights] == [100, 200, 300]
    assert [(p.kind, p.dropped_bytes, p.preview) for p in problems] == [
        ("garbage", 5, "1b 5b 32 4a"),
        ("garbage", 2, "7a 7a"),
    ]
    assert "baud rate" in problems[0].describe()


def test_a_false_start_inside_noise_does_not_hide_the_frame_after_it() -> None:
    """STX in the noise starts a candidate; it fails and the real frame is found."""
    weights, problems = feed_all([b"\x02\x02xx" + toledo_frame(777)])
    assert weights == [Weight.of(777)]
    assert [(p.kind, p.dropped_bytes) for p in problems] == [("malformed_frame", 4)]


@pytest.mark.parametrize(
    ("change", "at"),
    [
        (b"\n", FRAME_BYTES - 1),  # no CR where the frame ends
        (b"\x01", 2),  # a control character as a status byte
        (b"A", 6),  # a letter in the weight
        (b" ", 8),  # a space between digits
        (b"-", 12),  # a sign in the tare
    ],
)
def test_a_frame_that_breaks_the_format_is_dropped_whole(change: bytes, at: int) -> None:
    frame = bytearray(toledo_frame(123456))
    frame[at : at + 1] = change
    weights, problems = feed_all([bytes(frame) + toledo_frame(42)])
    assert weights == [Weight.of(42)]
    assert [(p.kind, p.dropped_bytes) for p in problems] == [("malformed_frame", FRAME_BYTES)]


def test_an_endless_run_of_garbage_is_reported_every_max_run_bytes() -> None:
    weights, problems = feed_all([b"x" * 100] * 7, max_run_bytes=256)
    assert weights == []
    assert [(p.kind, p.dropped_bytes) for p in problems] == [
        ("garbage", 256),
        ("garbage", 256),
        ("garbage", 188),  # the rest, when the port closes
    ]


def test_reset_reports_the_unfinished_frame_and_forgets_it() -> None:
    frames = ToledoFrames()
    frames.feed(b"ab" + toledo_frame(385)[:9])
    assert [(p.kind, p.dropped_bytes) for p in frames.reset()] == [
        ("garbage", 2),
        ("cut_frame", 9),
    ]
    assert frames.pending_bytes == 0
    assert frames.feed(toledo_frame(385)).weights == (Weight.of(385),)


# -- checksum --------------------------------------------------------------------------


def test_the_checksum_makes_the_low_seven_bits_of_the_frame_sum_zero() -> None:
    frame = toledo_frame(1234, with_checksum=True)
    assert len(frame) == FRAME_BYTES + 1
    assert frame[-1] == checksum(frame[:-1]) and sum(frame) & 0x7F == 0
    assert one(frame, with_checksum=True) == Weight.of(1234)


def test_a_frame_with_a_wrong_checksum_is_dropped_and_the_next_one_arrives() -> None:
    bad = bytearray(toledo_frame(1234, with_checksum=True))
    bad[7] = ord("9")  # 1234 read as 1934: the checksum catches it
    weights, problems = feed_all(
        [bytes(bad) + toledo_frame(1234, with_checksum=True)], with_checksum=True
    )
    assert weights == [Weight.of(1234)]
    assert [(p.kind, p.dropped_bytes) for p in problems] == [("checksum", FRAME_BYTES + 1)]


def _frame_with_checksum(wanted: int) -> bytes:
    return next(
        frame
        for tare in range(0, 999_999, 7)
        if (frame := toledo_frame(385, tare_digits=tare, with_checksum=True))[-1] == wanted
    )


@pytest.mark.parametrize("wanted", [0x02, 0x0D])
def test_a_checksum_byte_that_looks_like_stx_or_cr_frames_nothing_wrong(wanted: int) -> None:
    frame = _frame_with_checksum(wanted)
    weights, problems = feed_all([frame * 3], with_checksum=True)
    assert [w.grams for w in weights] == [385] * 3
    assert problems == []


def test_checksum_frames_read_without_the_checksum_setting_still_weigh() -> None:
    """The scale sends a checksum the till was not told about: every weight arrives and
    each extra byte is reported as garbage (the reader throttles the reports)."""
    stream = b"".join(toledo_frame(n, with_checksum=True) for n in (5, 6, 7))
    weights, problems = feed_all([stream])
    assert [w.grams for w in weights] == [5, 6, 7]
    assert {p.kind for p in problems} == {"garbage"}


def test_frames_without_a_checksum_read_with_the_setting_give_nothing() -> None:
    # A checksum of 0x02 would make a frame plus the next one's STX add up.
    stream = b"".join(
        toledo_frame(n) for n in range(100, 130) if toledo_frame(n, with_checksum=True)[-1] != 2
    )
    weights, problems = feed_all([stream], with_checksum=True)
    assert weights == []
    assert problems and sum(p.dropped_bytes for p in problems) == len(stream)


# -- properties ------------------------------------------------------------------------


def _could_be_frames(data: bytes) -> list[bytes]:
    """Every 17-byte window of ``data`` that the format allows (a spec written apart
    from the parser: STX, three printable status bytes, two fields, CR)."""
    low = bytes(b & 0x7F for b in data)
    found = []
    for start in range(len(data) - FRAME_BYTES + 1):
        window = low[start : start + FRAME_BYTES]
        fields_ok = all(re.fullmatch(rb" *[0-9]*", window[a:b]) for a, b in ((4, 10), (10, 16)))
        if (
            window[0] == 0x02
            and window[16] == 0x0D
            and all(c >= 0x20 for c in window[1:4])
            and fields_ok
        ):
            found.append(data[start : start + FRAME_BYTES])
    return found


def _chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.lists(st.integers(min_value=0), max_size=20))
def test_random_bytes_never_yield_a_weight_that_no_window_of_them_says(
    data: bytes, cuts: list[int]
) -> None:
    weights, problems = feed_all(_chunked(data, cuts))
    possible = [one_or_none(window) for window in _could_be_frames(data)]
    for weight in weights:
        assert weight in possible
    # Every byte is accounted for: in a frame that weighed, or in a reported problem.
    assert FRAME_BYTES * len(weights) + sum(p.dropped_bytes for p in problems) == len(data)


def one_or_none(window: bytes) -> Weight | None:
    decoded = ToledoFrames().feed(window)
    return decoded.weights[0] if decoded.weights else None


_NO_STX = st.binary(max_size=30).map(lambda b: bytes(c for c in b if c & 0x7F != 0x02))
_WEIGHTS = st.one_of(
    st.builds(
        Weight.of,
        st.integers(min_value=-999_999, max_value=999_999),
        stable=st.booleans(),
        net=st.booleans(),
        tare_grams=st.integers(min_value=0, max_value=999_999),
    ),
    st.builds(Weight.out_of_range, over=st.booleans(), stable=st.booleans()),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(_NO_STX, _WEIGHTS), max_size=8),
    st.lists(st.integers(min_value=0), max_size=30),
    st.booleans(),
)
def test_frames_in_noise_cut_anywhere_arrive_exactly_once_each_in_order(
    noisy: list[tuple[bytes, Weight]], cuts: list[int], with_checksum: bool
) -> None:
    stream = b"".join(
        noise + weight_frame(weight, with_checksum=with_checksum) for noise, weight in noisy
    )
    weights, problems = feed_all(_chunked(stream, cuts), with_checksum=with_checksum)
    assert weights == [weight for _, weight in noisy]
    assert {p.kind for p in problems} <= {"garbage"}
    assert sum(p.dropped_bytes for p in problems) == sum(len(noise) for noise, _ in noisy)


@settings(max_examples=300, deadline=None)
@given(_WEIGHTS, st.integers(min_value=0, max_value=FRAME_BYTES), st.integers(1, 127))
def test_with_a_checksum_one_changed_byte_never_becomes_another_weight(
    weight: Weight, at: int, flip: int
) -> None:
    frame = bytearray(weight_frame(weight, with_checksum=True))
    frame[at] ^= flip  # any change to the seven bits that count
    weights, _ = feed_all([bytes(frame)], with_checksum=True)
    assert weights == []


@settings(max_examples=200, deadline=None)
@given(_WEIGHTS, st.sampled_from(["kg", "g"]))
def test_every_weight_survives_its_own_frame(weight: Weight, unit: str) -> None:
    frame = weight_frame(weight, unit=unit)  # type: ignore[arg-type]
    assert one(frame) == weight
