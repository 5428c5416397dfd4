"""AIM symbology identifiers: split from the data and named."""

from __future__ import annotations

import pytest

from drivers.scanner.aim import AimSplit, split_aim, symbology_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("]E05901234123457", AimSplit("5901234123457", "EAN-13 / UPC-A", "]E0")),
        ("]E496385074", AimSplit("96385074", "EAN-8", "]E4")),
        ("]C101095012345678903", AimSplit("01095012345678903", "GS1-128", "]C1")),
        ("]d201095012345678903", AimSplit("01095012345678903", "GS1 DataMatrix", "]d2")),
        ("]Q1https://example.com", AimSplit("https://example.com", "QR Code", "]Q1")),
        ("]A0CODE39", AimSplit("CODE39", "Code 39", "]A0")),
        ("]C0134567890123456789", AimSplit("134567890123456789", "Code 128", "]C0")),
        ("]e00109501234567890", AimSplit("0109501234567890", "GS1 DataBar", "]e0")),
    ],
)
def test_known_identifiers_are_split_and_named(text: str, expected: AimSplit) -> None:
    assert split_aim(text) == expected


def test_text_without_an_identifier_is_returned_as_it_is() -> None:
    assert split_aim("6910263003875") == AimSplit("6910263003875", None, None)
    assert split_aim("]") == AimSplit("]", None, None)
    assert split_aim("]EX123") == AimSplit("]EX123", None, None)


def test_an_unknown_modifier_is_named_by_its_family() -> None:
    assert symbology_name("]C9") == "Code 128 (]C9)"
    assert symbology_name("]Y0") == "unknown symbology (]Y0)"
