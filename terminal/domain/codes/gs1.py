"""GS1-128 and GS1 DataMatrix messages: application identifiers (AIs) read with biip.

Two spellings are accepted: the scanner's form, where FNC1 arrives as ASCII GS (``\\x1d``)
between variable-length fields, and the human-readable form printed under the barcode,
``(01)09501101530003(17)250101(10)AB12``. The AI tables and the field syntax are biip's;
this module only picks out what the till uses and turns it into int grams, int fen and
dates. Conversions are integer arithmetic: no float ever holds a weight or an amount.

What must not live here: AIM symbology prefixes and routing (``scan.py``), the catalog
lookup, and deciding whether an expired item may be sold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_messages import GS1Message

from terminal.domain.codes.gtin import gtin_key
from terminal.domain.codes.wallet import safe_preview
from terminal.domain.errors import InvalidCode
from terminal.domain.money import div_round_half_up

GROUP_SEPARATOR = "\x1d"
# ISO 4217 numeric code of the yuan, the only currency the till charges in.
YUAN = "156"
_FEN_DECIMALS = 2
_GRAMS_PER_KG = 1000
_NO_MATCH = re.compile(r"Failed to match '(?P<field>.*)' with GS1 AI \((?P<ai>\d+)\) pattern")


@dataclass(frozen=True)
class Gs1Message:
    """What the till uses from a GS1 barcode; ``None`` where the barcode does not say."""

    gtin_key: str | None
    net_weight_grams: int | None
    price_cents: int | None
    expiry: date | None
    batch: str | None
    raw: str


def _readable(reason: str) -> str:
    """biip's parse error in words a cashier can read (its regex patterns left out)."""
    found = _NO_MATCH.search(reason)
    if found is None:
        return reason.rstrip(".")
    try:
        name = GS1ApplicationIdentifier.extract(found["ai"]).description
    except ParseError:  # pragma: no cover - biip just named this AI
        name = "field"
    data = found["field"].removeprefix(found["ai"])
    return f"({found['ai']}) {name} has a bad value '{safe_preview(data)}'"


def _first(message: GS1Message, prefix: str) -> GS1ElementString | None:
    return message.element_strings.get(ai=prefix)


def _decimals(element: GS1ElementString) -> tuple[int, int]:
    """The integer digits of a 310n/392n/393n field and n, its number of decimals."""
    return int(element.pattern_groups[-1]), int(element.ai.ai[3])


def _net_weight_grams(message: GS1Message) -> int | None:
    element = _first(message, "310")  # net weight in kg, n decimals
    if element is None:
        return None
    digits, decimals = _decimals(element)
    return div_round_half_up(digits * _GRAMS_PER_KG, int(10**decimals))


def _price_cents(message: GS1Message) -> int | None:
    element = _first(message, "392")  # amount payable in the local currency (yuan)
    if element is None:
        element = _first(message, "393")  # amount payable with an ISO currency
        if element is None or element.pattern_groups[0] != YUAN:
            return None  # a price in another currency: the catalog price applies
    digits, decimals = _decimals(element)
    if decimals <= _FEN_DECIMALS:
        return digits * int(10 ** (_FEN_DECIMALS - decimals))
    cents, rest = divmod(digits, int(10 ** (decimals - _FEN_DECIMALS)))
    if rest:
        raise InvalidCode("code.gs1_price", price=element.decimal)
    return cents


def parse_gs1(text: str) -> Gs1Message:
    """Read a GS1 message (GS-separated or in ``(AI)data`` form); ``InvalidCode`` if broken.

    A GTIN in AI 01 is checked and turned into the catalog key like any product barcode.
    """
    raw = text.strip()
    data = raw.lstrip(GROUP_SEPARATOR)  # FNC1 in first position only says "this is GS1"
    if not data:
        raise InvalidCode("code.gs1_empty")
    try:
        hri = data.startswith("(")
        message = GS1Message.parse_hri(data) if hri else GS1Message.parse(data)
    except ParseError as exc:
        raise InvalidCode("code.gs1_unreadable", detail=_readable(str(exc))) from None
    gtin = _first(message, "01")
    expiry = _first(message, "17")
    batch = _first(message, "10")
    return Gs1Message(
        gtin_key=gtin_key(gtin.value) if gtin is not None else None,
        net_weight_grams=_net_weight_grams(message),
        price_cents=_price_cents(message),
        expiry=expiry.date if expiry is not None else None,
        batch=batch.value if batch is not None else None,
        raw=raw,
    )
