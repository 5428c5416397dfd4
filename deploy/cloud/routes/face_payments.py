"""``POST /v1/payments/face``: pay from a member's stored value, on the cloud's own evidence.

A device token is not trust. Before anything is debited the cloud checks, itself:
- the probe template the till matched, 1:1 against the member's own stored templates, at
  the model's payment threshold (``face_templates.payment_threshold``);
- the liveness score the till measured, against the store's floor;
- the store's limits: per payment, per member and per device over a rolling day, and how
  many face payments a member may make in a short window (velocity).
Each refusal is a FAIL row with a reason code, so a repeat is answered the same way and an
attack leaves a trace. A refusal before the face is verified never reveals the balance.

The payment row and the debit are one transaction, and a repeat of the payment_id is
answered from that row, so a resend never debits twice. The member's new balance is a
member change, pulled by terminals like any other.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter
from sqlalchemy.engine import Connection

from deploy.cloud import member_records
from deploy.cloud.auth import CurrentDevice, Db, Device, require_own_order_no, require_same_store
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.contract import FacePaymentRequest, FacePaymentResponse, FaceRefusal
from deploy.cloud.errors import conflict, documented, forbidden, invalid
from deploy.cloud.face_templates import (
    Template,
    TemplateError,
    best_of,
    check_dimension,
    decode,
    payment_threshold,
)
from deploy.cloud.schema import face_payments, members, stores
from deploy.cloud.stores import bump
from deploy.cloud.vault import CurrentVault, Vault

router = APIRouter(tags=["payments"])

DAY = timedelta(days=1)
# A till's order number (terminal/domain/order_number.py): a payment names a real order.
ORDER_NO = re.compile(r"^[A-Z0-9]{2,16}-[0-9]{8}-[0-9]{4,}$")
# Refused attempts on one member (wrong face, low liveness) within the velocity window
# before every further attempt is refused: a probe for a lookalike is not a free retry.
MAX_REFUSED_ATTEMPTS = 5
_FACE_REFUSALS = ("face_mismatch", "liveness_low")


@router.post("/payments/face", responses=documented(401, 403, 409, 422))
def face_pay(
    body: FacePaymentRequest, device: CurrentDevice, db: Db, vault: CurrentVault
) -> FacePaymentResponse:
    require_own_order_no(device, body.order_no)
    if not ORDER_NO.fullmatch(body.order_no):
        raise invalid(f"order_no {body.order_no!r} is not <device>-<YYYYMMDD>-<number>")
    probe: Template | None = None
    if body.probe is not None:
        try:
            probe = decode(body.probe.model, body.probe.vector, "probe.vector")
            check_dimension(probe)
        except TemplateError as error:
            raise invalid(str(error)) from None

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
        if probe is None or body.liveness is None:
            # Not a repeat, and no face: nothing to check a payment against.
            check = None
            answer = FacePaymentResponse(
                payment_id=body.payment_id,
                state="FAIL",
                reason="no_face_evidence",
                balance_cents=0,
            )
        else:
            check = _Check(conn, vault, device, body, probe=probe, liveness=body.liveness)
            answer = check.run()
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
                score=check.score if check else None,
                liveness=body.liveness,
                created_at=check.now_iso if check else utc_now_iso(),
            )
        )
        return answer

    return db.run_write(work)


class _Check:
    """One payment's checks, in order, each refusal with its reason."""

    def __init__(
        self,
        conn: Connection,
        vault: Vault,
        device: Device,
        body: FacePaymentRequest,
        *,
        probe: Template,
        liveness: float,
    ) -> None:
        self.conn = conn
        self.vault = vault
        self.device = device
        self.body = body
        self.probe = probe
        self.liveness = liveness
        self.now_iso = utc_now_iso()
        self.score: float | None = None

    def fail(self, reason: FaceRefusal, balance: int = 0) -> FacePaymentResponse:
        return FacePaymentResponse(
            payment_id=self.body.payment_id, state="FAIL", reason=reason, balance_cents=balance
        )

    def run(self) -> FacePaymentResponse:
        conn, body = self.conn, self.body
        member = member_records.find(conn, body.member_id)
        if member is None or member.deleted:
            return self.fail("member_unknown")
        if member.store_id != self.device.store_id:
            raise forbidden(f"member {body.member_id} belongs to another store")
        if not member.face_enabled:
            return self.fail("face_disabled")
        # The store's row locked first (the lock order every member write uses): two
        # payments at once cannot both slip under a daily limit.
        limits = conn.execute(
            sa.select(stores).where(stores.c.store_id == self.device.store_id).with_for_update()
        ).one()
        window_start = _ago(self.now_iso, timedelta(seconds=limits.face_pay_velocity_window_s))
        if self._count(window_start, states=("FAIL",), reasons=_FACE_REFUSALS) >= (
            MAX_REFUSED_ATTEMPTS
        ):
            return self.fail("too_many_attempts")
        if self.liveness < limits.face_pay_liveness_min:
            return self.fail("liveness_low")
        stored = member_records.templates(conn, self.vault, [body.member_id], self.probe.model)
        self.score = best_of(self.probe, stored.get(body.member_id, []))
        if self.score < payment_threshold(self.probe.model):
            return self.fail("face_mismatch")
        # The face is the member's: from here on a refusal may say what the balance is.
        if body.amount_cents > limits.face_pay_max_cents:
            return self.fail("over_payment_cap")
        if self._count(window_start, states=("SUCCESS",)) >= limits.face_pay_velocity_count:
            return self.fail("too_many_payments")
        day_start = _ago(self.now_iso, DAY)
        member_day = self._sum(day_start, face_payments.c.member_id == body.member_id)
        if member_day + body.amount_cents > limits.face_pay_member_daily_cents:
            return self.fail("over_member_daily_cap")
        device_day = self._sum(day_start, face_payments.c.device_id == self.device.device_id)
        if device_day + body.amount_cents > limits.face_pay_device_daily_cents:
            return self.fail("over_device_daily_cap")
        return self._debit()

    def _count(
        self, since: str, *, states: tuple[str, ...], reasons: tuple[str, ...] | None = None
    ) -> int:
        query = sa.select(sa.func.count()).where(
            face_payments.c.member_id == self.body.member_id,
            face_payments.c.created_at >= since,
            face_payments.c.state.in_(states),
        )
        if reasons is not None:
            query = query.where(face_payments.c.reason.in_(reasons))
        return int(self.conn.execute(query).scalar_one())

    def _sum(self, since: str, who: Any) -> int:
        total = self.conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(face_payments.c.amount_cents), 0)).where(
                who, face_payments.c.state == "SUCCESS", face_payments.c.created_at >= since
            )
        ).scalar_one()
        return int(total)

    def _debit(self) -> FacePaymentResponse:
        conn, body = self.conn, self.body
        # The balance changes only if it covers the amount: no read-modify-write race.
        seq = bump(conn, self.device.store_id, "member_seq")
        balance = conn.execute(
            sa.update(members)
            .where(
                members.c.member_id == body.member_id,
                members.c.balance_cents >= body.amount_cents,
            )
            .values(
                balance_cents=members.c.balance_cents - body.amount_cents,
                change_seq=seq,
                updated_at=self.now_iso,
            )
            .returning(members.c.balance_cents)
        ).scalar_one_or_none()
        if balance is None:
            current = conn.execute(
                sa.select(members.c.balance_cents).where(members.c.member_id == body.member_id)
            ).scalar_one()
            return self.fail("insufficient_balance", int(current))
        return FacePaymentResponse(
            payment_id=body.payment_id, state="SUCCESS", reason=None, balance_cents=int(balance)
        )


def _ago(now_iso: str, span: timedelta) -> str:
    """``now_iso`` minus ``span``, in the same ISO form, so text comparison orders by time."""
    now = datetime.fromisoformat(now_iso).astimezone(UTC)
    return (now - span).isoformat(timespec="microseconds")
