"""``POST /v1/enrollments``: a new member enrolled on a terminal, with two consents and
templates.

Idempotent on enrollment_id. A device can create a new member with a first template; it
can never add a template to an existing member (``POST /v1/members/{id}/templates``
needs the member's one-time code): an enrollment naming a member the cloud knows is
refused. Before a new member is made, the templates are compared (cosine, same model)
with the store's members: at or above the merge threshold the enrollment is answered
with the existing (canonical) member id and the templates are NOT added, so a lookalike
cannot graft a face onto someone else's membership. Enrollments of one store are
serialised (the store's member counter is taken first), so two near-duplicate
enrollments at once cannot both make a new member.

Both consents (membership and face pay) must name texts in the cloud's registry; each is
recorded with the till's time and ours.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.engine import Connection

from deploy.cloud import consent_registry, member_records
from deploy.cloud.auth import CurrentDevice, Db, Device, require_same_store
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.contract import EnrollmentRequest, EnrollmentResponse
from deploy.cloud.errors import ApiError, conflict, documented, forbidden, invalid
from deploy.cloud.face_templates import Template, TemplateError, best_match, decode_checked
from deploy.cloud.member_records import Personal
from deploy.cloud.schema import enrollments
from deploy.cloud.stores import bump
from deploy.cloud.vault import CurrentVault, Vault

router = APIRouter(tags=["members"])


def merge_threshold(request: Request) -> float:
    threshold: float = request.app.state.merge_threshold
    return threshold


def mask_name(name: str | None) -> str | None:
    """Keep a greeting ("Zhang**") and no more: the first word, or the first character."""
    if name is None or not name.strip():
        return None
    name = name.strip()
    if "*" in name:
        return name  # masked on the terminal already
    words = name.split()
    head = words[0] if len(words) > 1 else name[0]
    return f"{head[:30]}**"


@router.post(
    "/enrollments",
    status_code=201,
    responses={200: {"model": EnrollmentResponse}, **documented(401, 403, 409, 422)},
)
def enroll(
    *,
    body: EnrollmentRequest,
    device: CurrentDevice,
    db: Db,
    vault: CurrentVault,
    threshold: Annotated[float, Depends(merge_threshold)],
    response: Response,
) -> EnrollmentResponse:
    for consent in body.consents:
        if consent.terminal != device.device_id:
            raise forbidden(f"consent was given on {consent.terminal}, not {device.device_id}")
    if {c.kind for c in body.consents} != {"membership", "face_pay"}:
        raise invalid("an enrollment needs the membership consent and the face pay consent")
    try:
        probes = decode_checked([(t.model, t.vector) for t in body.templates])
    except TemplateError as error:
        raise invalid(str(error)) from None
    if body.phone is not None and body.phone_last4 not in (None, body.phone[-4:]):
        raise invalid("phone_last4 is not the end of phone")
    digest = hashlib.sha256(
        json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()

    def work(conn: Connection) -> tuple[EnrollmentResponse, bool]:
        earlier = conn.execute(
            sa.select(enrollments).where(enrollments.c.enrollment_id == body.enrollment_id)
        ).first()
        if earlier is not None:
            require_same_store(device, earlier.store_id, f"enrollment {body.enrollment_id}")
            if earlier.request_sha256 != digest:
                raise conflict(f"enrollment {body.enrollment_id} was received with other content")
            answer = EnrollmentResponse(
                enrollment_id=earlier.enrollment_id,
                member_id=earlier.member_id,
                merged=earlier.merged,
            )
            return answer, False
        bump(conn, device.store_id, "member_seq")  # the store's enrollments, one at a time
        for consent in body.consents:
            consent_registry.check_consent(
                conn,
                kind=consent.kind,
                text_version=consent.text_version,
                language=consent.language,
                accepted_at=consent.accepted_at,
            )
        _refuse_existing(conn, device, body.member_id)
        canonical = _duplicate_of(conn, vault, device, probes, threshold)
        member_id = canonical or body.member_id
        if canonical is None:
            personal = Personal(
                display_name=mask_name(body.display_name),
                phone_last4=body.phone[-4:] if body.phone else body.phone_last4,
                phone=body.phone,
            )
            member_records.insert(conn, vault, device.store_id, member_id, personal)
            for probe in probes:
                member_records.add_template(
                    conn, vault, member_id, device.store_id, probe, enrollment_id=body.enrollment_id
                )
        # A returning face's consents are not the existing member's: only a new member's
        # consents are recorded (the existing one's own stand).
        for consent in body.consents if canonical is None else ():
            consent_registry.record_consent(
                conn,
                member_id=member_id,
                store_id=device.store_id,
                device_id=device.device_id,
                kind=consent.kind,
                text_version=consent.text_version,
                language=consent.language,
                accepted_at=consent.accepted_at,
            )
        membership = next(c for c in body.consents if c.kind == "membership")
        conn.execute(
            sa.insert(enrollments).values(
                enrollment_id=body.enrollment_id,
                store_id=device.store_id,
                device_id=device.device_id,
                requested_member_id=body.member_id,
                member_id=member_id,
                merged=canonical is not None,
                consent_text_version=membership.text_version,
                consent_accepted_at=membership.accepted_at,
                request_sha256=digest,
                created_at=utc_now_iso(),
            )
        )
        answer = EnrollmentResponse(
            enrollment_id=body.enrollment_id, member_id=member_id, merged=canonical is not None
        )
        return answer, True

    answer, created = db.run_write(work)
    response.status_code = 201 if created else 200
    return answer


def _refuse_existing(conn: Connection, device: Device, member_id: str) -> None:
    """An enrollment makes a new member; it never adds a face to one that exists."""
    row = member_records.find(conn, member_id)
    if row is None:
        return
    require_same_store(device, row.store_id, f"member {member_id}")
    if row.deleted:
        raise ApiError(
            409, "member_erased", f"member {member_id} was erased; enrol as a new member"
        )
    raise ApiError(
        409,
        "member_exists",
        f"member {member_id} exists: a face is added to a member only with the member's "
        "one-time code (POST /v1/members/{member_id}/templates)",
    )


def _duplicate_of(
    conn: Connection, vault: Vault, device: Device, probes: list[Template], threshold: float
) -> str | None:
    """The store's member these templates already belong to, if any."""
    best: tuple[str, float] | None = None
    for model in {probe.model for probe in probes}:
        gallery = member_records.store_gallery(conn, vault, device.store_id, model)
        match = best_match([p for p in probes if p.model == model], gallery)
        if match is not None and (best is None or match[1] > best[1]):
            best = match
    if best is not None and best[1] >= threshold:
        return best[0]
    return None
