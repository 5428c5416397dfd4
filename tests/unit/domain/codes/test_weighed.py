"""Scale labels: per-store layouts, parsing, round trips and layout errors."""

from __future__ import annotations

import pytest
from biip.checksums import gs1_price_weight_check_digit
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from terminal.domain.codes.weighed import (
    DEFAULT_PREFIXES,
    LayoutError,
    WeighedCode,
    WeighedCodeLayout,
    parse_weighed,
)
from terminal.domain.errors import InvalidCode

CHINESE = WeighedCodeLayout.from_config("FFIIIIIVVVVVC", ["20", "21", "22"], "price")
BY_WEIGHT = WeighedCodeLayout.from_config("FFIIIIIVVVVVC", ["28"], "weight")
WITH_PRICE_CHECK = WeighedCodeLayout.from_config("FFIIIIXVVVVVC", ["23"], "price")


def label(pattern: str, prefix: str, plu: str, value: int) -> str:
    """Print a label the way a scale would, independently of ``build_code``."""
    parts = {"F": iter(prefix), "I": iter(plu), "V": iter(str(value).zfill(pattern.count("V")))}
    value_text = str(value).zfill(pattern.count("V"))
    body = ""
    for letter in pattern[:-1]:
        if letter == "X":
            body += str(gs1_price_weight_check_digit(value_text))
        else:
            body += next(parts[letter])
    return body + ean.calc_check_digit(body)


def test_default_layout_is_the_common_chinese_one_with_prefixes_20_to_29() -> None:
    layout = WeighedCodeLayout()
    assert layout.pattern == "FFIIIIIVVVVVC"
    assert layout.prefixes == DEFAULT_PREFIXES == {f"2{d}" for d in range(10)}
    assert layout.value == "price"


def test_price_label_is_read() -> None:
    # 20 | PLU 12345 | 01234 fen = 12.34 yuan | EAN check digit 9
    assert parse_weighed("2012345012349", CHINESE) == WeighedCode(
        plu="12345", price_cents=1234, weight_grams=None, raw="2012345012349"
    )


def test_weight_label_is_read_in_grams() -> None:
    code = label("FFIIIIIVVVVVC", "28", "00042", 1500)
    parsed = parse_weighed(code, BY_WEIGHT)
    assert parsed == WeighedCode(plu="00042", price_cents=None, weight_grams=1500, raw=code)


def test_price_check_digit_is_the_gs1_one() -> None:
    # GS1 General Specifications example: the 5-digit price 14685 has check digit 6.
    code = label("FFIIIIXVVVVVC", "23", "0815", 14685)
    assert code[6] == "6"
    parsed = parse_weighed(code, WITH_PRICE_CHECK)
    assert parsed is not None
    assert parsed.price_cents == 14685
    assert parsed.plu == "0815"


def test_wrong_price_check_digit_is_refused() -> None:
    good = label("FFIIIIXVVVVVC", "23", "0815", 14685)
    body = good[:6] + "7" + good[7:12]
    broken = body + ean.calc_check_digit(body)  # EAN check digit still right
    with pytest.raises(InvalidCode, match="price check digit wrong on scale label"):
        parse_weighed(broken, WITH_PRICE_CHECK)


def test_other_prefixes_and_shapes_are_not_weighed_codes() -> None:
    assert parse_weighed("4006381333931", CHINESE) is None  # a real product
    assert parse_weighed(label("FFIIIIIVVVVVC", "25", "12345", 1), CHINESE) is None
    assert parse_weighed("036000291452", CHINESE) is None  # 12 digits
    assert parse_weighed("20123450123", CHINESE) is None
    assert parse_weighed("20123450123a9", CHINESE) is None


def test_matching_prefix_with_wrong_ean_check_digit_is_refused() -> None:
    with pytest.raises(InvalidCode, match="2012345012340 should end in 9"):
        parse_weighed("2012345012340", CHINESE)


def test_zero_value_label_is_refused() -> None:
    with pytest.raises(InvalidCode, match="price of zero"):
        parse_weighed(label("FFIIIIIVVVVVC", "20", "12345", 0), CHINESE)


def test_from_config_accepts_lower_case_and_spaces() -> None:
    layout = WeighedCodeLayout.from_config(" ffiiiiivvvvvc ", [" 21 "], "weight")
    assert layout == WeighedCodeLayout("FFIIIIIVVVVVC", frozenset({"21"}), "weight")


def test_single_flag_digit_layout() -> None:
    layout = WeighedCodeLayout.from_config("FIIIIIIVVVVVC", ["2"], "price")
    code = label("FIIIIIIVVVVVC", "2", "123456", 999)
    assert parse_weighed(code, layout) == WeighedCode("123456", 999, None, code)


@pytest.mark.parametrize(
    ("pattern", "prefixes", "value", "message"),
    [
        ("FFIIIIIVVVVV", ["20"], "price", "pattern 'FFIIIIIVVVVV': must be 13 letters"),
        ("FFIIIIIVVVVQC", ["20"], "price", "unknown letter 'Q' at position 12"),
        ("FFIIIIIVVVVVV", ["20"], "price", "must end in one C"),
        ("FFIIIIICVVVVC", ["20"], "price", "must end in one C"),
        ("FIFIIIIVVVVVC", ["20"], "price", "the F digits (flag/prefix digits) must be one run"),
        ("IIFFIIIVVVVVC", ["20"], "price", "must start with the F (prefix) digits"),
        ("IIIIIIIVVVVVC", ["20"], "price", "needs at least one F"),
        ("FFIIIVVIIVVVC", ["20"], "price", "the I digits (item (PLU) digits) must be one run"),
        ("FFIIIIIIIIIIC", ["20"], "price", "needs at least one V"),
        ("FFIIIXVVVVXIC", ["20"], "price", "the I digits"),
        ("FFIIIXXVVVVVC", ["20"], "price", "at most one X"),
        ("FFIIIXVVVVVVC", ["20"], "price", "an X (price check digit) needs 4 or 5 V digits"),
        ("FFIIIIIVVVVVC", [], "price", "prefixes: give at least one"),
        ("FFIIIIIVVVVVC", ["2"], "price", "prefix '2': must be 2 digit(s)"),
        ("FFIIIIIVVVVVC", ["30"], "price", "prefix '30': in-store codes start with 2"),
        ("FFIIIIIVVVVVC", ["2a"], "price", "prefix '2a': must be digits"),
        ("FFIIIIIVVVVVC", ["20"], "money", "value 'money': must be 'price' or 'weight'"),
    ],
)
def test_bad_layouts_name_the_bad_part(
    pattern: str, prefixes: list[str], value: str, message: str
) -> None:
    with pytest.raises(LayoutError) as err:
        WeighedCodeLayout.from_config(pattern, prefixes, value)
    assert message in str(err.value)
    assert isinstance(err.value, ValueError)


def test_prefixes_given_as_one_string_are_refused() -> None:
    with pytest.raises(LayoutError, match="give a list"):
        WeighedCodeLayout.from_config("FFIIIIIVVVVVC", "20", "price")  # type: ignore[arg-type]


def test_layout_is_frozen() -> None:
    with pytest.raises(AttributeError):
        CHINESE.value = "weight"  # type: ignore[misc]


@st.composite
def layouts(draw: st.DrawFn) -> tuple[str, WeighedCodeLayout]:
    flags = draw(st.integers(1, 2))
    checked = draw(st.booleans())
    values = draw(st.integers(4, 5) if checked else st.integers(1, 6))
    items = 12 - flags - values - int(checked)
    check = "X" if checked else ""
    if draw(st.booleans()):
        pattern = "F" * flags + "I" * items + check + "V" * values + "C"
    else:
        pattern = "F" * flags + "I" * items + "V" * values + check + "C"
    all_prefixes = sorted(DEFAULT_PREFIXES) if flags == 2 else ["2"]
    prefixes = draw(st.lists(st.sampled_from(all_prefixes), min_size=1, unique=True))
    kind = draw(st.sampled_from(["price", "weight"]))
    return pattern, WeighedCodeLayout.from_config(pattern, prefixes, kind)


@given(layouts(), st.data())
def test_label_round_trips_exactly(
    drawn: tuple[str, WeighedCodeLayout], data: st.DataObject
) -> None:
    pattern, layout = drawn
    prefix = data.draw(st.sampled_from(sorted(layout.prefixes)))
    plu = data.draw(st.text("0123456789", min_size=layout.item_digits, max_size=layout.item_digits))
    value = data.draw(st.integers(1, 10 ** pattern.count("V") - 1))
    code = label(pattern, prefix, plu, value)
    assert layout.build_code(plu, value, prefix) == code
    parsed = parse_weighed(code, layout)
    assert parsed is not None
    assert parsed.plu == plu
    assert parsed.raw == code
    if layout.value == "price":
        assert (parsed.price_cents, parsed.weight_grams) == (value, None)
    else:
        assert (parsed.price_cents, parsed.weight_grams) == (None, value)


@given(
    st.text("0123456789", min_size=12, max_size=12).filter(
        lambda s: s[:2] not in {"20", "21", "22"}
    )
)
def test_codes_outside_the_store_prefixes_are_never_weighed(body: str) -> None:
    assert parse_weighed(body + ean.calc_check_digit(body), CHINESE) is None
