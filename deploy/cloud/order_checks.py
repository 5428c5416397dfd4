"""What an uploaded order must agree with: the cloud's own payment records.

A device says an order was paid; the cloud believes its own rows. An order is never
refused for disagreeing (the till has already sold, and the document is evidence) but is
stored flagged, with reason codes the back office shows:
- ``negative_total``: a total below zero;
- ``payments_disagree``: a paid order whose succeeded payments do not sum to its total;
- ``face_payment_unverified``: a succeeded face payment the cloud has no SUCCESS record
  of for this order, amount and device;
- ``wallet_payment_unverified``: the same for a wallet code payment (``micropay_trades``).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud.contract import OrderDocument
from deploy.cloud.schema import face_payments, micropay_trades


def flags_for(conn: Connection, device_id: str, document: OrderDocument) -> list[str]:
    flags: list[str] = []
    if document.totals.total_cents < 0:
        flags.append("negative_total")
    succeeded = [p for p in document.payments if p.state == "succeeded"]
    if document.state == "paid" and sum(p.amount_cents for p in succeeded) != (
        document.totals.total_cents
    ):
        flags.append("payments_disagree")
    for payment in succeeded:
        if payment.method == "face" and not _face_recorded(
            conn, device_id, document.order_no, payment.payment_id, payment.amount_cents
        ):
            flags.append("face_payment_unverified")
        if payment.method == "wallet_code" and not _trade_recorded(
            conn, device_id, document.order_no, payment.payment_id, payment.amount_cents
        ):
            flags.append("wallet_payment_unverified")
    return sorted(set(flags))


def _face_recorded(
    conn: Connection, device_id: str, order_no: str, payment_id: str, amount_cents: int
) -> bool:
    row = conn.execute(
        sa.select(face_payments.c.payment_id).where(
            face_payments.c.payment_id == payment_id,
            face_payments.c.order_no == order_no,
            face_payments.c.device_id == device_id,
            face_payments.c.amount_cents == amount_cents,
            face_payments.c.state == "SUCCESS",
        )
    ).first()
    return row is not None


def _trade_recorded(
    conn: Connection, device_id: str, order_no: str, payment_id: str, amount_cents: int
) -> bool:
    row = conn.execute(
        sa.select(micropay_trades.c.out_trade_no).where(
            micropay_trades.c.out_trade_no == payment_id,
            micropay_trades.c.order_no == order_no,
            micropay_trades.c.device_id == device_id,
            micropay_trades.c.amount_cents == amount_cents,
            micropay_trades.c.trade_state == "SUCCESS",
        )
    ).first()
    return row is not None
