"""In-store weight and price labels: EAN-13 codes with prefix 20-29 printed by a scale.

Each store chooses its own layout (Chinese scales have no national standard and biip has
no China region), so the layout is data: a 13-letter pattern such as ``FFIIIIIVVVVVC``
plus the prefixes the store uses and whether the value is a price (fen) or a weight
(grams). ``parse_weighed`` reads a code with a layout; ``WeighedCodeLayout.build_code``
prints one (for the demo scanner and tests). The EAN check digit is verified with
python-stdnum and the optional price check digit with biip's GS1 algorithm.

What must not live here: reading the layout from a config file, looking the PLU up in the
catalog, or computing a line total (that is pricing's job).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from biip.checksums import gs1_price_weight_check_digit
from stdnum import ean

from terminal.domain.codes.gtin import gtin_key, is_ascii_digits
from terminal.domain.errors import InvalidCode

ValueKind = Literal["price", "weight"]
VALUE_KINDS: tuple[ValueKind, ...] = ("price", "weight")
PATTERN_LENGTH = 13
DEFAULT_PREFIXES = frozenset(f"2{d}" for d in range(10))
COMMON_CHINESE_PATTERN = "FFIIIIIVVVVVC"
# The GS1 price/weight check digit is only defined for 4- and 5-digit values.
_CHECKED_VALUE_LENGTHS = (4, 5)
_LETTERS = {
    "F": "flag/prefix digit",
    "I": "item (PLU) digit",
    "V": "value digit",
    "X": "price check digit",
    "C": "EAN-13 check digit",
}


class LayoutError(ValueError):
    """A weighed-code layout in the store settings that cannot work; names the bad part."""


def _run(pattern: str, letter: str) -> slice:
    """The one contiguous run of ``letter`` in ``pattern``, or ``LayoutError``."""
    first, last = pattern.find(letter), pattern.rfind(letter)
    if first < 0:
        raise LayoutError(f"pattern '{pattern}': needs at least one {letter} ({_LETTERS[letter]})")
    if pattern[first : last + 1] != letter * (last - first + 1):
        raise LayoutError(
            f"pattern '{pattern}': the {letter} digits ({_LETTERS[letter]}s) must be one run"
        )
    return slice(first, last + 1)


@dataclass(frozen=True)
class WeighedCodeLayout:
    """Where the prefix, PLU and value sit in a store's 13-digit scale label."""

    pattern: str = COMMON_CHINESE_PATTERN
    prefixes: frozenset[str] = DEFAULT_PREFIXES
    value: ValueKind = "price"
    _flag: slice = field(init=False, repr=False, compare=False)
    _item: slice = field(init=False, repr=False, compare=False)
    _value: slice = field(init=False, repr=False, compare=False)
    _value_check: int | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pattern = self.pattern
        if not isinstance(pattern, str) or len(pattern) != PATTERN_LENGTH:
            size = len(pattern) if isinstance(pattern, str) else type(pattern).__name__
            raise LayoutError(
                f"pattern {pattern!r}: must be {PATTERN_LENGTH} letters, one per digit (got {size})"
            )
        for position, letter in enumerate(pattern, start=1):
            if letter not in _LETTERS:
                raise LayoutError(
                    f"pattern '{pattern}': unknown letter {letter!r} at position {position};"
                    " use F (prefix), I (item), V (value), X (price check), C (check digit)"
                )
        if pattern.count("C") != 1 or pattern[-1] != "C":
            raise LayoutError(f"pattern '{pattern}': must end in one C (the EAN-13 check digit)")
        flag = _run(pattern, "F")
        if flag.start != 0:
            raise LayoutError(f"pattern '{pattern}': must start with the F (prefix) digits")
        item, value = _run(pattern, "I"), _run(pattern, "V")
        value_length = value.stop - value.start
        value_check: int | None = None
        if "X" in pattern:
            if pattern.count("X") != 1:
                raise LayoutError(f"pattern '{pattern}': at most one X (price check digit)")
            if value_length not in _CHECKED_VALUE_LENGTHS:
                raise LayoutError(
                    f"pattern '{pattern}': an X (price check digit) needs 4 or 5 V digits,"
                    f" not {value_length}"
                )
            value_check = pattern.index("X")
        self._check_prefixes(flag.stop)
        if self.value not in VALUE_KINDS:
            raise LayoutError(f"value {self.value!r}: must be 'price' or 'weight'")
        object.__setattr__(self, "_flag", flag)
        object.__setattr__(self, "_item", item)
        object.__setattr__(self, "_value", value)
        object.__setattr__(self, "_value_check", value_check)

    def _check_prefixes(self, length: int) -> None:
        if not isinstance(self.prefixes, frozenset) or not self.prefixes:
            raise LayoutError("prefixes: give at least one, e.g. ['20', '21']")
        for prefix in sorted(self.prefixes):
            if not isinstance(prefix, str) or not is_ascii_digits(prefix):
                raise LayoutError(f"prefix {prefix!r}: must be digits, e.g. '21'")
            if len(prefix) != length:
                raise LayoutError(
                    f"prefix '{prefix}': must be {length} digit(s), one per F in the pattern"
                    f" '{self.pattern}'"
                )
            if prefix[0] != "2":
                raise LayoutError(
                    f"prefix '{prefix}': in-store codes start with 2 (20-29),"
                    " other prefixes belong to real products"
                )

    @classmethod
    def from_config(cls, pattern: str, prefixes: list[str], value: str) -> WeighedCodeLayout:
        """Build a layout from store settings; ``LayoutError`` names the bad part."""
        if isinstance(prefixes, str):
            raise LayoutError(f"prefixes {prefixes!r}: give a list like ['20', '21']")
        if value not in VALUE_KINDS:
            raise LayoutError(f"value {value!r}: must be 'price' or 'weight'")
        kind: ValueKind = "price" if value == "price" else "weight"
        cleaned = frozenset(str(p).strip() for p in prefixes)
        return cls(pattern=str(pattern).strip().upper(), prefixes=cleaned, value=kind)

    @property
    def item_digits(self) -> int:
        return int(self._item.stop - self._item.start)

    @property
    def value_digits(self) -> int:
        return int(self._value.stop - self._value.start)

    def matches(self, code: str) -> bool:
        """True when ``code`` is 13 digits starting with one of this store's prefixes."""
        return (
            len(code) == PATTERN_LENGTH
            and is_ascii_digits(code)
            and code[self._flag] in self.prefixes
        )

    def build_code(self, plu: str, value: int, prefix: str | None = None) -> str:
        """The 13-digit label a scale with this layout prints for ``plu`` and ``value``."""
        chosen = min(self.prefixes) if prefix is None else prefix
        if chosen not in self.prefixes:
            raise ValueError(f"prefix '{chosen}' is not one of {sorted(self.prefixes)}")
        if len(plu) != self.item_digits or not is_ascii_digits(plu):
            raise ValueError(f"PLU '{plu}' must be {self.item_digits} digits")
        if not 0 <= value < 10**self.value_digits:
            raise ValueError(f"{self.value} {value} does not fit {self.value_digits} digits")
        digits = ["0"] * PATTERN_LENGTH
        digits[self._flag] = chosen
        digits[self._item] = plu
        value_text = str(value).zfill(self.value_digits)
        digits[self._value] = value_text
        if self._value_check is not None:
            digits[self._value_check] = str(gs1_price_weight_check_digit(value_text))
        body = "".join(digits[:-1])
        return body + ean.calc_check_digit(body)


@dataclass(frozen=True)
class WeighedCode:
    """A scale label read with a layout: the PLU and either a price or a weight."""

    plu: str
    price_cents: int | None
    weight_grams: int | None
    raw: str


def parse_weighed(code: str, layout: WeighedCodeLayout) -> WeighedCode | None:
    """Read a scale label, or ``None`` when ``code`` is not one of this store's prefixes.

    A code with a matching prefix that is broken (EAN check digit, price check digit, a
    zero value) raises ``InvalidCode``: it is a damaged label, not some other product.
    """
    text = code.strip()
    if not layout.matches(text):
        return None
    gtin_key(text)  # the EAN-13 check digit, with the usual cashier message
    value_text = text[layout._value]
    if layout._value_check is not None:
        expected = gs1_price_weight_check_digit(value_text)
        if text[layout._value_check] != str(expected):
            raise InvalidCode("code.scale_check_digit", kind=layout.value, label=text)
    amount = int(value_text)
    if amount == 0:
        raise InvalidCode("code.scale_zero", kind=layout.value, label=text)
    return WeighedCode(
        plu=text[layout._item],
        price_cents=amount if layout.value == "price" else None,
        weight_grams=amount if layout.value == "weight" else None,
        raw=text,
    )
