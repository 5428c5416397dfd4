"""Money: integer cents, half-up rounding, typed amounts and their limits."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.errors import MoneyError
from terminal.domain.money import (
    MAX_AMOUNT_CENTS,
    check_cents,
    div_round_half_up,
    format_cents,
    parse_amount,
    scale,
)


def decimal_half_up(numerator: int, denominator: int) -> int:
    """The reference: exact decimal division, rounded half away from zero."""
    with localcontext() as ctx:
        ctx.prec = 80
        quotient = Decimal(numerator) / Decimal(denominator)
        return int(quotient.to_integral_value(rounding=ROUND_HALF_UP))


# -- rounding ----------------------------------------------------------------------


@given(st.integers(-(10**15), 10**15), st.integers(1, 10**9))
def test_div_round_half_up_matches_decimal_half_up(numerator: int, denominator: int) -> None:
    result = div_round_half_up(numerator, denominator)
    assert type(result) is int
    assert result == decimal_half_up(numerator, denominator)


@given(st.integers(0, MAX_AMOUNT_CENTS), st.integers(0, 10**6), st.integers(1, 10**6))
def test_scale_never_drifts_from_decimal(amount: int, numerator: int, denominator: int) -> None:
    result = scale(amount, numerator, denominator)
    assert type(result) is int
    assert result == decimal_half_up(amount * numerator, denominator)


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(5, 2, 3), (-5, 2, -3), (4, 3, 1), (5, 3, 2), (-4, 3, -1), (0, 7, 0), (149, 100, 1)],
)
def test_half_rounds_away_from_zero_and_below_half_rounds_down(
    numerator: int, denominator: int, expected: int
) -> None:
    assert div_round_half_up(numerator, denominator) == expected


@pytest.mark.parametrize("denominator", [0, -1])
def test_division_by_a_non_positive_denominator_is_refused(denominator: int) -> None:
    with pytest.raises(ValueError, match="positive"):
        div_round_half_up(10, denominator)


def test_scale_prices_grams_against_a_price_per_kg() -> None:
    # 19.98 yuan/kg x 333 g = 6.65334 yuan -> 6.65; x 335 g = 6.6933 -> 6.69
    assert scale(1998, 333, 1000) == 665
    assert scale(1998, 335, 1000) == 669
    # 0.10 yuan/kg x 5 g = 0.05 fen -> 0; 1.00 yuan/kg x 5 g = 0.5 fen -> 1
    assert scale(10, 5, 1000) == 0
    assert scale(100, 5, 1000) == 1


# -- formatting and parsing --------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "symbol", "text"),
    [
        (12345, "", "123.45"),
        (5, "", "0.05"),
        (0, "", "0.00"),
        (100, "", "1.00"),
        (-5, "", "-0.05"),
        (12345, "¥", "¥123.45"),
        (-150, "¥", "-¥1.50"),
    ],
)
def test_format_cents_shows_yuan_with_two_decimals(cents: int, symbol: str, text: str) -> None:
    assert format_cents(cents, symbol) == text


@given(st.integers(0, MAX_AMOUNT_CENTS))
def test_format_then_parse_gives_the_same_cents(cents: int) -> None:
    assert parse_amount(format_cents(cents)) == cents


@given(st.integers(0, MAX_AMOUNT_CENTS // 100 - 1), st.integers(0, 99))
def test_parse_then_format_gives_the_canonical_text(yuan: int, fen: int) -> None:
    text = f"{yuan}.{fen:02d}"
    cents = parse_amount(text)
    assert type(cents) is int
    assert format_cents(cents) == text


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12.3", 1230),
        ("12.30", 1230),
        ("12", 1200),
        ("0.01", 1),
        (" 7.5 ", 750),
        ("0", 0),
        ("10000000", MAX_AMOUNT_CENTS),
        ("12.300", 1230),  # trailing zeros are not a fraction of a fen
    ],
)
def test_parse_amount_reads_typed_yuan(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("12.345", "more than two decimals"),
        ("0.001", "more than two decimals"),
        ("abc", "is not an amount"),
        ("", "is not an amount"),
        ("12,30", "is not an amount"),
        ("NaN", "is not an amount"),
        ("Infinity", "is not an amount"),
        ("-1", "cannot be negative"),
        ("10000000.01", "over the limit"),
    ],
)
def test_parse_amount_refuses_what_is_not_cents(text: str, words: str) -> None:
    with pytest.raises(MoneyError, match=words):
        parse_amount(text)


@pytest.mark.parametrize("text", ["1e5000", "1e999999"])
def test_parse_amount_refuses_huge_exponents_as_a_money_error(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_amount(text)


# -- check_cents -------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 1, MAX_AMOUNT_CENTS])
def test_check_cents_accepts_whole_cents_within_the_limit(value: int) -> None:
    assert check_cents(value) == value


@pytest.mark.parametrize("value", [1.0, 0.5, True, False, "100", None, Decimal(100)])
def test_check_cents_refuses_anything_but_int(value: object) -> None:
    with pytest.raises(MoneyError, match="whole number of cents"):
        check_cents(value, "price")


def test_check_cents_refuses_negative_and_names_what_was_checked() -> None:
    with pytest.raises(MoneyError, match=r"discount cannot be negative \(-0\.01\)"):
        check_cents(-1, "discount")


def test_check_cents_refuses_amounts_over_the_limit_in_yuan() -> None:
    with pytest.raises(MoneyError, match=r"price of 10000000\.01 is over the limit"):
        check_cents(MAX_AMOUNT_CENTS + 1, "price")
