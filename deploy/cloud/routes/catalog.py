"""``GET /v1/catalog``: the store's catalog changes after a cursor, oldest first."""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query

from deploy.cloud.auth import CurrentDevice, Db
from deploy.cloud.contract import CatalogItem, CatalogPage
from deploy.cloud.errors import documented
from deploy.cloud.schema import catalog_items

router = APIRouter(tags=["catalog"])

MAX_CURSOR = 2**62
Cursor = Annotated[int, Query(ge=0, le=MAX_CURSOR, description="next_cursor of the last page")]
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("/catalog", responses=documented(401, 422))
def pull_catalog(
    device: CurrentDevice, db: Db, cursor: Cursor = 0, limit: Limit = 500
) -> CatalogPage:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(catalog_items)
            .where(catalog_items.c.store_id == device.store_id, catalog_items.c.change_seq > cursor)
            .order_by(catalog_items.c.change_seq)
            .limit(limit + 1)
        ).all()
    page = rows[:limit]
    return CatalogPage(
        items=[
            CatalogItem(
                barcode=row.barcode,
                plu=row.plu,
                name_zh=row.name_zh,
                name_en=row.name_en,
                category=row.category,
                price_cents=row.price_cents,
                member_price_cents=row.member_price_cents,
                tax_rate_bp=row.tax_rate_bp,
                unit=row.unit,
                deleted=row.deleted,
            )
            for row in page
        ],
        next_cursor=page[-1].change_seq if page else cursor,
        has_more=len(rows) > limit,
    )
