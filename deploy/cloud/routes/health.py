"""``GET /v1/health``: up, and which database; no token needed."""

from __future__ import annotations

from fastapi import APIRouter

from deploy.cloud import API_VERSION
from deploy.cloud.auth import Db
from deploy.cloud.contract import Health
from deploy.cloud.errors import ApiError, documented

router = APIRouter(tags=["health"])


@router.get("/health", responses=documented(503))
def health(db: Db) -> Health:
    if not db.ping():
        raise ApiError(503, "database_unavailable", "the database does not answer")
    return Health(status="ok", database=db.dialect, version=API_VERSION)
