"""``GET /v1/consent-texts`` (the registry, for tills) and ``POST
/v1/members/{member_id}/consents/{kind}/withdraw``: a customer at a till withdraws a
consent, proved like an erasure by the one-time code sent to their phone.

Withdrawing face pay removes the member's face and keeps the membership; withdrawing
membership is an erasure.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy.engine import Connection

from deploy.cloud import consent_registry, erasure
from deploy.cloud.auth import CurrentDevice, Db, require_same_store
from deploy.cloud.contract import (
    ConsentKind,
    ConsentTextEntry,
    ConsentTextList,
    MemberProof,
    WithdrawalResponse,
)
from deploy.cloud.errors import ApiError, documented
from deploy.cloud.one_time_codes import Check, refusal
from deploy.cloud.vault import CurrentVault

router = APIRouter(tags=["consents"])

MemberId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


@router.get("/consent-texts", responses=documented(401, 422))
def consent_texts(
    _device: CurrentDevice,
    db: Db,
    kind: Annotated[ConsentKind | None, Query()] = None,
) -> ConsentTextList:
    with db.read() as conn:
        found = consent_registry.registered(conn, kind=kind)
    return ConsentTextList(
        texts=[
            ConsentTextEntry(
                version=text.version,
                language=text.language,
                kind=text.kind,
                sha256=text.sha256,
                text=text.text,
                created_at=text.created_at,
            )
            for text in found
        ]
    )


@router.post(
    "/members/{member_id}/consents/{kind}/withdraw",
    responses=documented(401, 403, 404, 422),
)
def withdraw_consent(
    member_id: MemberId,
    kind: ConsentKind,
    body: MemberProof,
    *,
    device: CurrentDevice,
    db: Db,
    vault: CurrentVault,
) -> WithdrawalResponse:
    def work(conn: Connection) -> erasure.Withdrawal | Check:
        member = erasure.lock_member(conn, member_id)
        if member is None:
            raise ApiError(404, "member_unknown", f"member {member_id} is not known")
        require_same_store(device, member.store_id, f"member {member_id}")
        if member.deleted:
            # Nothing is left to withdraw: answered as a repeat, no code needed.
            return erasure.withdrawn_before(conn, member, kind)
        proved = erasure.prove(
            conn,
            vault,
            member_id,
            body.otp_id,
            body.code,
            device_id=device.device_id,
            requested_by=body.requested_by,
            face_verified=body.face_verified,
        )
        if isinstance(proved, Check):
            return proved
        return erasure.withdraw(conn, vault, member, kind, proved)

    done = db.run_write(work)
    if isinstance(done, Check):
        raise refusal(done)
    if not done.repeat:
        # Face pay withdrawn deletes the templates too: no sealed copies left in free pages.
        erasure.scrub(db)
    return WithdrawalResponse(
        member_id=done.member_id,
        kind=kind,
        withdrawn_at=done.withdrawn_at,
        erased=done.erased,
        repeat=done.repeat,
    )
