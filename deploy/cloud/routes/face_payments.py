"""``POST /v1/payments/face``: pay from a member's stored value, idempotent on payment_id.

The payment row and the debit are one transaction, and a repeat of the payment_id is
answered from that row, so a resend never debits twice. The member's new balance is a
member change, pulled by terminals like any other.
"""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter
from sqlalchemy.engine import Connection

from deploy.cloud.auth import CurrentDevice, Db, require_own_order_no, require_same_store
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.contract import FacePaymentRequest, FacePaymentResponse
from deploy.cloud.errors import conflict, documented, forbidden
from deploy.cloud.schema import face_payments, members
from deploy.cloud.stores import bump

router = APIRouter(tags=["payments"])


@router.post("/payments/face", responses=documented(401, 403, 409, 422))
def face_pay(body: FacePaymentRequest, device: CurrentDevice, db: Db) -> FacePaymentResponse:
    require_own_order_no(device, body.order_no)

    def work(conn: Connection) -> FacePaymentResponse:
        earlier = conn.execute(
            sa.select(face_payments).where(face_payments.c.payment_id == body.payment_id)
        ).first()
        if earlier is not None:
            require_same_store(device, earlier.store_id, f"payment {body.payment_id}")
            same = (earlier.order_no, earlier.member_id, earlier.amount_cents) == (
                body.order_no,
                body.member_id,
                body.amount_cents,
            )
            if not same:
                raise conflict(f"payment {body.payment_id} was received with other content")
            return FacePaymentResponse(
                payment_id=earlier.payment_id,
                state=earlier.state,
                reason=earlier.reason,
                balance_cents=earlier.balance_cents,
            )
        answer = _debit(conn, device.store_id, body)
        conn.execute(
            sa.insert(face_payments).values(
                payment_id=body.payment_id,
                store_id=device.store_id,
                device_id=device.device_id,
                order_no=body.order_no,
                member_id=body.member_id,
                amount_cents=body.amount_cents,
                state=answer.state,
                reason=answer.reason,
                balance_cents=answer.balance_cents,
                created_at=utc_now_iso(),
            )
        )
        return answer

    return db.run_write(work)


def _debit(conn: Connection, store_id: str, body: FacePaymentRequest) -> FacePaymentResponse:
    def fail(reason: str, balance: int) -> FacePaymentResponse:
        return FacePaymentResponse(
            payment_id=body.payment_id, state="FAIL", reason=reason, balance_cents=balance
        )

    member = conn.execute(
        sa.select(members.c.store_id, members.c.deleted).where(
            members.c.member_id == body.member_id
        )
    ).first()
    if member is None or member.deleted:
        return fail("member_unknown", 0)
    if member.store_id != store_id:
        raise forbidden(f"member {body.member_id} belongs to another store")
    # The store's counter first (the lock order every member write uses), then the
    # balance, changed only if it covers the amount: no read-modify-write race.
    seq = bump(conn, store_id, "member_seq")
    balance = conn.execute(
        sa.update(members)
        .where(members.c.member_id == body.member_id, members.c.balance_cents >= body.amount_cents)
        .values(
            balance_cents=members.c.balance_cents - body.amount_cents,
            change_seq=seq,
            updated_at=utc_now_iso(),
        )
        .returning(members.c.balance_cents)
    ).scalar_one_or_none()
    if balance is None:
        current = conn.execute(
            sa.select(members.c.balance_cents).where(members.c.member_id == body.member_id)
        ).scalar_one()
        return fail("insufficient_balance", int(current))
    return FacePaymentResponse(
        payment_id=body.payment_id, state="SUCCESS", reason=None, balance_cents=int(balance)
    )
