"""One scan in, one meaning out: a product, a scale label, a GS1 message or a payment code.

``classify_scan`` is the single place that decides what a scanned string is. It strips
what scanners add around the data (whitespace, CR/LF, other control characters, an AIM
symbology identifier such as ``]E0``) and routes by symbology and shape:

- a GS1 symbology (``]C1``, ``]d2``, ``]e0``, ``]Q3``), ``(AI)`` parentheses or GS
  characters -> ``ScannedGs1``
- 16 to 24 digits -> ``PaymentCode`` (never a product: no barcode has that many digits)
- 8, 12, 13 or 14 digits -> ``ScannedWeighed`` when a 13-digit code carries one of the
  store's scale prefixes, else ``ScannedProduct``
- anything else -> ``InvalidCode``

What must not live here: reading the serial port (``drivers/scanner``), the catalog
lookup, and what the checkout does with the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from terminal.domain.codes.gs1 import GROUP_SEPARATOR, Gs1Message, parse_gs1
from terminal.domain.codes.gtin import GTIN_LENGTHS, gtin_key, is_ascii_digits
from terminal.domain.codes.gtin import is_restricted_circulation as _in_store
from terminal.domain.codes.wallet import (
    MAX_LENGTH,
    MIN_LENGTH,
    PaymentCode,
    parse_payment_code,
    safe_preview,
)
from terminal.domain.codes.weighed import WeighedCode, WeighedCodeLayout, parse_weighed
from terminal.domain.errors import InvalidCode

# AIM identifiers whose data is a GS1 message: GS1-128, GS1 DataBar, GS1 DataMatrix,
# GS1 QR Code.
GS1_SYMBOLOGIES = frozenset({"]C1", "]e0", "]d2", "]Q3"})
_AIM = re.compile(r"\][A-Za-z][0-9]")
_AI_PARENTHESES = re.compile(r"\(\d{2,4}\)")
# Whitespace and C0/DEL control characters a scanner may put around the data.
_AROUND = "".join(chr(c) for c in range(0x20)) + "\x7f \u00a0\u3000"


@dataclass(frozen=True)
class ScannedProduct:
    """A product barcode; ``in_store`` marks a GS1 in-store number (prefix 020-029)."""

    gtin_key: str
    in_store: bool
    raw: str


@dataclass(frozen=True)
class ScannedWeighed:
    """A scale label with one of this store's prefixes."""

    code: WeighedCode


@dataclass(frozen=True)
class ScannedGs1:
    """A GS1-128 / DataMatrix / DataBar message."""

    message: Gs1Message


Scan = ScannedProduct | ScannedWeighed | ScannedGs1 | PaymentCode


def split_symbology(text: str, symbology: str | None = None) -> tuple[str, str | None]:
    """Strip what surrounds the data and take off a leading AIM identifier.

    Returns ``(data, symbology)``; an identifier in the text wins over the one given,
    because it is what the scanner actually sent with this scan.
    """
    data = text.strip(_AROUND)
    if _AIM.match(data):
        symbology, data = data[:3], data[3:].strip(_AROUND)
    return data, symbology


def classify_scan(text: str, layout: WeighedCodeLayout, symbology: str | None = None) -> Scan:
    """What a scanned string is, by the rules in this module's docstring."""
    has_separator = GROUP_SEPARATOR in text
    data, symbology = split_symbology(text, symbology)
    if not data:
        raise InvalidCode("code.empty")
    if symbology in GS1_SYMBOLOGIES or has_separator or _AI_PARENTHESES.match(data):
        return ScannedGs1(parse_gs1(data))
    if is_ascii_digits(data):
        if MIN_LENGTH <= len(data) <= MAX_LENGTH:
            return parse_payment_code(data)
        if len(data) in GTIN_LENGTHS:
            weighed = parse_weighed(data, layout)
            if weighed is not None:
                return ScannedWeighed(weighed)
            key = gtin_key(data)
            return ScannedProduct(gtin_key=key, in_store=_in_store(key), raw=data)
    raise InvalidCode("code.unknown_kind", length=len(data), preview=safe_preview(data))
