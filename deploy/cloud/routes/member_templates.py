"""``POST /v1/members/{member_id}/templates``: a face added to an existing member.

A device can never add a face to a member on its own word (an enrollment naming an
existing member is refused): the member proves it is them with the one-time code sent to
their phone (``POST /v1/members/{id}/verifications`` with purpose ``add_template``). A
wrong try is committed before it is refused, so the attempts count.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy.engine import Connection

from deploy.cloud import member_records, one_time_codes
from deploy.cloud.auth import CurrentDevice, Db, require_same_store
from deploy.cloud.contract import AddTemplatesRequest, AddTemplatesResponse
from deploy.cloud.errors import ApiError, documented, invalid
from deploy.cloud.face_templates import TemplateError, decode_checked
from deploy.cloud.vault import CurrentVault

router = APIRouter(tags=["members"])

MemberId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


@router.post(
    "/members/{member_id}/templates",
    status_code=201,
    responses=documented(401, 403, 404, 409, 422),
)
def add_templates(
    member_id: MemberId,
    body: AddTemplatesRequest,
    *,
    device: CurrentDevice,
    db: Db,
    vault: CurrentVault,
) -> AddTemplatesResponse:
    try:
        probes = decode_checked([(t.model, t.vector) for t in body.templates])
    except TemplateError as error:
        raise invalid(str(error)) from None

    def work(conn: Connection) -> AddTemplatesResponse | one_time_codes.Check:
        member = member_records.find(conn, member_id)
        if member is None:
            raise ApiError(404, "member_unknown", f"member {member_id} is not known")
        require_same_store(device, member.store_id, f"member {member_id}")
        if member.deleted:
            raise ApiError(409, "member_erased", f"member {member_id} was erased")
        if not member.face_enabled:
            raise ApiError(
                409, "face_disabled", f"member {member_id} withdrew face pay; enrol again"
            )
        check = one_time_codes.verify(
            conn, vault, body.otp_id, body.code, member_id=member_id, purpose="add_template"
        )
        if not check.ok:
            return check  # committed: the wrong try counts
        for probe in probes:
            member_records.add_template(conn, vault, member_id, member.store_id, probe)
        member_records.touch(conn, member.store_id, member_id)
        return AddTemplatesResponse(member_id=member_id, added=len(probes))

    done = db.run_write(work)
    if isinstance(done, one_time_codes.Check):
        raise one_time_codes.refusal(done)
    return done
