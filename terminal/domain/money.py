"""Money as integer cents (fen), and the only rounding rules the till uses.

Amounts are plain ``int`` cents everywhere: no float ever holds money. Rates are basis
points (1 bp = 0.01 %), so 13 % VAT is 1300. Division rounds half up (away from zero for
positives), which is how Chinese retail receipts round to the fen.
"""

from __future__ import annotations

import re

from terminal.domain.errors import MoneyError

BASIS_POINTS = 10_000
# A single amount above this is a typo, not a sale: 10 million yuan.
MAX_AMOUNT_CENTS = 1_000_000_000
# ASCII digits only: a full-width or Arabic-Indic digit is a typing accident, not an amount.
_AMOUNT = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")


def check_cents(value: object, what: str = "amount") -> int:
    """Return ``value`` if it is a whole, non-negative, sane number of cents."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise MoneyError("money.not_cents", what=what, value=value)
    if value < 0:
        raise MoneyError("money.negative", what=what, value_cents=value)
    if value > MAX_AMOUNT_CENTS:
        raise MoneyError(
            "money.over_limit", what=what, value_cents=value, limit_cents=MAX_AMOUNT_CENTS
        )
    return value


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero (exact: no float involved)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return sign * quotient


def scale(amount_cents: int, numerator: int, denominator: int) -> int:
    """``amount * numerator / denominator`` rounded half up, e.g. a price per kg times grams."""
    return div_round_half_up(amount_cents * numerator, denominator)


def format_cents(cents: int, symbol: str = "") -> str:
    """12345 -> '123.45' (with an optional currency symbol in front)."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{symbol}{whole}.{frac:02d}"


def parse_amount(text: str) -> int:
    """A typed amount in yuan ('12.3', '12.30', '12') to cents; refuses fractions of a fen."""
    cleaned = text.strip()
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        raise MoneyError("money.not_an_amount", text=cleaned[:20])
    sign, whole, fraction = match.group(1), match.group(2), match.group(3) or ""
    if fraction[2:].strip("0"):
        raise MoneyError("money.too_many_decimals", text=cleaned[:20])
    if len(whole) > len(str(MAX_AMOUNT_CENTS)):
        raise MoneyError("money.too_large", text=cleaned[:20], limit_cents=MAX_AMOUNT_CENTS)
    cents = int(whole) * 100 + int(fraction[:2].ljust(2, "0"))
    return check_cents(-cents if sign else cents)
