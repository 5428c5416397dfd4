"""``GET /v1/staff``: the staff change stream of the caller's store, by cursor.

What a till needs to let staff sign in with no cloud in reach: id, name, role and the
PIN's argon2id hash (salted and slow; never the PIN, which only the operator's command
ever sees). Another store's staff are never sent. A disabled staff member comes as a
``delete``, so every till drops them at its next pull.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from deploy.cloud import staff_records
from deploy.cloud.auth import CurrentDevice, Db
from deploy.cloud.contract import StaffChange, StaffChanges
from deploy.cloud.errors import documented

router = APIRouter(tags=["staff"])

Cursor = Annotated[int, Query(ge=0, le=2**62, description="next_cursor of the last page")]
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("/staff", responses=documented(401, 422))
def staff_changes(
    device: CurrentDevice, db: Db, cursor: Cursor = 0, limit: Limit = 500
) -> StaffChanges:
    with db.read() as conn:
        rows = staff_records.changes(conn, device.store_id, cursor, limit + 1)
    page = rows[:limit]
    return StaffChanges(
        changes=[_change(row) for row in page],
        next_cursor=page[-1].seq if page else cursor,
        has_more=len(rows) > limit,
    )


def _change(row: staff_records.StaffChangeRow) -> StaffChange:
    if row.disabled:
        return StaffChange(
            seq=row.seq, type="delete", staff_id=row.staff_id, name=None, role=None, pin_hash=None
        )
    return StaffChange(
        seq=row.seq,
        type="upsert",
        staff_id=row.staff_id,
        name=row.name,
        role="manager" if row.role == "manager" else "cashier",
        pin_hash=row.pin_hash,
    )
