"""``POST /v1/enrollments``: a member enrolled on a terminal, with consent and templates.

Idempotent on enrollment_id. Before a new member is made, the templates are compared
(cosine, same model) with the store's members: at or above the merge threshold the
enrollment joins that member, and the answer names the existing (canonical) member id.
Enrollments of one store are serialised (the store's member counter is taken first), so
two near-duplicate enrollments at once cannot both make a new member.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.engine import Connection

from deploy.cloud.auth import CurrentDevice, Db, Device, require_same_store
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.contract import EnrollmentRequest, EnrollmentResponse
from deploy.cloud.errors import ApiError, conflict, documented, forbidden, invalid
from deploy.cloud.face_templates import Template, TemplateError, best_match, decode
from deploy.cloud.schema import enrollments, member_templates, members
from deploy.cloud.stores import bump

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
    body: EnrollmentRequest,
    device: CurrentDevice,
    db: Db,
    threshold: Annotated[float, Depends(merge_threshold)],
    response: Response,
) -> EnrollmentResponse:
    if body.consent.terminal != device.device_id:
        raise forbidden(f"consent was given on {body.consent.terminal}, not {device.device_id}")
    try:
        probes = [
            decode(t.model, t.vector, f"templates.{i}.vector") for i, t in enumerate(body.templates)
        ]
    except TemplateError as error:
        raise invalid(str(error)) from None
    dims: dict[str, int] = {}
    for probe in probes:
        if dims.setdefault(probe.model, probe.dim) != probe.dim:
            raise invalid(f"templates of model {probe.model} differ in length")
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
        seq = bump(conn, device.store_id, "member_seq")
        _check_model_lengths(conn, dims)
        member_id, merged = _place(conn, device, body, probes, threshold)
        _save_member(conn, device, body, member_id, seq)
        now = utc_now_iso()
        conn.execute(
            sa.insert(member_templates),
            [
                {
                    "member_id": member_id,
                    "store_id": device.store_id,
                    "model": probe.model,
                    "dim": probe.dim,
                    "vector": probe.to_bytes(),
                    "enrollment_id": body.enrollment_id,
                    "created_at": now,
                }
                for probe in probes
            ],
        )
        conn.execute(
            sa.insert(enrollments).values(
                enrollment_id=body.enrollment_id,
                store_id=device.store_id,
                device_id=device.device_id,
                requested_member_id=body.member_id,
                member_id=member_id,
                merged=merged,
                consent_text_version=body.consent.text_version,
                consent_accepted_at=body.consent.accepted_at,
                request_sha256=digest,
                created_at=now,
            )
        )
        answer = EnrollmentResponse(
            enrollment_id=body.enrollment_id, member_id=member_id, merged=merged
        )
        return answer, True

    answer, created = db.run_write(work)
    response.status_code = 201 if created else 200
    return answer


def _check_model_lengths(conn: Connection, dims: dict[str, int]) -> None:
    for model, dim in dims.items():
        known = conn.execute(
            sa.select(member_templates.c.dim).where(member_templates.c.model == model).limit(1)
        ).scalar_one_or_none()
        if known is not None and known != dim:
            raise invalid(f"model {model} templates have {known} values; this one has {dim}")


def _place(
    conn: Connection,
    device: Device,
    body: EnrollmentRequest,
    probes: list[Template],
    threshold: float,
) -> tuple[str, bool]:
    """The member this enrollment belongs to, and whether it was merged into another."""
    own = conn.execute(
        sa.select(members.c.store_id, members.c.deleted).where(
            members.c.member_id == body.member_id
        )
    ).first()
    if own is not None:
        require_same_store(device, own.store_id, f"member {body.member_id}")
        if own.deleted:
            raise ApiError(
                409, "member_erased", f"member {body.member_id} was erased; enrol as a new member"
            )
        return body.member_id, False  # more templates for a member this store knows
    best: tuple[str, float] | None = None
    for model in {probe.model for probe in probes}:
        gallery = [
            (row.member_id, row.vector)
            for row in conn.execute(
                sa.select(member_templates.c.member_id, member_templates.c.vector).where(
                    member_templates.c.store_id == device.store_id,
                    member_templates.c.model == model,
                )
            )
        ]
        match = best_match([p for p in probes if p.model == model], gallery)
        if match is not None and (best is None or match[1] > best[1]):
            best = match
    if best is not None and best[1] >= threshold:
        return best[0], True
    return body.member_id, False


def _save_member(
    conn: Connection, device: Device, body: EnrollmentRequest, member_id: str, seq: int
) -> None:
    now = utc_now_iso()
    name = mask_name(body.display_name)
    existing = conn.execute(
        sa.select(members.c.display_name, members.c.phone_last4).where(
            members.c.member_id == member_id
        )
    ).first()
    if existing is None:
        conn.execute(
            sa.insert(members).values(
                member_id=member_id,
                store_id=device.store_id,
                display_name=name,
                phone_last4=body.phone_last4,
                points=0,
                balance_cents=0,
                deleted=False,
                change_seq=seq,
                created_at=now,
                updated_at=now,
            )
        )
        return
    # Known member: new templates (a new change for the terminals); fill in, never overwrite.
    conn.execute(
        sa.update(members)
        .where(members.c.member_id == member_id)
        .values(
            display_name=existing.display_name or name,
            phone_last4=existing.phone_last4 or body.phone_last4,
            change_seq=seq,
            updated_at=now,
        )
    )
