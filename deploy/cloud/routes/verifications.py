"""``POST /v1/members/{member_id}/verifications``: a till asks the cloud to text the
member a one-time code (to add a face, to erase or withdraw a consent); the customer
types it on the till, which sends it with the request it proves.

The code goes to the phone the cloud holds for the member, never to a number the till
gives, and the answer carries no code: a till cannot prove a member on its own.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from deploy.cloud import one_time_codes
from deploy.cloud.auth import CurrentDevice, Db
from deploy.cloud.contract import VerificationRequest, VerificationResponse
from deploy.cloud.errors import ApiError, documented
from deploy.cloud.sms import CurrentSmsGateway, SmsError
from deploy.cloud.vault import CurrentVault

router = APIRouter(tags=["members"])

MemberId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


@router.post(
    "/members/{member_id}/verifications",
    status_code=201,
    responses=documented(401, 403, 404, 409, 422, 429, 503),
)
def send_code(
    member_id: MemberId,
    body: VerificationRequest,
    *,
    device: CurrentDevice,
    db: Db,
    vault: CurrentVault,
    gateway: CurrentSmsGateway,
) -> VerificationResponse:
    pending = db.run_write(
        lambda conn: one_time_codes.issue(
            conn,
            vault,
            member_id=member_id,
            store_id=device.store_id,
            purpose=body.purpose,
            device_id=device.device_id,
        )
    )
    try:
        one_time_codes.deliver(gateway, pending)
    except SmsError as error:
        # The stored code counts against the limits all the same: a failing provider
        # must not turn into unlimited codes.
        raise ApiError(503, "sms_unavailable", f"the code could not be sent: {error}") from None
    return VerificationResponse(otp_id=pending.otp_id, expires_at=pending.expires_at)
