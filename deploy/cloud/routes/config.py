"""``GET /v1/config``: the calling device's store settings for terminals."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter

from deploy.cloud.auth import CurrentDevice, Db
from deploy.cloud.contract import StoreConfig
from deploy.cloud.errors import documented
from deploy.cloud.schema import stores

router = APIRouter(tags=["config"])


@router.get("/config", responses=documented(401))
def store_config(device: CurrentDevice, db: Db) -> StoreConfig:
    with db.read() as conn:
        row = conn.execute(sa.select(stores).where(stores.c.store_id == device.store_id)).one()
    return StoreConfig(
        version=row.config_version,
        offline_face_pay_max_cents=row.offline_face_pay_max_cents,
        offline_face_pay_daily_cents=row.offline_face_pay_daily_cents,
        membership_threshold=row.membership_threshold,
        payment_threshold=row.payment_threshold,
    )
