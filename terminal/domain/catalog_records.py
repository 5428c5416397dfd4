"""Catalog items as flat records (CSV rows, JSON objects, the cloud's catalog stream).

Pure conversion with validation: a barcode becomes the 14-digit lookup key, a weighed
item is keyed by its scale PLU, and every problem is a ``ValueError`` or ``DomainError``
with a message that names the field. Reading files is the app's job, not this module's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from terminal.domain.catalog import CatalogItem, Unit, plu_sku
from terminal.domain.codes import gtin_key

COLUMNS = (
    "barcode",
    "plu",
    "name_zh",
    "name_en",
    "category",
    "price_cents",
    "member_price_cents",
    "tax_rate_bp",
    "unit",
)


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value).strip()


def _int(record: Mapping[str, Any], key: str, required: bool = True) -> int | None:
    value = record.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"{key} is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{key} must be a whole number of cents, got {value!r}")
    if isinstance(value, str):
        value = value.strip()
        if not value.lstrip("-").isdigit():
            raise ValueError(f"{key} must be a whole number, got {value!r}")
    return int(value)


def item_from_record(record: Mapping[str, Any]) -> CatalogItem:
    barcode = _text(record, "barcode") or None
    plu = _text(record, "plu") or None
    unit_text = _text(record, "unit") or "each"
    try:
        unit = Unit(unit_text)
    except ValueError:
        raise ValueError(f"unit must be 'each' or 'kg', got {unit_text!r}") from None
    if unit is Unit.KG:
        if not plu:
            raise ValueError("a weighed (kg) item needs a plu")
        if not plu.isdigit():
            raise ValueError(f"plu must be digits, got {plu!r}")
        sku = plu_sku(plu)
    elif barcode:
        sku = gtin_key(barcode)
    else:
        raise ValueError("an item sold by the piece needs a barcode")
    price = _int(record, "price_cents")
    tax = _int(record, "tax_rate_bp")
    assert price is not None and tax is not None
    return CatalogItem(
        sku=sku,
        barcode=barcode,
        plu=plu,
        name_zh=_text(record, "name_zh"),
        name_en=_text(record, "name_en"),
        category=_text(record, "category"),
        price_cents=price,
        member_price_cents=_int(record, "member_price_cents", required=False),
        tax_rate_bp=tax,
        unit=unit,
    )


def item_to_record(item: CatalogItem) -> dict[str, Any]:
    return {
        "barcode": item.barcode or "",
        "plu": item.plu or "",
        "name_zh": item.name_zh,
        "name_en": item.name_en,
        "category": item.category,
        "price_cents": item.price_cents,
        "member_price_cents": item.member_price_cents,
        "tax_rate_bp": item.tax_rate_bp,
        "unit": str(item.unit),
    }
