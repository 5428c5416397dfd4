"""Catalog items: what the till sells and at what price.

An item is sold by the piece (``each``) or by weight (``kg``, priced per kilogram and
identified by the scale's PLU code). Prices are tax-inclusive integer cents, as on a
Chinese shelf label. This module validates items; it does not look them up (the store
does) and does not parse barcodes (``codes`` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from terminal.domain.errors import InvalidCatalogItem, MoneyError
from terminal.domain.money import BASIS_POINTS, check_cents

PLU_SKU_PREFIX = "PLU"
MAX_NAME_LENGTH = 120


class Unit(StrEnum):
    EACH = "each"
    KG = "kg"


def plu_sku(plu: str) -> str:
    """The catalog key of a weighed item: its scale PLU, kept apart from any GTIN."""
    return f"{PLU_SKU_PREFIX}{plu}"


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """One sellable item. ``sku`` is the lookup key: a 14-digit GTIN or ``PLU<code>``."""

    sku: str
    name_zh: str
    name_en: str
    price_cents: int
    tax_rate_bp: int
    unit: Unit = Unit.EACH
    barcode: str | None = None
    plu: str | None = None
    member_price_cents: int | None = None
    category: str = ""

    def __post_init__(self) -> None:
        label = self.barcode or self.plu or self.sku
        if not self.sku:
            raise InvalidCatalogItem("item has neither a barcode nor a PLU code")
        if not self.name_zh.strip() and not self.name_en.strip():
            raise InvalidCatalogItem(f"item {label} has no name")
        for name in (self.name_zh, self.name_en):
            if len(name) > MAX_NAME_LENGTH:
                raise InvalidCatalogItem(f"item {label}: name longer than {MAX_NAME_LENGTH}")
        try:
            check_cents(self.price_cents, f"price of {label}")
            if self.member_price_cents is not None:
                check_cents(self.member_price_cents, f"member price of {label}")
        except MoneyError as exc:
            raise InvalidCatalogItem(str(exc)) from None
        if self.price_cents == 0 or self.member_price_cents == 0:
            raise InvalidCatalogItem(f"item {label} has a zero price")
        if self.member_price_cents is not None and self.member_price_cents > self.price_cents:
            raise InvalidCatalogItem(
                f"item {label}: member price {self.member_price_cents} is above "
                f"the regular price {self.price_cents}"
            )
        if (
            isinstance(self.tax_rate_bp, bool)
            or not isinstance(self.tax_rate_bp, int)
            or not 0 <= self.tax_rate_bp < BASIS_POINTS
        ):
            raise InvalidCatalogItem(
                f"item {label}: tax rate must be 0-9999 basis points, got {self.tax_rate_bp!r}"
            )
        if self.unit is Unit.KG and not self.plu:
            raise InvalidCatalogItem(f"weighed item {label} needs a PLU code for the scale")

    @property
    def name(self) -> str:
        return self.name_zh or self.name_en

    def price_for(self, member: bool) -> int:
        """The unit price (per piece or per kg) a member or a guest pays."""
        if member and self.member_price_cents is not None:
            return self.member_price_cents
        return self.price_cents
