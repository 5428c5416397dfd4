"""Wallet payment codes against the simulator (``wallet_simulator``): pay, query, reverse,
refund (``wallet_refunds``).

Idempotent on out_trade_no: a resent pay answers the trade's current state without
moving it on; only queries move a USERPAYING trade. One order may own several trades.
A trade belongs to the device that made it: another device, even of the same store, is
answered 403 for it.
The payment code itself is never stored or logged, only its hash and outcome digit.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path
from sqlalchemy.engine import Connection

from deploy.cloud import wallet_refunds
from deploy.cloud import wallet_simulator as wallet
from deploy.cloud.auth import CurrentDevice, Db, Device, require_own_order_no, require_same_store
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.contract import (
    MicropayRequest,
    MicropayResponse,
    ReverseResponse,
    WalletRefundRequest,
    WalletRefundResponse,
)
from deploy.cloud.errors import ApiError, conflict, documented, forbidden
from deploy.cloud.schema import micropay_trades as trades

router = APIRouter(tags=["payments"])

OutTradeNo = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


def _answer(row: Any) -> MicropayResponse:
    return MicropayResponse(
        out_trade_no=row.out_trade_no,
        trade_no=row.trade_no,
        trade_state=row.trade_state,
        message=row.message,
    )


def _find(conn: Connection, out_trade_no: str) -> Any:
    return conn.execute(sa.select(trades).where(trades.c.out_trade_no == out_trade_no)).first()


@router.post("/payments/micropay", responses=documented(401, 403, 409, 422))
def micropay(body: MicropayRequest, device: CurrentDevice, db: Db) -> MicropayResponse:
    require_own_order_no(device, body.order_no)
    code_hash = hashlib.sha256(body.auth_code.encode()).hexdigest()

    def work(conn: Connection) -> MicropayResponse:
        earlier = _find(conn, body.out_trade_no)
        if earlier is not None:
            _require_own_trade(device, earlier)
            if earlier.auth_code_sha256 is None:
                # Reversed before this pay arrived: the wallet keeps it closed.
                return _answer(earlier)
            if (earlier.order_no, earlier.amount_cents, earlier.auth_code_sha256) != (
                body.order_no,
                body.amount_cents,
                code_hash,
            ):
                raise conflict(f"trade {body.out_trade_no} was received with other content")
            return _answer(earlier)
        digit = wallet.outcome_digit(body.auth_code)
        step = wallet.pay(digit)
        now = utc_now_iso()
        conn.execute(
            sa.insert(trades).values(
                out_trade_no=body.out_trade_no,
                store_id=device.store_id,
                device_id=device.device_id,
                order_no=body.order_no,
                auth_code_sha256=code_hash,
                outcome_digit=digit,
                amount_cents=body.amount_cents,
                trade_state=step.stored_state,
                trade_no=step.trade_no,
                # What a query will say, not this (maybe lost) answer.
                message=step.message if step.stored_state == step.answer_state else None,
                created_at=now,
                updated_at=now,
            )
        )
        lost = step.answer_state != step.stored_state
        return MicropayResponse(
            out_trade_no=body.out_trade_no,
            trade_no=None if lost else step.trade_no,
            trade_state=step.answer_state,
            message=step.message,
        )

    return db.run_write(work)


@router.get("/payments/micropay/{out_trade_no}", responses=documented(401, 403, 404))
def query_trade(out_trade_no: OutTradeNo, device: CurrentDevice, db: Db) -> MicropayResponse:
    def work(conn: Connection) -> MicropayResponse:
        row = _find(conn, out_trade_no)
        if row is None:
            raise ApiError(404, "trade_unknown", f"the wallet has no trade {out_trade_no}")
        _require_own_trade(device, row)
        values: dict[str, Any] = {"query_count": row.query_count + 1, "updated_at": utc_now_iso()}
        if row.outcome_digit is not None:
            step = wallet.query(row.outcome_digit, row.trade_state, row.query_count)
            if step is not None:
                values |= {
                    "trade_state": step.stored_state,
                    "trade_no": step.trade_no,
                    "message": step.message,
                }
        conn.execute(sa.update(trades).where(trades.c.out_trade_no == out_trade_no).values(values))
        return _answer(_find(conn, out_trade_no))

    return db.run_write(work)


@router.post("/payments/micropay/{out_trade_no}/reverse", responses=documented(401, 403, 422))
def reverse_trade(out_trade_no: OutTradeNo, device: CurrentDevice, db: Db) -> ReverseResponse:
    def work(conn: Connection) -> ReverseResponse:
        row = _find(conn, out_trade_no)
        now = utc_now_iso()
        if row is None:
            # Wallets accept reversing a trade they never saw, and keep it closed, so a
            # pay call still in flight cannot take the money afterwards.
            conn.execute(
                sa.insert(trades).values(
                    out_trade_no=out_trade_no,
                    store_id=device.store_id,
                    device_id=device.device_id,
                    trade_state=wallet.REVOKED,
                    message="REVOKED: reversed before the wallet saw a payment",
                    created_at=now,
                    updated_at=now,
                )
            )
            return ReverseResponse(out_trade_no=out_trade_no, reversed=True, trade_state="NOTPAY")
        _require_own_trade(device, row)
        if row.auth_code_sha256 is None:
            return ReverseResponse(out_trade_no=out_trade_no, reversed=True, trade_state="NOTPAY")
        if row.trade_state != wallet.REVOKED:
            conn.execute(
                sa.update(trades)
                .where(trades.c.out_trade_no == out_trade_no)
                .values(
                    trade_state=wallet.REVOKED,
                    message="REVOKED: the trade was reversed",
                    updated_at=now,
                )
            )
        return ReverseResponse(out_trade_no=out_trade_no, reversed=True, trade_state="REVOKED")

    return db.run_write(work)


@router.post(
    "/payments/micropay/{out_trade_no}/refund", responses=documented(401, 403, 404, 409, 422)
)
def refund_trade(
    out_trade_no: OutTradeNo, body: WalletRefundRequest, device: CurrentDevice, db: Db
) -> WalletRefundResponse:
    """Refund part or all of a paid trade, idempotent on out_refund_no; any till of the
    trade's store may ask (``wallet_refunds`` has the rules and failure modes)."""
    return db.run_write(lambda conn: wallet_refunds.refund(conn, device, out_trade_no, body))


def _require_own_trade(device: Device, row: Any) -> None:
    """Only the device that made a trade may query, repeat or reverse it: a colleague's
    till in the same store has no business moving or reading its state."""
    require_same_store(device, row.store_id, f"trade {row.out_trade_no}")
    if row.device_id != device.device_id:
        raise forbidden(f"trade {row.out_trade_no} belongs to another device")
