"""classify_scan: what scanners send (AIM prefixes, CR/LF, GS) routed to the right kind."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from terminal.domain.codes import (
    PaymentCode,
    ScannedGs1,
    ScannedProduct,
    ScannedWeighed,
    WeighedCode,
    WeighedCodeLayout,
    classify_scan,
    split_symbology,
)
from terminal.domain.errors import InvalidCode

LAYOUT = WeighedCodeLayout.from_config("FFIIIIIVVVVVC", ["20", "21"], "price")


@pytest.mark.parametrize(
    ("text", "symbology", "key"),
    [
        ("4006381333931", None, "04006381333931"),
        ("4006381333931\r\n", None, "04006381333931"),
        ("\x02 ]E04006381333931\x03", None, "04006381333931"),
        ("]E0036000291452", None, "00036000291452"),
        ("96385074", "]E4", "00000096385074"),
        ("]E496385074", None, "00000096385074"),
        ("6901234567892", "]E0", "06901234567892"),
        ("10036000291459", None, "10036000291459"),
        ("6901234567892", "]Q1", "06901234567892"),
    ],
)
def test_product_barcodes(text: str, symbology: str | None, key: str) -> None:
    scan = classify_scan(text, LAYOUT, symbology)
    assert isinstance(scan, ScannedProduct)
    assert scan.gtin_key == key
    assert scan.in_store is False


def test_scale_label_with_a_store_prefix_is_weighed() -> None:
    assert classify_scan("]E02012345012349\n", LAYOUT) == ScannedWeighed(
        WeighedCode(plu="12345", price_cents=1234, weight_grams=None, raw="2012345012349")
    )


def test_in_store_code_with_another_prefix_is_a_product_marked_in_store() -> None:
    body = "291234501234"
    scan = classify_scan(body + ean.calc_check_digit(body), LAYOUT)
    assert isinstance(scan, ScannedProduct)
    assert scan.in_store is True


def test_broken_scale_label_is_refused_not_looked_up() -> None:
    with pytest.raises(InvalidCode, match="should end in 9"):
        classify_scan("2012345012340", LAYOUT)


@pytest.mark.parametrize(
    ("text", "symbology"),
    [
        ("(01)09501101530003(17)250101(10)AB12", None),
        ("0109501101530003172501011" + "0AB12", "]C1"),
        ("]C10109501101530003172501011" + "0AB12", None),
        ("]d2\x1d0109501101530003172501011" + "0AB12", None),
        ("010950110153000310AB12\x1d17250101", None),
        ("\x1d0109501101530003", None),
    ],
)
def test_gs1_messages(text: str, symbology: str | None) -> None:
    scan = classify_scan(text, LAYOUT, symbology)
    assert isinstance(scan, ScannedGs1)
    assert scan.message.gtin_key == "09501101530003"


def test_gs1_symbology_wins_over_the_digit_count() -> None:
    # 16 digits would be a payment code, but a GS1-128 symbol says it is a GTIN in AI 01.
    assert isinstance(classify_scan("0109501101530003", LAYOUT, "]C1"), ScannedGs1)
    assert isinstance(classify_scan("0109501101530003", LAYOUT, "]d2"), ScannedGs1)


def test_aim_prefix_in_the_text_wins_over_the_one_given() -> None:
    assert split_symbology("]E0 4006381333931\r", "]C1") == ("4006381333931", "]E0")
    assert split_symbology("4006381333931", "]E0") == ("4006381333931", "]E0")


@pytest.mark.parametrize(
    ("text", "symbology", "provider"),
    [
        ("134567890123457890", None, "wechat"),
        ("]Q1134567890123457890", None, "wechat"),
        ("134567890123457890\r\n", "]C0", "wechat"),
        ("2812345678901234", "]Q1", "alipay"),
    ],
)
def test_payment_codes(text: str, symbology: str | None, provider: str) -> None:
    scan = classify_scan(text, LAYOUT, symbology)
    assert isinstance(scan, PaymentCode)
    assert scan.provider == provider


@pytest.mark.parametrize("text", ["", "  \r\n", "]E0", "\x00\x1b"])
def test_empty_scan_is_refused(text: str) -> None:
    with pytest.raises(InvalidCode, match="nothing was read"):
        classify_scan(text, LAYOUT)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("hello", "not a product barcode or a payment code: 'hello'"),
        ("https://example.com/pay", "not a product barcode or a payment code"),
        ("1234567890", "not a product barcode or a payment code: '1234567890' (10 characters)"),
        ("123456", "not a product barcode or a payment code: '123456' (6 characters)"),
        ("1234567890123456789012345", "(25 characters)"),
        ("6901234567891", "check digit wrong: 6901234567891 should end in 2"),
        ("3112345678901234", "starts with 31: not a WeChat (10-15) or Alipay (25-30)"),
    ],
)
def test_refusals_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidCode) as err:
        classify_scan(text, LAYOUT)
    assert reason in str(err.value)


def test_long_unknown_digits_are_masked_in_the_message() -> None:
    text = "1234567890123456789012345"
    with pytest.raises(InvalidCode) as err:
        classify_scan(text, LAYOUT)
    assert text not in str(err.value)


payment_codes = st.one_of(
    st.builds(
        lambda p, r: f"{p}{r}", st.integers(10, 15), st.text("0123456789", min_size=16, max_size=16)
    ),
    st.integers(16, 24).flatmap(
        lambda n: st.builds(
            lambda p, r: f"{p}{r}",
            st.integers(25, 30),
            st.text("0123456789", min_size=n - 2, max_size=n - 2),
        )
    ),
)


@given(
    payment_codes,
    st.sampled_from([None, "]Q1", "]C0", "]E0"]),
    st.sampled_from(["", "\r\n", "\n", " "]),
)
def test_payment_codes_are_routed_by_prefix_and_never_taken_for_products(
    code: str, symbology: str | None, ending: str
) -> None:
    scan = classify_scan(code + ending, LAYOUT, symbology)
    assert isinstance(scan, PaymentCode)
    assert scan.provider == ("wechat" if int(code[:2]) <= 15 else "alipay")
    assert scan.code == code


@given(
    st.sampled_from([7, 11, 12, 13]).flatmap(
        lambda n: st.text("0123456789", min_size=n, max_size=n)
    )
)
def test_valid_product_barcodes_are_never_taken_for_payment_codes(body: str) -> None:
    scan = classify_scan(body + ean.calc_check_digit(body), LAYOUT)
    assert isinstance(scan, ScannedProduct | ScannedWeighed)


@given(
    st.one_of(st.text(max_size=40), st.text("0123456789()]CdEQ\x1d AB\r", max_size=40)),
    st.sampled_from([None, "]C1", "]E0", "]Q1"]),
)
def test_any_text_is_classified_or_refused_with_invalid_code(
    text: str, symbology: str | None
) -> None:
    with contextlib.suppress(InvalidCode):
        classify_scan(text, LAYOUT, symbology)
