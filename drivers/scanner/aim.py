"""AIM symbology identifiers (ISO/IEC 15424): the ``]Cm`` prefix a scanner can put before
the data to say which barcode type it read.

``split_aim`` takes the prefix off and names it. Scanners send it only when configured
to, so text without one is returned as it is with no symbology. The pattern matches
``terminal.domain.codes.scan`` (a letter and a digit), so the two never disagree about
where the data starts. What must not live here: what the data means (``terminal.domain``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

_AIM = re.compile(r"\][A-Za-z][0-9]")

# Exact identifiers a till meets; the modifier digit matters for these.
SYMBOLOGY_NAMES: dict[str, str] = {
    "]A0": "Code 39",
    "]A1": "Code 39 (check digit verified)",
    "]A3": "Code 39 (check digit verified and stripped)",
    "]A4": "Code 39 (full ASCII)",
    "]C0": "Code 128",
    "]C1": "GS1-128",
    "]C2": "Code 128 (AIM application)",
    "]C4": "Code 128 (ISBT concatenation)",
    "]d0": "Data Matrix ECC 000-140",
    "]d1": "Data Matrix",
    "]d2": "GS1 DataMatrix",
    "]E0": "EAN-13 / UPC-A",
    "]E1": "EAN/UPC 2-digit add-on",
    "]E2": "EAN/UPC 5-digit add-on",
    "]E3": "EAN-13 / UPC-A with add-on",
    "]E4": "EAN-8",
    "]e0": "GS1 DataBar",
    "]F0": "Codabar",
    "]G0": "Code 93",
    "]I0": "Interleaved 2 of 5",
    "]I1": "Interleaved 2 of 5 (check digit verified)",
    "]L0": "PDF417",
    "]L2": "PDF417 (ECI)",
    "]Q0": "QR Code model 1",
    "]Q1": "QR Code",
    "]Q2": "QR Code (ECI)",
    "]Q3": "GS1 QR Code",
    "]Q5": "QR Code (AIM application)",
    "]z0": "Aztec",
    "]z1": "Aztec (GS1)",
}
# By symbology letter, for modifiers not in the table above.
_FAMILIES: dict[str, str] = {
    "A": "Code 39",
    "B": "Telepen",
    "C": "Code 128",
    "d": "Data Matrix",
    "E": "EAN/UPC",
    "e": "GS1 DataBar",
    "F": "Codabar",
    "G": "Code 93",
    "H": "Code 11",
    "I": "Interleaved 2 of 5",
    "L": "PDF417",
    "M": "MSI",
    "Q": "QR Code",
    "R": "Straight 2 of 5",
    "S": "Straight 2 of 5",
    "X": "other symbology",
    "z": "Aztec",
}


class AimSplit(NamedTuple):
    """The data without its prefix, the symbology's name and the identifier (``]E0``)."""

    code: str
    symbology: str | None
    aim: str | None


def symbology_name(aim: str) -> str:
    """A readable name for an identifier; unknown ones are named by their letter."""
    if aim in SYMBOLOGY_NAMES:
        return SYMBOLOGY_NAMES[aim]
    family = _FAMILIES.get(aim[1:2])
    return f"{family} ({aim})" if family else f"unknown symbology ({aim})"


def split_aim(text: str) -> AimSplit:
    """``"]E05901234123457"`` -> ``AimSplit("5901234123457", "EAN-13 / UPC-A", "]E0")``."""
    if _AIM.match(text):
        aim = text[:3]
        return AimSplit(text[3:], symbology_name(aim), aim)
    return AimSplit(text, None, None)
