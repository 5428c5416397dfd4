"""What a weighed item costs: ``weighed_amount(item, weight)`` turns a catalog item priced
per kilogram and a scale's reading into the line amount, or refuses the reading.

The rule: amount = price per kg (int fen) x grams / 1000, rounded half up to the fen
(``money.scale``, the same arithmetic ``cart.CartLine.gross_cents`` uses for a weighed
line, so the amount shown while weighing is the amount the cart charges). No float is
involved. A reading is refused when the scale is still moving, out of range (overload or
underload), at zero or below, or heavier than the till accepts (``MAX_WEIGHT_GRAMS``, or
the scale's own capacity when the caller gives a smaller one).

A weight comes in as anything with ``grams``, ``stable``, ``overload`` and ``underload``
(``ScaleWeight``): the serial scale driver's ``drivers.scale.Weight`` is one, and the
domain does not import the driver.

Refusals carry a reason code (``WeighingRefusal``), like the face decision's ``Why``: the
screens turn the code into words. They are not ``TillError`` codes yet, because every
registered code needs its text in the string catalog (``terminal/ui``); whoever wires the
scale into the till adds those texts and may then raise a ``CartError`` from
``refused.refusal`` and ``refused.params``. What must not live here: the serial protocol,
the cart, the till's state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Protocol

from terminal.domain.cart import MAX_WEIGHT_GRAMS
from terminal.domain.catalog import CatalogItem, Unit
from terminal.domain.errors import DomainError
from terminal.domain.money import check_cents, scale
from terminal.errors import Reason

GRAMS_PER_KG = 1000


class ScaleWeight(Protocol):
    """What the helper reads of a scale's reading; ``grams`` is None when out of range."""

    @property
    def grams(self) -> int | None: ...

    @property
    def stable(self) -> bool: ...

    @property
    def overload(self) -> bool: ...

    @property
    def underload(self) -> bool: ...


class WeighingRefusal(StrEnum):
    """Why a reading cannot price a line; each value is a message id for the screens."""

    SOLD_BY_PIECE = "weighing.sold_by_piece"
    OVERLOAD = "weighing.overload"
    UNDERLOAD = "weighing.underload"
    UNSTABLE = "weighing.unstable"
    NO_WEIGHT = "weighing.no_weight"
    NEGATIVE = "weighing.negative"
    OVER_MAX = "weighing.over_max"


# English for the log and the CLI; the screens use the string catalog.
_ENGLISH: dict[WeighingRefusal, str] = {
    WeighingRefusal.SOLD_BY_PIECE: "{name} is sold by the piece: scan its own barcode",
    WeighingRefusal.OVERLOAD: "the scale is overloaded: take something off",
    WeighingRefusal.UNDERLOAD: "the scale reads below zero: empty it and zero it",
    WeighingRefusal.UNSTABLE: "the scale is still moving: wait for it to settle",
    WeighingRefusal.NO_WEIGHT: "the scale reads zero: put the item on the scale",
    WeighingRefusal.NEGATIVE: (
        "the scale reads {weight_grams} g, below zero: empty it and zero or re-tare it"
    ),
    WeighingRefusal.OVER_MAX: (
        "{weight_grams} g is over the {max_grams} g this till accepts on one line: weigh in parts"
    ),
}


class WeighingError(DomainError):
    """A reading refused as the till's error (what the cashier sees): the same codes."""

    CODES: ClassVar[Mapping[str, str]] = {
        **{str(refusal): english for refusal, english in _ENGLISH.items()},
        "weighing.no_scale": "no stable weight from the scale: put the item on it and wait",
    }
    DEFAULT: ClassVar[str] = "weighing.no_weight"


class WeighingRefused(Exception):
    """A reading that cannot price a line: ``refusal`` says why, ``params`` the details
    (``name``, ``weight_grams``, ``max_grams``); ``str()`` is English for the log."""

    def __init__(self, refusal: WeighingRefusal, /, **params: object) -> None:
        self.refusal = refusal
        self.params: dict[str, object] = dict(params)
        super().__init__(_ENGLISH[refusal].format(**params))

    @property
    def reason(self) -> Reason:
        return Reason(str(self.refusal), self.params)

    def as_error(self) -> WeighingError:
        return WeighingError(self.refusal.value, **self.params)


@dataclass(frozen=True, slots=True)
class TypedWeight:
    """A weight typed by hand (no scale at the till): as stable as the person typing it,
    so only a manager may enter one."""

    grams: int
    stable: bool = True
    overload: bool = False
    underload: bool = False


@dataclass(frozen=True, slots=True)
class WeighedAmount:
    """A priced reading: the weight, the price per kg used and the line amount, in fen."""

    grams: int
    price_per_kg_cents: int
    amount_cents: int


def weighed_amount(
    item: CatalogItem,
    weight: ScaleWeight,
    *,
    member: bool = False,
    max_grams: int = MAX_WEIGHT_GRAMS,
) -> WeighedAmount:
    """The line amount of ``item`` at ``weight`` (member or guest price), half up to the
    fen; raises ``WeighingRefused`` for a reading that must not price a sale, and
    ``MoneyError`` for an amount over the money limit."""
    if isinstance(max_grams, bool) or not isinstance(max_grams, int):
        raise TypeError(f"max_grams must be an int, got {max_grams!r}")
    if not 0 < max_grams <= MAX_WEIGHT_GRAMS:
        # Above the cart's own limit the cart would refuse the line the till adds.
        raise ValueError(f"max_grams must be 1 to {MAX_WEIGHT_GRAMS}, got {max_grams}")
    if item.unit is not Unit.KG:
        raise WeighingRefused(WeighingRefusal.SOLD_BY_PIECE, name=item.name)
    # Out of range first: a moving, overloaded scale is overloaded, and its digits mean
    # nothing.
    if weight.overload:
        raise WeighingRefused(WeighingRefusal.OVERLOAD)
    if weight.underload:
        raise WeighingRefused(WeighingRefusal.UNDERLOAD)
    if not weight.stable:
        raise WeighingRefused(WeighingRefusal.UNSTABLE)
    grams = weight.grams
    if grams is None or grams == 0:
        raise WeighingRefused(WeighingRefusal.NO_WEIGHT)
    if isinstance(grams, bool) or not isinstance(grams, int):
        raise TypeError(f"grams must be an int, got {grams!r}")
    if grams < 0:
        raise WeighingRefused(WeighingRefusal.NEGATIVE, weight_grams=grams)
    if grams > max_grams:
        raise WeighingRefused(WeighingRefusal.OVER_MAX, weight_grams=grams, max_grams=max_grams)
    price = item.price_for(member)
    amount = check_cents(scale(price, grams, GRAMS_PER_KG), f"amount of {item.name}")
    return WeighedAmount(grams=grams, price_per_kg_cents=price, amount_cents=amount)
