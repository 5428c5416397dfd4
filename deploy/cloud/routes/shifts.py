"""``PUT /v1/shifts/{shift_id}`` and ``PUT /v1/z-reports/{device_id}/{z_number}``: a till's
shifts and Z reports, each idempotent.

A till sends the whole shift after each event (opened, each pay-in or pay-out, closed),
with ``revision`` counting the events. The cloud keeps the newest copy: a copy with a
higher revision that continues the stored one (same opening, the stored movements first,
the stored copy still open) replaces it; the same copy again, or an older one that the
stored copy continues (a resend overtaken by a later one), is a duplicate; anything else
is 409, and a closed shift never changes. A Z report is written once: the same copy again
is a duplicate, a different one under that number (or a second Z for the shift) is 409.
Both belong to the calling device only (403 for another device's id or number). The
stored documents are the canonical JSON of the bodies as received, extra keys included.

What must not live here: the checks of a Z report's figures (``z_checks``).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Response
from sqlalchemy.engine import Connection

from deploy.cloud import z_checks
from deploy.cloud.auth import CurrentDevice, Db, require_same_store
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.contract import (
    MAX_COUNT,
    ShiftDocument,
    ShiftReceipt,
    ZReportDocument,
    ZReportReceipt,
)
from deploy.cloud.errors import conflict, documented, forbidden, invalid
from deploy.cloud.routes.orders import canonical_json, raw_json_body
from deploy.cloud.schema import shifts, z_reports

router = APIRouter(tags=["shifts"])

ShiftId = Annotated[
    str,
    Path(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
]
DeviceIdPath = Annotated[str, Path(pattern=r"^[A-Z0-9]{2,16}$")]
ZNumber = Annotated[int, Path(ge=1, le=MAX_COUNT)]
# What a later copy of a shift must repeat from an earlier one.
_OPENING = ("shift_id", "device_id", "shift_no", "opened_at", "opened_by", "float_cents")


def _check_shift(document: ShiftDocument) -> None:
    closing = (document.closed_at, document.closed_by, document.counted_cents)
    closed = document.closed_at is not None
    if any(value is None for value in closing) and any(value is not None for value in closing):
        raise invalid("closed_at, closed_by and counted_cents come together, or none of them")
    if document.revision != 1 + len(document.movements) + int(closed):
        raise invalid("revision must be 1 + the movements + 1 once closed")


def _continues(older: dict[str, Any], newer: dict[str, Any]) -> bool:
    """``newer`` is ``older`` with later events: same opening, older's movements first,
    and ``older`` still open."""
    movements = older.get("movements") or []
    return (
        older.get("closed_at") is None
        and all(older.get(key) == newer.get(key) for key in _OPENING)
        and (newer.get("movements") or [])[: len(movements)] == movements
    )


@router.put(
    "/shifts/{shift_id}",
    status_code=201,
    responses={200: {"model": ShiftReceipt}, **documented(400, 401, 403, 409, 413, 422)},
)
def put_shift(
    *,
    shift_id: ShiftId,
    document: ShiftDocument,
    raw: Annotated[Any, Depends(raw_json_body)],
    device: CurrentDevice,
    db: Db,
    response: Response,
) -> ShiftReceipt:
    if document.shift_id != shift_id:
        raise forbidden(f"the body is shift {document.shift_id}, the path says {shift_id}")
    if document.device_id != device.device_id:
        raise forbidden(f"the shift's device_id is {document.device_id}, not {device.device_id}")
    _check_shift(document)
    stored_text = canonical_json(raw)

    def work(conn: Connection) -> ShiftReceipt:
        row = conn.execute(
            sa.select(
                shifts.c.store_id,
                shifts.c.device_id,
                shifts.c.revision,
                shifts.c.document,
                shifts.c.received_at,
            ).where(shifts.c.shift_id == shift_id)
        ).first()
        now = utc_now_iso()
        columns = {
            "revision": document.revision,
            "state": "open" if document.closed_at is None else "closed",
            "opened_at": document.opened_at,
            "closed_at": document.closed_at,
            "float_cents": document.float_cents,
            "counted_cents": document.counted_cents,
            "document": stored_text,
            "received_at": now,
        }
        if row is None:
            _refuse_a_second_shift_numbered(conn, document)
            conn.execute(
                sa.insert(shifts).values(
                    shift_id=shift_id,
                    store_id=device.store_id,
                    device_id=device.device_id,
                    shift_no=document.shift_no,
                    **columns,
                )
            )
            response.status_code = 201
            return ShiftReceipt(
                shift_id=shift_id, status="created", revision=document.revision, received_at=now
            )
        require_same_store(device, row.store_id, f"shift {shift_id}")
        if row.device_id != device.device_id:
            raise forbidden(f"shift {shift_id} belongs to device {row.device_id}")
        response.status_code = 200
        stored = json.loads(row.document)
        if row.document == stored_text or (
            document.revision < row.revision and _continues(raw, stored)
        ):
            return ShiftReceipt(
                shift_id=shift_id,
                status="duplicate",
                revision=row.revision,
                received_at=row.received_at,
            )
        if document.revision > row.revision and _continues(stored, raw):
            conn.execute(sa.update(shifts).where(shifts.c.shift_id == shift_id).values(columns))
            return ShiftReceipt(
                shift_id=shift_id, status="updated", revision=document.revision, received_at=now
            )
        raise conflict(
            f"shift {shift_id} is stored at revision {row.revision} with other content;"
            " a later copy must continue it, and a closed shift never changes"
        )

    return db.run_write(work)


def _refuse_a_second_shift_numbered(conn: Connection, document: ShiftDocument) -> None:
    other = conn.execute(
        sa.select(shifts.c.shift_id).where(
            shifts.c.device_id == document.device_id, shifts.c.shift_no == document.shift_no
        )
    ).first()
    if other is not None:
        raise conflict(
            f"device {document.device_id} already has shift {document.shift_no} ({other.shift_id})"
        )


@router.put(
    "/z-reports/{device_id}/{z_number}",
    status_code=201,
    responses={200: {"model": ZReportReceipt}, **documented(400, 401, 403, 409, 413, 422)},
)
def put_z_report(
    *,
    device_id: DeviceIdPath,
    z_number: ZNumber,
    document: ZReportDocument,
    raw: Annotated[Any, Depends(raw_json_body)],
    device: CurrentDevice,
    db: Db,
    response: Response,
) -> ZReportReceipt:
    if device_id != device.device_id:
        raise forbidden(f"Z reports of {device_id} belong to another device")
    if document.device_id != device_id or document.z_number != z_number:
        raise forbidden(
            f"the body is Z {document.z_number} of {document.device_id},"
            f" the path says {z_number} of {device_id}"
        )
    problems = z_checks.arithmetic_problems(document)
    if problems:
        raise invalid("the report's figures do not add up: " + "; ".join(problems))
    stored_text = canonical_json(raw)

    def work(conn: Connection) -> ZReportReceipt:
        row = conn.execute(
            sa.select(
                z_reports.c.store_id,
                z_reports.c.document,
                z_reports.c.received_at,
                z_reports.c.flags,
            ).where(z_reports.c.device_id == device_id, z_reports.c.z_number == z_number)
        ).first()
        if row is not None:
            require_same_store(device, row.store_id, f"Z report {z_number} of {device_id}")
            if row.document != stored_text:
                raise conflict(
                    f"Z report {z_number} of {device_id} is already stored with other figures;"
                    " a Z report is never changed"
                )
            response.status_code = 200
            return ZReportReceipt(
                device_id=device_id,
                z_number=z_number,
                status="duplicate",
                received_at=row.received_at,
                flags=json.loads(row.flags) if row.flags else [],
            )
        other = conn.execute(
            sa.select(z_reports.c.z_number).where(z_reports.c.shift_id == document.shift_id)
        ).first()
        if other is not None:
            raise conflict(f"shift {document.shift_id} already has Z report {other.z_number}")
        now = utc_now_iso()
        flags = z_checks.flags_for(conn, device_id, document)
        conn.execute(
            sa.insert(z_reports).values(
                device_id=device_id,
                z_number=z_number,
                store_id=device.store_id,
                shift_id=document.shift_id,
                shift_no=document.shift_no,
                closed_at=document.closed_at,
                float_cents=document.float_cents,
                sales_cents=document.sales_cents,
                refunds_cents=document.refunds_cents,
                net_cents=document.net_cents,
                cash_expected_cents=document.cash_expected_cents,
                counted_cents=document.counted_cents,
                variance_cents=document.variance_cents,
                document=stored_text,
                received_at=now,
                flagged=bool(flags),
                flags=json.dumps(flags) if flags else None,
            )
        )
        response.status_code = 201
        return ZReportReceipt(
            device_id=device_id, z_number=z_number, status="created", received_at=now, flags=flags
        )

    return db.run_write(work)
