"""Wallet payment codes: routing by prefix and length, and never showing the full code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.codes.wallet import PaymentCode, mask, parse_payment_code, safe_preview
from terminal.domain.errors import InvalidCode


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


wechat_codes = st.builds(lambda prefix, rest: f"{prefix}{rest}", st.integers(10, 15), digits(16))
alipay_codes = st.integers(16, 24).flatmap(
    lambda n: st.builds(lambda prefix, rest: f"{prefix}{rest}", st.integers(25, 30), digits(n - 2))
)


def test_wechat_code_is_routed_to_wechat() -> None:
    code = parse_payment_code("134567890123457890")
    assert code == PaymentCode("wechat", "134567890123457890")


@pytest.mark.parametrize(
    "code", ["2812345678901234", "280000000000000000", "300000000000000000000099"]
)
def test_alipay_codes_of_16_to_24_digits_are_routed_to_alipay(code: str) -> None:
    assert parse_payment_code(code).provider == "alipay"


def test_masked_keeps_first_and_last_four() -> None:
    assert parse_payment_code("2845678901237890").masked() == "2845********7890"
    assert parse_payment_code("134567890123457890").masked() == "1345**********7890"


def test_repr_and_str_never_show_the_full_code() -> None:
    code = parse_payment_code("134567890123457890")
    for shown in (repr(code), str(code), f"{code}", f"{[code]}"):
        assert "134567890123457890" not in shown
        assert "1345**********7890" in shown


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("134567890123457", "payment codes are 16 to 24 digits, this one has 15"),
        ("1345678901234578901234567", "payment codes are 16 to 24 digits, this one has 25"),
        ("1345678901234578x0", "payment codes are digits only"),
        ("3112345678901234", "starts with 31: not a WeChat (10-15) or Alipay (25-30)"),
        ("091234567890123456", "18-digit code starts with 09: not a WeChat"),
        ("13456789012345789", "WeChat codes are 18 digits and this one has 17"),
        ("", "no payment code was read"),
    ],
)
def test_refusals_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidCode) as err:
        parse_payment_code(text)
    assert reason in str(err.value)


def test_provider_must_match_the_code() -> None:
    with pytest.raises(InvalidCode, match="is a WeChat Pay code, not Alipay"):
        PaymentCode("alipay", "134567890123457890")


@given(wechat_codes)
def test_every_wechat_prefix_routes_to_wechat(code: str) -> None:
    assert parse_payment_code(code).provider == "wechat"


@given(alipay_codes)
def test_every_alipay_prefix_and_length_routes_to_alipay(code: str) -> None:
    assert parse_payment_code(code).provider == "alipay"


@given(st.integers(16, 24).flatmap(digits))
def test_errors_and_reprs_never_hold_the_full_code(code: str) -> None:
    try:
        shown = repr(parse_payment_code(code))
    except InvalidCode as err:
        shown = str(err)
    assert code not in shown


def test_mask_and_preview() -> None:
    assert mask("12345678") == "********"
    assert safe_preview("4006381333931") == "4006381333931"
    assert safe_preview("134567890123457890") == "1345**********7890"
    assert safe_preview("https://example.com/a/very/long/path") == "https://example.com/a/ve…"
