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
            raise InvalidCatalogItem("catalog.no_code")
        if not self.name_zh.strip() and not self.name_en.strip():
            raise InvalidCatalogItem("catalog.no_name", item=label)
        for name in (self.name_zh, self.name_en):
            if len(name) > MAX_NAME_LENGTH:
                raise InvalidCatalogItem(
                    "catalog.name_too_long", item=label, max_length=MAX_NAME_LENGTH
                )
        try:
            check_cents(self.price_cents, f"price of {label}")
            if self.member_price_cents is not None:
                check_cents(self.member_price_cents, f"member price of {label}")
        except MoneyError as exc:
            # The money rule's own code and fields (``what`` names the price and the
            # item), as the catalog's error for its callers.
            raise InvalidCatalogItem(exc.code, **exc.params) from None
        if self.price_cents == 0 or self.member_price_cents == 0:
            raise InvalidCatalogItem("catalog.zero_price", item=label)
        if self.member_price_cents is not None and self.member_price_cents > self.price_cents:
            raise InvalidCatalogItem(
                "catalog.member_price_above",
                item=label,
                member_price_cents=self.member_price_cents,
                price_cents=self.price_cents,
            )
        if (
            isinstance(self.tax_rate_bp, bool)
            or not isinstance(self.tax_rate_bp, int)
            or not 0 <= self.tax_rate_bp < BASIS_POINTS
        ):
            raise InvalidCatalogItem(
                "catalog.bad_tax_rate", item=label, tax_rate_bp=self.tax_rate_bp
            )
        if self.unit is Unit.KG and not self.plu:
            raise InvalidCatalogItem("catalog.kg_needs_plu", item=label)

    @property
    def name(self) -> str:
        return self.name_zh or self.name_en

    def price_for(self, member: bool) -> int:
        """The unit price (per piece or per kg) a member or a guest pays."""
        if member and self.member_price_cents is not None:
            return self.member_price_cents
        return self.price_cents
