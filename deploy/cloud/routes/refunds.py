"""``PUT /v1/refunds/{refund_no}`` (a till's refund, idempotent on its number) and
``POST /v1/members/{member_id}/credits`` (stored value credited back for a refund).

A refund is stored as the canonical JSON of its document. The first copy is checked
against the stored order and its earlier refunds (``refund_checks``): more than the order
sold is refused (409 ``over_refund``), other disagreements are stored flagged. A till
stores a refund pending before any of its wallet or balance money moves, then done or
failed: a pending copy may be replaced by a later copy of the same refund (its lines,
amounts, people and payments unchanged; only the states), a finished one by nothing, and
a pending copy arriving after the finished one is answered ``stale`` without a change.

A refund's number carries the device that made it; a till may refund another till's
order of its own store (a return at another counter). Exchanges and returns without a
receipt name the approving manager; a return without a receipt pays cash or store credit.

Credits are idempotent on the refund payment's id and need the refund stored first: a
face payment is credited back only to the member who paid it, for an order of that
refund, never more in all than that payment; a no-receipt store credit never more than
its approved refund. The member's new balance is a member change, pulled by the tills.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Response
from sqlalchemy.engine import Connection

from deploy.cloud import member_records, refund_checks
from deploy.cloud.auth import CurrentDevice, Db, Device, require_own_order_no, require_same_store
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.contract import (
    MemberCreditRequest,
    MemberCreditResponse,
    RefundDocument,
    RefundReceipt,
)
from deploy.cloud.errors import ApiError, conflict, documented, forbidden, invalid
from deploy.cloud.routes.orders import canonical_json, raw_json_body
from deploy.cloud.schema import face_payments, member_credits, members, refunds
from deploy.cloud.stores import bump

router = APIRouter(tags=["refunds"])

RefundNo = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
MemberId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
FINAL = frozenset({"done", "failed"})
# What may change between the pending copy and the finished one.
_STATE_KEYS = ("state", "completed_at")
_PAYMENT_STATE_KEYS = ("state", "reason")
NEEDS_APPROVAL = frozenset({"exchange", "no_receipt"})


@router.put(
    "/refunds/{refund_no}",
    status_code=201,
    responses={200: {"model": RefundReceipt}, **documented(400, 401, 403, 409, 413, 422)},
)
def put_refund(
    *,
    refund_no: RefundNo,
    document: RefundDocument,
    raw: Annotated[Any, Depends(raw_json_body)],
    device: CurrentDevice,
    db: Db,
    response: Response,
) -> RefundReceipt:
    if document.refund_no != refund_no:
        raise forbidden(f"the body is refund {document.refund_no}, the path says {refund_no}")
    require_own_order_no(device, refund_no)
    if document.device_id != device.device_id:
        raise forbidden(f"the refund's device_id is {document.device_id}, not {device.device_id}")
    _check_shape(document)
    stored_text = canonical_json(raw)

    def work(conn: Connection) -> RefundReceipt:
        row = conn.execute(sa.select(refunds).where(refunds.c.refund_no == refund_no)).first()
        now = utc_now_iso()
        if row is None:
            order_device, flags = refund_checks.check_new(conn, device, document)
            conn.execute(
                sa.insert(refunds).values(
                    refund_no=refund_no,
                    store_id=device.store_id,
                    device_id=device.device_id,
                    order_no=document.order_no,
                    order_device_id=order_device,
                    kind=document.kind,
                    state=document.state,
                    total_cents=document.total_cents,
                    document=stored_text,
                    received_at=now,
                    flagged=bool(flags),
                    flags=json.dumps(flags) if flags else None,
                )
            )
            response.status_code = 201
            return RefundReceipt(refund_no=refund_no, status="created", received_at=now)
        require_same_store(device, row.store_id, f"refund {refund_no}")
        response.status_code = 200
        if row.document == stored_text:
            return RefundReceipt(
                refund_no=refund_no, status="duplicate", received_at=row.received_at
            )
        if _fixed_part(json.loads(row.document)) != _fixed_part(raw):
            raise conflict(f"refund {refund_no} is already stored with other lines or payments")
        if row.state in FINAL and document.state == "pending":
            return RefundReceipt(refund_no=refund_no, status="stale", received_at=row.received_at)
        if row.state == "pending":
            earlier = json.loads(row.flags) if row.flags else []
            flags = sorted(set(earlier) | set(refund_checks.verify(conn, document)))
            conn.execute(
                sa.update(refunds)
                .where(refunds.c.refund_no == refund_no)
                .values(
                    state=document.state,
                    document=stored_text,
                    received_at=now,
                    flagged=bool(flags),
                    flags=json.dumps(flags) if flags else None,
                )
            )
            return RefundReceipt(refund_no=refund_no, status="updated", received_at=now)
        raise conflict(f"refund {refund_no} is already stored {row.state}, with other states")

    return db.run_write(work)


@router.post("/members/{member_id}/credits", responses=documented(401, 403, 404, 409, 422))
def credit_member(
    member_id: MemberId, body: MemberCreditRequest, device: CurrentDevice, db: Db
) -> MemberCreditResponse:
    def work(conn: Connection) -> MemberCreditResponse:
        earlier = conn.execute(
            sa.select(member_credits).where(member_credits.c.credit_id == body.refund_id)
        ).first()
        if earlier is not None:
            require_same_store(device, earlier.store_id, f"credit {body.refund_id}")
            same = (earlier.member_id, earlier.refund_no, earlier.payment_id, earlier.amount_cents)
            if same != (member_id, body.refund_no, body.payment_id, body.amount_cents):
                raise _mismatch(f"credit {body.refund_id} was asked with other content")
            return MemberCreditResponse(
                refund_id=earlier.credit_id,
                member_id=earlier.member_id,
                amount_cents=earlier.amount_cents,
                balance_cents=earlier.balance_cents,
                repeat=True,
            )
        member = member_records.find(conn, member_id)
        if member is None or member.deleted:
            raise ApiError(404, "member_unknown", f"the cloud has no member {member_id}")
        if member.store_id != device.store_id:
            raise forbidden(f"member {member_id} belongs to another store")
        _check_credit(conn, device, member_id, body)
        return _credit(conn, device, member_id, body)

    return db.run_write(work)


def _check_shape(document: RefundDocument) -> None:
    """What no refund may say, whatever the records: 422."""
    if document.kind in NEEDS_APPROVAL and not (document.approver_id or "").strip():
        raise invalid(f"a {document.kind} refund names the manager who approved it")
    if (document.kind == "no_receipt") != (document.order_no is None):
        raise invalid("a refund names its order, except a return without a receipt")
    if document.kind == "no_receipt" and any(
        p.method not in ("cash", "store_credit") for p in document.payments
    ):
        raise invalid("a return without a receipt is paid back in cash or store credit only")
    if sum(line.amount_cents for line in document.lines) != document.total_cents:
        raise invalid("total_cents is not the sum of the lines' amount_cents")


def _fixed_part(document: Any) -> Any:
    """The refund without what may change once it is stored (its states)."""
    fixed = {k: v for k, v in document.items() if k not in _STATE_KEYS}
    fixed["payments"] = [
        {k: v for k, v in p.items() if k not in _PAYMENT_STATE_KEYS}
        for p in document.get("payments", [])
    ]
    return canonical_json(fixed)


def _check_credit(
    conn: Connection, device: Device, member_id: str, body: MemberCreditRequest
) -> None:
    refund = conn.execute(
        sa.select(refunds.c.store_id, refunds.c.order_no, refunds.c.kind, refunds.c.document)
        .where(refunds.c.refund_no == body.refund_no)
        .with_for_update()
    ).first()
    if refund is None:
        raise ApiError(409, "refund_unknown", f"store refund {body.refund_no} first (PUT)")
    require_same_store(device, refund.store_id, f"refund {body.refund_no}")
    document = json.loads(refund.document)
    entry = next(
        (p for p in document["payments"] if p["refund_payment_id"] == body.refund_id), None
    )
    method = "face" if body.payment_id is not None else "store_credit"
    if entry is None or (
        entry["method"],
        entry.get("member_id"),
        entry.get("original_payment_id"),
        entry["amount_cents"],
    ) != (method, member_id, body.payment_id, body.amount_cents):
        raise _mismatch(f"refund {body.refund_no} has no such credit for member {member_id}")
    if body.payment_id is None:
        credited = _credited(conn, member_credits.c.refund_no == body.refund_no)
        if refund.kind != "no_receipt" or credited + body.amount_cents > document["total_cents"]:
            raise ApiError(409, "over_payment", "store credit beyond the approved refund")
        return
    paid = conn.execute(
        sa.select(face_payments.c.amount_cents).where(
            face_payments.c.payment_id == body.payment_id,
            face_payments.c.order_no == refund.order_no,
            face_payments.c.member_id == member_id,
            face_payments.c.store_id == device.store_id,
            face_payments.c.state == "SUCCESS",
        )
    ).scalar_one_or_none()
    if paid is None:
        raise ApiError(
            409,
            "not_paid_by_member",
            f"member {member_id} did not pay order {refund.order_no} with {body.payment_id}",
        )
    credited = _credited(conn, member_credits.c.payment_id == body.payment_id)
    if credited + body.amount_cents > paid:
        raise ApiError(
            409,
            "over_payment",
            f"face payment {body.payment_id} has {paid - credited} cents left to credit back",
        )


def _credit(
    conn: Connection, device: Device, member_id: str, body: MemberCreditRequest
) -> MemberCreditResponse:
    now = utc_now_iso()
    seq = bump(conn, device.store_id, "member_seq")
    balance = conn.execute(
        sa.update(members)
        .where(members.c.member_id == member_id)
        .values(
            balance_cents=members.c.balance_cents + body.amount_cents,
            change_seq=seq,
            updated_at=now,
        )
        .returning(members.c.balance_cents)
    ).scalar_one()
    conn.execute(
        sa.insert(member_credits).values(
            credit_id=body.refund_id,
            store_id=device.store_id,
            device_id=device.device_id,
            member_id=member_id,
            refund_no=body.refund_no,
            payment_id=body.payment_id,
            amount_cents=body.amount_cents,
            balance_cents=int(balance),
            created_at=now,
        )
    )
    return MemberCreditResponse(
        refund_id=body.refund_id,
        member_id=member_id,
        amount_cents=body.amount_cents,
        balance_cents=int(balance),
        repeat=False,
    )


def _credited(conn: Connection, which: Any) -> int:
    total = conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(member_credits.c.amount_cents), 0)).where(which)
    ).scalar_one()
    return int(total)


def _mismatch(message: str) -> ApiError:
    return ApiError(409, "credit_mismatch", message)
