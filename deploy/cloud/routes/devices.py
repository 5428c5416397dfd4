"""A device's own credentials: ``POST /v1/devices/register`` trades a one-time enrollment
code for a device id, a bearer token and the store's gallery key; ``DELETE
/v1/devices/self`` revokes the caller's own token.

A code that is unknown, already used or expired gets one and the same answer, so trying
codes tells nothing about which exist; failed attempts are rate-limited per client
address (``rate_limit.REGISTRATIONS``).
"""

from __future__ import annotations

import base64
import logging
from datetime import UTC, datetime

import sqlalchemy as sa
from fastapi import APIRouter, Request
from sqlalchemy.engine import Connection

from deploy.cloud import device_admin
from deploy.cloud.auth import CurrentDevice, Db, new_token, token_digest
from deploy.cloud.contract import DeviceRevoked, RegisterRequest, RegisterResponse
from deploy.cloud.errors import ApiError, documented
from deploy.cloud.rate_limit import REGISTRATIONS, limiter_for, refuse_when_over
from deploy.cloud.schema import devices, enrollment_codes
from deploy.cloud.stores import bump
from deploy.cloud.vault import CurrentVault

log = logging.getLogger(__name__)
router = APIRouter(tags=["devices"])
MAX_DEVICE_ID = 16


@router.post("/devices/register", responses=documented(403, 409, 422, 429))
def register(
    body: RegisterRequest, db: Db, vault: CurrentVault, request: Request
) -> RegisterResponse:
    # Counted before the code is looked at (parallel guesses cannot overshoot); given
    # back below when the code was good.
    client = refuse_when_over(request, REGISTRATIONS)
    digest = device_admin.code_digest(body.code)
    token = new_token()

    def work(conn: Connection) -> RegisterResponse:
        now = datetime.now(UTC)
        row = conn.execute(
            sa.select(enrollment_codes).where(enrollment_codes.c.code_sha256 == digest)
        ).first()
        if row is None or row.used_at is not None or device_admin.is_expired(row.expires_at, now):
            raise _code_invalid()
        store_id = row.store_id
        device_id = f"{store_id}T{bump(conn, store_id, 'device_seq'):03d}"
        if len(device_id) > MAX_DEVICE_ID:
            raise ApiError(409, "store_full", f"store {store_id} has no device ids left")
        stamp = device_admin.iso(now)
        # The used_at condition makes a second, concurrent use of the code lose here.
        claimed = conn.execute(
            sa.update(enrollment_codes)
            .where(enrollment_codes.c.code_sha256 == digest, enrollment_codes.c.used_at.is_(None))
            .values(used_at=stamp, device_id=device_id)
        )
        if claimed.rowcount != 1:
            raise _code_invalid()
        conn.execute(
            sa.insert(devices).values(
                device_id=device_id,
                store_id=store_id,
                name=body.device_name,
                token_sha256=token_digest(token),
                created_at=stamp,
            )
        )
        gallery_key = vault.gallery_key(conn, store_id)
        return RegisterResponse(
            device_id=device_id,
            store_id=store_id,
            token=token,
            gallery_key=base64.b64encode(gallery_key).decode("ascii"),
        )

    answer = db.run_write(work)
    limiter_for(request, REGISTRATIONS).forgive(client)
    log.info("device registered", extra={"device": answer.device_id, "store": answer.store_id})
    return answer


@router.delete("/devices/self", responses=documented(401, 429))
def revoke_self(device: CurrentDevice, db: Db) -> DeviceRevoked:
    """Revoke the token this request carries, at once and for good: a till being wiped or
    registered again gives up its old token. The device's records stay."""
    with db.write() as conn:
        done = device_admin.revoke_in(conn, device.device_id, by=device_admin.SELF)
    log.info("device revoked its own token", extra={"device": device.device_id})
    record = done.device
    return DeviceRevoked(
        device_id=record.device_id,
        revoked_at=str(record.revoked_at),
        revoked_by=record.revoked_by or device_admin.SELF,
    )


def _code_invalid() -> ApiError:
    # One answer for unknown, used and expired codes: which one it was is not told.
    return ApiError(
        403,
        "code_invalid",
        "this enrollment code is not valid (unknown, already used or expired); ask for a new one",
    )
