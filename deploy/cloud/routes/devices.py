"""``POST /v1/devices/register``: a one-time enrollment code buys a device id and token."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter
from sqlalchemy.engine import Connection

from deploy.cloud.auth import Db, new_token, token_digest
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.contract import RegisterRequest, RegisterResponse
from deploy.cloud.errors import ApiError, documented
from deploy.cloud.schema import devices, enrollment_codes
from deploy.cloud.stores import bump

router = APIRouter(tags=["devices"])
MAX_DEVICE_ID = 16


def normalise_code(code: str) -> str:
    """Codes are typed by people: ignore case, spaces and dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


@router.post("/devices/register", responses=documented(404, 409, 422))
def register(body: RegisterRequest, db: Db) -> RegisterResponse:
    code = normalise_code(body.code)
    token = new_token()

    def work(conn: Connection) -> RegisterResponse:
        row = conn.execute(
            sa.select(enrollment_codes).where(enrollment_codes.c.code == code)
        ).first()
        if row is None:
            raise ApiError(
                404, "code_unknown", "no such enrollment code; check it or ask for a new one"
            )
        if row.used_at is not None:
            raise _code_used()
        store_id = row.store_id
        device_id = f"{store_id}T{bump(conn, store_id, 'device_seq'):03d}"
        if len(device_id) > MAX_DEVICE_ID:
            raise ApiError(409, "store_full", f"store {store_id} has no device ids left")
        now = utc_now_iso()
        # The used_at condition makes a second, concurrent use of the code lose here.
        claimed = conn.execute(
            sa.update(enrollment_codes)
            .where(enrollment_codes.c.code == code, enrollment_codes.c.used_at.is_(None))
            .values(used_at=now, device_id=device_id)
        )
        if claimed.rowcount != 1:
            raise _code_used()
        conn.execute(
            sa.insert(devices).values(
                device_id=device_id,
                store_id=store_id,
                name=body.device_name,
                token_sha256=token_digest(token),
                created_at=now,
            )
        )
        return RegisterResponse(device_id=device_id, store_id=store_id, token=token)

    return db.run_write(work)


def _code_used() -> ApiError:
    return ApiError(409, "code_used", "this enrollment code was already used; ask for a new one")
