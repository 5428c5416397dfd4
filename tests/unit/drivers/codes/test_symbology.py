"""zbar symbol types to AIM identifiers."""

from __future__ import annotations

import pytest

from drivers.codes.symbology import UNKNOWN_AIM, aim_for


@pytest.mark.parametrize(
    ("kind", "gs1", "aim"),
    [
        ("EAN13", False, "]E0"),
        ("UPCA", False, "]E0"),
        ("EAN8", False, "]E4"),
        ("CODE128", False, "]C0"),
        ("CODE128", True, "]C1"),
        ("QRCODE", False, "]Q1"),
        ("QRCODE", True, "]Q3"),
        ("I25", False, "]I0"),
        ("DATABAR", False, "]e0"),
        ("EAN13", True, "]E0"),  # GS1 is implied by EAN: no other identifier
        ("SQCODE", False, UNKNOWN_AIM),
    ],
)
def test_aim_identifier(kind: str, gs1: bool, aim: str) -> None:
    assert aim_for(kind, gs1) == aim
