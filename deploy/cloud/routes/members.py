"""``GET /v1/members``: the member change stream of the caller's store, by cursor.

What a till needs and no more: the masked name, the phone's last 4 digits (a narrowing
key for the digits pad), points, the stored value it may spend offline (capped at the
store's offline daily limit) and the face templates sealed under the store's gallery key,
which a device holds only from its registration: a bearer token alone reads no face.
An erased member comes as a ``delete`` change, so every gallery drops it too.

Erasure itself is a request proved by the member (``routes/erasure.py``); a device cannot
erase on its own.
"""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query

from deploy.cloud import member_records
from deploy.cloud.auth import CurrentDevice, Db
from deploy.cloud.contract import MemberChange, MemberChanges, SealedTemplate
from deploy.cloud.errors import documented
from deploy.cloud.schema import members, stores
from deploy.cloud.vault import CurrentVault, seal_for_till

router = APIRouter(tags=["members"])

Cursor = Annotated[int, Query(ge=0, le=2**62, description="next_cursor of the last page")]
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("/members", responses=documented(401, 422))
def member_changes(
    device: CurrentDevice, db: Db, vault: CurrentVault, cursor: Cursor = 0, limit: Limit = 500
) -> MemberChanges:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(
                members.c.member_id,
                members.c.deleted,
                members.c.personal_sealed,
                members.c.points,
                members.c.balance_cents,
                members.c.change_seq,
            )
            .where(members.c.store_id == device.store_id, members.c.change_seq > cursor)
            .order_by(members.c.change_seq)
            .limit(limit + 1)
        ).all()
        page = rows[:limit]
        live = [row for row in page if not row.deleted]
        offline_cap = conn.execute(
            sa.select(stores.c.offline_face_pay_daily_cents).where(
                stores.c.store_id == device.store_id
            )
        ).scalar_one()
        personal = member_records.personal_of(
            conn, vault, [(row.member_id, row.personal_sealed) for row in live]
        )
        faces = member_records.templates(conn, vault, [row.member_id for row in live])
        gallery_key = vault.gallery_key(conn, device.store_id) if faces else b""
    changes = []
    for row in page:
        who = personal.get(row.member_id)
        if row.deleted or who is None:
            changes.append(
                MemberChange(
                    seq=row.change_seq,
                    type="delete",
                    member_id=row.member_id,
                    display_name=None,
                    phone_last4=None,
                    points=0,
                    balance_cents=0,
                    templates=[],
                )
            )
            continue
        changes.append(
            MemberChange(
                seq=row.change_seq,
                type="upsert",
                member_id=row.member_id,
                display_name=who.display_name,
                phone_last4=who.phone_last4,
                points=row.points,
                balance_cents=min(row.balance_cents, offline_cap),
                templates=[
                    SealedTemplate(
                        model=t.model,
                        sealed=seal_for_till(gallery_key, row.member_id, t.model, t.to_bytes()),
                    )
                    for t in faces.get(row.member_id, [])
                ],
            )
        )
    return MemberChanges(
        changes=changes,
        next_cursor=page[-1].change_seq if page else cursor,
        has_more=len(rows) > limit,
    )
