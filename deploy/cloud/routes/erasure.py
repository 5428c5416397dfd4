"""``POST /v1/erasure-requests``: a customer at a till asks to be erased, and proves it
is them with the one-time code sent to their phone (``verifications``).

A till cannot erase on its own word: the code is checked here, the till's own face
check only recorded. A repeat for a member erased already answers the earlier erasure.
After the erasure commits, the deleted bytes are pushed out of the database files.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy.engine import Connection

from deploy.cloud import erasure
from deploy.cloud.auth import CurrentDevice, Db, require_same_store
from deploy.cloud.contract import ErasureRequest, ErasureResponse
from deploy.cloud.errors import ApiError, documented
from deploy.cloud.one_time_codes import Check, refusal
from deploy.cloud.vault import CurrentVault

router = APIRouter(tags=["members"])


@router.post(
    "/erasure-requests",
    status_code=201,
    responses={200: {"model": ErasureResponse}, **documented(401, 403, 404, 422)},
)
def request_erasure(
    body: ErasureRequest, device: CurrentDevice, db: Db, vault: CurrentVault, response: Response
) -> ErasureResponse:
    def work(conn: Connection) -> erasure.Erasure | Check:
        member = erasure.lock_member(conn, body.member_id)
        if member is None:
            raise ApiError(404, "member_unknown", f"member {body.member_id} is not known")
        require_same_store(device, member.store_id, f"member {body.member_id}")
        if member.deleted:
            return erasure.earlier(conn, member.member_id)
        proved = erasure.prove(
            conn,
            vault,
            member.member_id,
            body.otp_id,
            body.code,
            device_id=device.device_id,
            requested_by=body.requested_by,
            face_verified=body.face_verified,
        )
        if isinstance(proved, Check):
            return proved
        return erasure.erase_member(conn, member, proved)

    done = db.run_write(work)
    if isinstance(done, Check):
        raise refusal(done)
    if not done.repeat:
        erasure.scrub(db)
    response.status_code = 200 if done.repeat else 201
    return ErasureResponse(
        member_id=done.member_id,
        erasure_id=done.erasure_id,
        proof=done.proof,
        erased_at=done.created_at,
        repeat=done.repeat,
    )
