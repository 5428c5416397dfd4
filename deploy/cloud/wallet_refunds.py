"""Refunds of wallet payment-code trades in the simulator, with a wallet's failure modes
(WeChat Pay's refund API behaves this way; the codes are ours):

- idempotent on ``out_refund_no``: asked again, a refund answers from its record and
  refunds nothing more; the same id with another trade or amount is 409
  ``refund_mismatch`` (a new refund needs a new id);
- 404 ``trade_unknown`` for a trade the wallet never saw; 409 ``trade_not_paid`` for one
  that is not SUCCESS (declined, reversed, still waiting);
- 409 ``over_trade_amount`` when the trade's earlier refunds plus this one would be more
  than the trade;
- SYSTEMERROR (``wallet_simulator.refund_answer``): the refund went through but the
  answer says unknown; only the same ``out_refund_no`` may ask again.
Any till of the trade's store may refund it (a return at another till); the refund
records which one asked. Another store's trade is 403.

What must not live here: the route (``routes/micropay.py``), trade payment itself.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud import wallet_simulator as wallet
from deploy.cloud.auth import Device, require_same_store
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.contract import WalletRefundRequest, WalletRefundResponse
from deploy.cloud.errors import ApiError
from deploy.cloud.schema import micropay_refunds as refunds
from deploy.cloud.schema import micropay_trades as trades


def refund(
    conn: Connection, device: Device, out_trade_no: str, body: WalletRefundRequest
) -> WalletRefundResponse:
    """One refund call, in the caller's write transaction (module docstring)."""
    trade = conn.execute(
        sa.select(trades).where(trades.c.out_trade_no == out_trade_no).with_for_update()
    ).first()
    earlier = conn.execute(
        sa.select(refunds).where(refunds.c.out_refund_no == body.out_refund_no)
    ).first()
    if earlier is not None:
        require_same_store(device, earlier.store_id, f"refund {body.out_refund_no}")
        if (earlier.out_trade_no, earlier.amount_cents) != (out_trade_no, body.amount_cents):
            raise ApiError(
                409,
                "refund_mismatch",
                f"refund {body.out_refund_no} was asked for another trade or amount;"
                " a new refund needs a new out_refund_no",
            )
        conn.execute(
            sa.update(refunds)
            .where(refunds.c.out_refund_no == body.out_refund_no)
            .values(answers=earlier.answers + 1, updated_at=utc_now_iso())
        )
        digit = trade.outcome_digit if trade is not None else None
        return _answer(conn, earlier, wallet.refund_answer(digit, earlier.answers))
    if trade is None:
        raise ApiError(404, "trade_unknown", f"the wallet has no trade {out_trade_no}")
    require_same_store(device, trade.store_id, f"trade {out_trade_no}")
    if trade.trade_state != wallet.SUCCESS or trade.amount_cents is None:
        raise ApiError(
            409,
            "trade_not_paid",
            f"trade {out_trade_no} is {trade.trade_state}: only a paid trade is refunded",
        )
    before = _refunded(conn, out_trade_no)
    if before + body.amount_cents > trade.amount_cents:
        raise ApiError(
            409,
            "over_trade_amount",
            f"trade {out_trade_no} has {trade.amount_cents - before} cents left to refund,"
            f" not {body.amount_cents}",
        )
    now = utc_now_iso()
    conn.execute(
        sa.insert(refunds).values(
            out_refund_no=body.out_refund_no,
            out_trade_no=out_trade_no,
            store_id=trade.store_id,
            device_id=device.device_id,
            amount_cents=body.amount_cents,
            refund_state=wallet.SUCCESS,
            refund_id=wallet.new_refund_id(),
            answers=1,
            created_at=now,
            updated_at=now,
        )
    )
    row = conn.execute(
        sa.select(refunds).where(refunds.c.out_refund_no == body.out_refund_no)
    ).one()
    return _answer(conn, row, wallet.refund_answer(trade.outcome_digit, 0))


def recorded(conn: Connection, out_refund_no: str, out_trade_no: str, amount: int) -> bool:
    """Whether the wallet holds that refund, of that trade and amount (refund checks)."""
    row = conn.execute(
        sa.select(refunds.c.out_refund_no).where(
            refunds.c.out_refund_no == out_refund_no,
            refunds.c.out_trade_no == out_trade_no,
            refunds.c.amount_cents == amount,
            refunds.c.refund_state == wallet.SUCCESS,
        )
    ).first()
    return row is not None


def _refunded(conn: Connection, out_trade_no: str) -> int:
    total = conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(refunds.c.amount_cents), 0)).where(
            refunds.c.out_trade_no == out_trade_no
        )
    ).scalar_one()
    return int(total)


def _answer(conn: Connection, row: Any, state: str) -> WalletRefundResponse:
    lost = state == wallet.SYSTEMERROR
    return WalletRefundResponse(
        out_trade_no=row.out_trade_no,
        out_refund_no=row.out_refund_no,
        refund_state="SYSTEMERROR" if lost else "SUCCESS",
        refund_id=None if lost else row.refund_id,
        amount_cents=row.amount_cents,
        refunded_cents=_refunded(conn, row.out_trade_no),
        message="SYSTEMERROR: result unknown, ask again with the same out_refund_no"
        if lost
        else None,
    )
