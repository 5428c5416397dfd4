"""``GET /v1/members`` (the member change stream by cursor) and ``DELETE
/v1/members/{member_id}`` (erasure).

Erasure really deletes the member's face templates and personal data; what stays is a
tombstone row (member id, store, change number) that terminals pull as a ``delete``
change, so every gallery drops the member too.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Response
from sqlalchemy.engine import Connection

from deploy.cloud.auth import CurrentDevice, Db, require_same_store
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.contract import MemberChange, MemberChanges, Template
from deploy.cloud.errors import ApiError, documented
from deploy.cloud.face_templates import encode
from deploy.cloud.schema import member_templates, members
from deploy.cloud.stores import bump

router = APIRouter(tags=["members"])

MemberId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
Cursor = Annotated[int, Query(ge=0, le=2**62, description="next_cursor of the last page")]
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("/members", responses=documented(401, 422))
def member_changes(
    device: CurrentDevice, db: Db, cursor: Cursor = 0, limit: Limit = 500
) -> MemberChanges:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(members)
            .where(members.c.store_id == device.store_id, members.c.change_seq > cursor)
            .order_by(members.c.change_seq)
            .limit(limit + 1)
        ).all()
        page = rows[:limit]
        templates = _templates_of(conn, [row.member_id for row in page if not row.deleted])
    changes = [
        MemberChange(
            seq=row.change_seq,
            type="upsert",
            member_id=row.member_id,
            display_name=row.display_name,
            phone_last4=row.phone_last4,
            points=row.points,
            balance_cents=row.balance_cents,
            templates=templates.get(row.member_id, []),
        )
        if not row.deleted
        else MemberChange(
            seq=row.change_seq,
            type="delete",
            member_id=row.member_id,
            display_name=None,
            phone_last4=None,
            points=0,
            balance_cents=0,
            templates=[],
        )
        for row in page
    ]
    return MemberChanges(
        changes=changes,
        next_cursor=page[-1].change_seq if page else cursor,
        has_more=len(rows) > limit,
    )


def _templates_of(conn: Connection, member_ids: list[str]) -> dict[str, list[Template]]:
    found: dict[str, list[Template]] = defaultdict(list)
    if not member_ids:
        return found
    rows = conn.execute(
        sa.select(member_templates.c.member_id, member_templates.c.model, member_templates.c.vector)
        .where(member_templates.c.member_id.in_(member_ids))
        .order_by(member_templates.c.template_id)
    )
    for row in rows:
        found[row.member_id].append(Template(model=row.model, vector=encode(row.vector)))
    return found


@router.delete("/members/{member_id}", status_code=204, responses=documented(401, 403, 404))
def erase_member(member_id: MemberId, device: CurrentDevice, db: Db) -> Response:
    def work(conn: Connection) -> None:
        row = conn.execute(
            sa.select(members.c.store_id, members.c.deleted).where(members.c.member_id == member_id)
        ).first()
        if row is None:
            raise ApiError(404, "member_unknown", f"member {member_id} is not known")
        require_same_store(device, row.store_id, f"member {member_id}")
        if row.deleted:
            return  # erased before: erasing again is a no-op, not a new change
        erase(conn, device.store_id, member_id)

    db.run_write(work)
    return Response(status_code=204)


def erase(conn: Connection, store_id: str, member_id: str) -> None:
    seq = bump(conn, store_id, "member_seq")
    conn.execute(sa.delete(member_templates).where(member_templates.c.member_id == member_id))
    conn.execute(
        sa.update(members)
        .where(members.c.member_id == member_id)
        .values(
            display_name=None,
            phone_last4=None,
            points=0,
            balance_cents=0,
            deleted=True,
            change_seq=seq,
            updated_at=utc_now_iso(),
        )
    )
