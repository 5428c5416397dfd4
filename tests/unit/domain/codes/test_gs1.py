"""GS1-128 / DataMatrix messages in both spellings: GS separators and (AI) parentheses."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from terminal.domain.codes.gs1 import Gs1Message, parse_gs1
from terminal.domain.errors import InvalidCode

GS = "\x1d"
HRI = "(01)09501101530003(17)250101(10)AB12"
SCANNED = "0109501101530003" + "17250101" + "10AB12"


@pytest.mark.parametrize("text", [HRI, SCANNED, GS + SCANNED, SCANNED + GS, " " + HRI + "\r\n"])
def test_the_gs1_sample_reads_the_same_in_every_spelling(text: str) -> None:
    message = parse_gs1(text)
    assert message.gtin_key == "09501101530003"
    assert message.expiry == date(2025, 1, 1)
    assert message.batch == "AB12"
    assert message.net_weight_grams is None
    assert message.price_cents is None


def test_gs_ends_a_variable_length_field() -> None:
    text = "0109501101530003" + "10AB12" + GS + "3103001234" + "17250101"
    message = parse_gs1(text)
    assert message.batch == "AB12"
    assert message.net_weight_grams == 1234
    assert message.expiry == date(2025, 1, 1)
    assert message.raw == text


def test_hri_with_the_same_fields_gives_the_same_message() -> None:
    hri = "(01)09501101530003(10)AB12(3103)001234(17)250101"
    scanned = "0109501101530003" + "10AB12" + GS + "3103001234" + "17250101"
    assert dataclasses.replace(parse_gs1(hri), raw="") == dataclasses.replace(
        parse_gs1(scanned), raw=""
    )


@pytest.mark.parametrize(
    ("field", "grams"),
    [
        ("(3103)001234", 1234),  # 1.234 kg
        ("(3102)000125", 1250),  # 1.25 kg
        ("(3100)000002", 2000),  # 2 kg
        ("(3105)012345", 123),  # 123.45 g rounds down
        ("(3104)001235", 124),  # 123.5 g rounds half up
        ("(3105)000001", 0),  # 0.01 g
    ],
)
def test_net_weight_in_kg_becomes_whole_grams(field: str, grams: int) -> None:
    assert parse_gs1("(01)09501101530003" + field).net_weight_grams == grams


@pytest.mark.parametrize(
    ("field", "cents"),
    [
        ("(3922)1234", 1234),  # 12.34 yuan
        ("(3920)12", 1200),  # 12 yuan
        ("(3921)125", 1250),  # 12.5 yuan
        ("(3923)12340", 1234),  # 12.340 yuan
        ("(3932)1561234", 1234),  # 12.34 in ISO 156, the yuan
    ],
)
def test_amount_payable_becomes_fen(field: str, cents: int) -> None:
    assert parse_gs1(field).price_cents == cents


def test_amount_in_another_currency_is_left_to_the_catalog() -> None:
    assert parse_gs1("(01)09501101530003(3932)9781234").price_cents is None


def test_amount_with_fractions_of_a_fen_is_refused() -> None:
    with pytest.raises(InvalidCode, match=r"12\.345 yuan\) is not a whole number of fen"):
        parse_gs1("(3923)12345")


def test_expiry_day_00_means_the_end_of_the_month() -> None:
    assert parse_gs1("(17)250200").expiry == date(2025, 2, 28)


def test_message_without_a_gtin_has_no_key() -> None:
    message = parse_gs1("(10)LOT7")
    assert message == Gs1Message(None, None, None, None, "LOT7", "(10)LOT7")


def test_gtin_with_wrong_check_digit_is_refused_like_any_barcode() -> None:
    with pytest.raises(InvalidCode, match="09501101530004 should end in 3"):
        parse_gs1("0109501101530004")


def test_bad_field_is_named_in_words_not_as_a_regex() -> None:
    with pytest.raises(InvalidCode) as err:
        parse_gs1("(01)09501101530003(17)251301")
    message = str(err.value)
    assert message.startswith("the GS1 barcode is not readable: (17) Expiration date")
    assert "'251301'" in message
    assert "pattern" not in message
    assert "\\d" not in message


def test_impossible_date_is_refused() -> None:
    with pytest.raises(InvalidCode, match=r"\(17\)"):
        parse_gs1("17250231")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "Failed to get GS1 Application Identifier from 'abc'"),
        ("(x)", "Could not find any GS1 Application Identifiers"),
        ("(01)0950110153000", "(01) Global Trade Item Number (GTIN) has a bad value"),
        ("(9876)ABC", "Unknown GS1 Application Identifier '9876'"),
    ],
)
def test_unreadable_messages_carry_biips_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidCode) as err:
        parse_gs1(text)
    assert reason in str(err.value)
    assert str(err.value).endswith("scan again or type the item code")


@pytest.mark.parametrize("text", ["", "   ", GS])
def test_empty_message_is_refused(text: str) -> None:
    with pytest.raises(InvalidCode, match="empty"):
        parse_gs1(text)


def test_message_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_gs1(HRI).batch = "X"  # type: ignore[misc]
