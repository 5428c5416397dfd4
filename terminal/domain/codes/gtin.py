"""Product barcodes: EAN-13, EAN-8, UPC-A and GTIN-14, and the catalog key made from them.

Every form is turned into one canonical 14-digit GTIN (zero-padded on the left), so a
UPC-A label and the EAN-13 printed for the same item find the same catalog row. Check
digits are verified with python-stdnum, never with arithmetic of our own.

What must not live here: in-store weight/price layouts (``weighed.py``), GS1 application
identifiers (``gs1.py``), anything that reads a scanner, a file or the catalog.
"""

from __future__ import annotations

from biip import ParseError
from biip.gtin import Gtin
from biip.rcn import Rcn
from stdnum import ean
from stdnum.exceptions import InvalidChecksum, ValidationError

from terminal.domain.codes.wallet import safe_preview
from terminal.domain.errors import InvalidCode

GTIN_LENGTHS = (8, 12, 13, 14)
KEY_LENGTH = 14


def is_ascii_digits(text: str) -> bool:
    """True for a non-empty string of 0-9 only (``str.isdigit`` also accepts '²' and '٣')."""
    return text.isascii() and text.isdigit()


def gtin_key(code: str) -> str:
    """The 14-digit catalog key for an EAN-13, EAN-8, UPC-A or GTIN-14 barcode.

    Raises ``InvalidCode`` for non-digits, a length no barcode has, or a wrong check
    digit (the message says which digit the code should end in).
    """
    text = code.strip()
    if not text:
        raise InvalidCode("code.empty")
    if not is_ascii_digits(text):
        bad = next(ch for ch in text if not ("0" <= ch <= "9"))
        raise InvalidCode("code.not_digits", preview=safe_preview(text), char=bad)
    if len(text) not in GTIN_LENGTHS:
        raise InvalidCode("code.bad_length", preview=safe_preview(text), length=len(text))
    try:
        ean.validate(text)
    except InvalidChecksum:
        expected = ean.calc_check_digit(text[:-1])
        raise InvalidCode("code.check_digit", barcode=text, expected=expected) from None
    except ValidationError as exc:  # pragma: no cover - length and digits checked above
        raise InvalidCode("code.invalid", barcode=text, detail=str(exc)) from None
    return text.zfill(KEY_LENGTH)


def is_restricted_circulation(key: str) -> bool:
    """True when the GTIN is a GS1 restricted circulation (in-store) number.

    That is GS1 prefixes 020-029 (UPC-A number system 2) and 200-299 (EAN-13 starting
    with 2, what scales print) in the 13-digit form, 040-049 (company internal), and
    GTIN-8 starting with 0 or 2. The prefix table is GS1's, as shipped in biip. Accepts a
    key from ``gtin_key`` or any barcode form it accepts; a GTIN-14 is never in-store.
    """
    full = gtin_key(key)
    try:
        return isinstance(Gtin.parse(full), Rcn)
    except ParseError:  # pragma: no cover - gtin_key has checked length and check digit
        return False
