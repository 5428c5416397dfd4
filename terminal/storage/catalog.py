"""Catalog items on disk: bulk import (upsert), lookup by GTIN key or scale PLU, export.

What must not live here: parsing catalog files or cloud records (``terminal/app/
catalog_files.py``, ``terminal/domain/catalog_records.py``), pricing (``terminal/domain``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from terminal.domain.catalog import CatalogItem, Unit
from terminal.storage.database import write_transaction


class CatalogRepository:
    def __init__(self, db: Database):
        self.db = db

    def upsert(self, items: Iterable[CatalogItem], now: datetime) -> int:
        """Insert or replace items by SKU, all or nothing; returns how many were written."""
        rows = [_row(item, now) for item in items]
        with write_transaction(self.db):
            if rows:
                self.db.table("catalog_items").upsert_all(rows, pk="sku")
        return len(rows)

    def apply_changes_in_transaction(
        self, upserts: Iterable[CatalogItem], deleted_skus: Iterable[str], now: datetime
    ) -> None:
        """A page of the cloud's catalog stream; call inside a write transaction."""
        rows = [_row(item, now) for item in upserts]
        if rows:
            self.db.table("catalog_items").upsert_all(rows, pk="sku")
        for sku in deleted_skus:
            self.db.execute("DELETE FROM catalog_items WHERE sku = ?", [sku])

    def by_sku(self, sku: str) -> CatalogItem | None:
        rows = list(self.db.query("SELECT * FROM catalog_items WHERE sku = ?", [sku]))
        return _item(rows[0]) if rows else None

    def by_plu(self, plu: str) -> CatalogItem | None:
        rows = list(self.db.query("SELECT * FROM catalog_items WHERE plu = ?", [plu]))
        return _item(rows[0]) if rows else None

    def all(self) -> Iterator[CatalogItem]:
        for row in self.db.query("SELECT * FROM catalog_items ORDER BY category, sku"):
            yield _item(row)

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM catalog_items").fetchone()[0])


def _row(item: CatalogItem, now: datetime) -> dict[str, Any]:
    return {
        "sku": item.sku,
        "barcode": item.barcode,
        "plu": item.plu,
        "name_zh": item.name_zh,
        "name_en": item.name_en,
        "category": item.category,
        "price_cents": item.price_cents,
        "member_price_cents": item.member_price_cents,
        "tax_rate_bp": item.tax_rate_bp,
        "unit": str(item.unit),
        "updated_at": now.isoformat(),
    }


def _item(row: dict[str, Any]) -> CatalogItem:
    return CatalogItem(
        sku=row["sku"],
        barcode=row["barcode"],
        plu=row["plu"],
        name_zh=row["name_zh"],
        name_en=row["name_en"],
        category=row["category"],
        price_cents=row["price_cents"],
        member_price_cents=row["member_price_cents"],
        tax_rate_bp=row["tax_rate_bp"],
        unit=Unit(row["unit"]),
    )
