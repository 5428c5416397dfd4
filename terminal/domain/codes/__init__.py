"""Reading what the scanner sends: product barcodes, scale labels, GS1 messages, wallet codes.

Pure functions and frozen dataclasses only: no Qt, no I/O, no logging. Everything that is
wrong with a code comes out as ``InvalidCode`` with a message a cashier can act on, and
no message, ``repr`` or ``str`` here ever holds a full payment code.

- ``gtin``: EAN-13/EAN-8/UPC-A/GTIN-14 check digits and the 14-digit catalog key
- ``weighed``: in-store scale labels with a per-store layout
- ``gs1``: GS1-128 / DataMatrix application identifiers (via biip)
- ``wallet``: WeChat Pay and Alipay payment codes, routed by prefix
- ``scan``: ``classify_scan``, the one place that decides what a scan is
"""

from terminal.domain.codes.gs1 import Gs1Message, parse_gs1
from terminal.domain.codes.gtin import gtin_key, is_restricted_circulation
from terminal.domain.codes.scan import (
    GS1_SYMBOLOGIES,
    Scan,
    ScannedGs1,
    ScannedProduct,
    ScannedWeighed,
    classify_scan,
    split_symbology,
)
from terminal.domain.codes.wallet import PaymentCode, Provider, parse_payment_code
from terminal.domain.codes.weighed import (
    DEFAULT_PREFIXES,
    LayoutError,
    ValueKind,
    WeighedCode,
    WeighedCodeLayout,
    parse_weighed,
)

__all__ = [
    "DEFAULT_PREFIXES",
    "GS1_SYMBOLOGIES",
    "Gs1Message",
    "LayoutError",
    "PaymentCode",
    "Provider",
    "Scan",
    "ScannedGs1",
    "ScannedProduct",
    "ScannedWeighed",
    "ValueKind",
    "WeighedCode",
    "WeighedCodeLayout",
    "classify_scan",
    "gtin_key",
    "is_restricted_circulation",
    "parse_gs1",
    "parse_payment_code",
    "parse_weighed",
    "split_symbology",
]
