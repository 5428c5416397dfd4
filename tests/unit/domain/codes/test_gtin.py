"""Product barcodes: check digits, the 14-digit catalog key, in-store numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from terminal.domain.codes.gtin import gtin_key, is_restricted_circulation
from terminal.domain.errors import InvalidCode


def reference_check_digit(body: str) -> str:
    """GS1 mod-10 written out here as an independent oracle for the known codes."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str(-total % 10)


KNOWN = [
    ("4006381333931", "04006381333931"),  # EAN-13, Germany
    ("9501101530003", "09501101530003"),  # EAN-13, GS1 example
    ("6901234567892", "06901234567892"),  # EAN-13, China prefix 690
    ("036000291452", "00036000291452"),  # UPC-A
    ("0036000291452", "00036000291452"),  # the same item as EAN-13
    ("96385074", "00000096385074"),  # EAN-8
    ("10036000291459", "10036000291459"),  # GTIN-14, case of the UPC-A item
]


@pytest.mark.parametrize(("code", "key"), KNOWN)
def test_known_codes_have_correct_check_digits_and_keys(code: str, key: str) -> None:
    assert reference_check_digit(code[:-1]) == code[-1]
    assert gtin_key(code) == key


def test_upc_a_and_its_ean13_form_share_a_key() -> None:
    assert gtin_key("036000291452") == gtin_key("0036000291452")


def test_surrounding_whitespace_is_ignored() -> None:
    assert gtin_key(" 4006381333931\r\n") == "04006381333931"


def test_wrong_check_digit_says_which_digit_it_should_end_in() -> None:
    with pytest.raises(InvalidCode) as err:
        gtin_key("6901234567891")
    assert err.value.code == "code.check_digit"
    assert err.value.params == {"barcode": "6901234567891", "expected": "2"}
    assert str(err.value).startswith("check digit wrong: 6901234567891 should end in 2;")


@pytest.mark.parametrize("code", ["123456789", "12345678901", "1", "123456789012345"])
def test_wrong_length_is_refused_with_the_allowed_lengths(code: str) -> None:
    with pytest.raises(InvalidCode, match=f"has {len(code)} digits") as err:
        gtin_key(code)
    assert "8, 12, 13 or 14" in str(err.value)


@pytest.mark.parametrize(
    "code", ["40063813339A1", "4006-381333931", "٤٠٠٦٣٨١٣٣٣٩٣١", "4006381 333931"]
)
def test_non_digits_are_refused(code: str) -> None:
    with pytest.raises(InvalidCode, match="digits only"):
        gtin_key(code)


def test_empty_code_is_refused() -> None:
    with pytest.raises(InvalidCode, match="nothing was read"):
        gtin_key("  ")


def test_long_digit_strings_are_masked_in_the_message() -> None:
    with pytest.raises(InvalidCode) as err:
        gtin_key("134567890123457890")
    assert "134567890123457890" not in str(err.value)


@pytest.mark.parametrize(
    ("code", "in_store"),
    [
        ("2012345012349", True),  # EAN-13 prefix 20 (scale label)
        ("2900001000192", True),  # EAN-13 prefix 29
        ("212345678992", True),  # UPC-A number system 2 -> 021...
        ("0212345678992", True),
        ("02345673", True),  # RCN-8, company internal
        ("4006381333931", False),
        ("6901234567892", False),
        ("036000291452", False),
        ("96385074", False),
        ("10036000291459", False),  # GTIN-14 with an indicator digit
    ],
)
def test_restricted_circulation_means_gs1_in_store_prefixes(code: str, in_store: bool) -> None:
    assert is_restricted_circulation(gtin_key(code)) is in_store
    assert is_restricted_circulation(code) is in_store


digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


@given(digits)
def test_any_12_digits_with_their_check_digit_are_accepted(body: str) -> None:
    code = body + ean.calc_check_digit(body)
    assert gtin_key(code) == code.zfill(14)


@given(digits, st.data())
def test_one_changed_digit_is_refused(body: str, data: st.DataObject) -> None:
    code = body + ean.calc_check_digit(body)
    position = data.draw(st.integers(0, len(code) - 1))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != code[position]]))
    broken = code[:position] + new + code[position + 1 :]
    with pytest.raises(InvalidCode, match="check digit wrong"):
        gtin_key(broken)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_upc_a_key_equals_its_ean13_key(body: str) -> None:
    upc = body + ean.calc_check_digit(body)
    assert gtin_key(upc) == gtin_key("0" + upc)


@given(
    st.sampled_from([7, 11, 12, 13]).flatmap(
        lambda n: st.text("0123456789", min_size=n, max_size=n)
    )
)
def test_every_gtin_length_gives_a_14_digit_key(body: str) -> None:
    key = gtin_key(body + ean.calc_check_digit(body))
    assert len(key) == 14
    assert key.endswith(body + ean.calc_check_digit(body))
