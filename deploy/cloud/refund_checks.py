"""What a refund must agree with: the order as the cloud stored it, the order's earlier
refunds, and the cloud's own records of money going back.

Refused when a refund is first stored (for a wallet or a member's balance, before any
of its money moves: the till stores the refund first):
- 409 ``order_unknown``: the cloud has not received the order (yet);
- 403: the order belongs to another store (another till of the same store may refund
  it; the refund records which till sold it and which refunded it);
- 409 ``order_not_paid``: a cancelled or open order has nothing to give back;
- 409 ``over_refund``: a line the order did not sell (unknown or voided, or by weight
  given as pieces), more pieces, grams or cents back on a line than it sold or charged,
  or more back in all than the order's total, counting every earlier refund of the order.
Stored, but flagged with these reason codes (never silently accepted):
- ``order_flagged``: the order itself is flagged;
- ``line_amount_disagrees``: a line's amount is not the share the cloud computes from
  its own copy of the order and refunds (what the line charged, pro rata to what is
  returned, rounded down on the running total: ``terminal/domain/refundable.py``'s rule);
- ``payments_disagree``: the refund payments do not add up to the refund's total;
- ``tenders_disagree``: money going back to a payment the order does not have (of that
  method), more to one tender than it paid, or (a return) more cash than was paid in cash;
- ``wallet_refund_unverified`` / ``credit_unverified``: a refund payment the till says
  succeeded, of which the wallet has no refund or the member no credit (that id, trade or
  member, amount).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud import wallet_refunds
from deploy.cloud.auth import Device, require_same_store
from deploy.cloud.contract import RefundDocument
from deploy.cloud.errors import ApiError
from deploy.cloud.schema import member_credits, orders, refunds
from terminal.domain.refundable import SoldLine, Taken, line_amount

COUNTED = ("pending", "done", "failed")  # every refund counts its lines: goods came back


@dataclass(frozen=True, slots=True)
class _SoldLine:
    measure: int
    by_weight: bool
    net_cents: int


@dataclass(slots=True)
class _Taken:
    lines: dict[int, tuple[int, int]] = field(default_factory=dict)  # measure, cents
    tenders: dict[str, int] = field(default_factory=dict)
    cash_cents: int = 0
    total_cents: int = 0

    def add(self, document: dict[str, Any]) -> None:
        self.total_cents += int(document["total_cents"])
        for line in document["lines"]:
            if line.get("line_no") is None:
                continue
            measure, cents = self.lines.get(int(line["line_no"]), (0, 0))
            self.lines[int(line["line_no"])] = (
                measure + _measure(line),
                cents + int(line["amount_cents"]),
            )
        for payment in document["payments"]:
            if payment["state"] == "failed":
                continue
            original = payment.get("original_payment_id")
            if original is None:
                if payment["method"] == "cash":
                    self.cash_cents += int(payment["amount_cents"])
            else:
                self.tenders[original] = self.tenders.get(original, 0) + int(
                    payment["amount_cents"]
                )


def check_new(
    conn: Connection, device: Device, document: RefundDocument
) -> tuple[str | None, list[str]]:
    """Refuse (``ApiError``) or pass a refund not stored before; returns the device that
    sold the order (None without a receipt) and the refund's flags."""
    if document.order_no is None:
        return None, _payment_flags(document) + verify(conn, document)
    order = conn.execute(
        sa.select(orders).where(orders.c.order_no == document.order_no).with_for_update()
    ).first()
    if order is None:
        raise ApiError(
            409, "order_unknown", f"order {document.order_no} has not reached the cloud yet"
        )
    require_same_store(device, order.store_id, f"order {document.order_no}")
    if order.state != "paid":
        raise ApiError(
            409, "order_not_paid", f"order {document.order_no} is {order.state}: nothing to refund"
        )
    sold = json.loads(order.document)
    lines = {
        int(line["line_no"]): _SoldLine(
            _measure(line), line.get("weight_grams") is not None, int(line["net_cents"])
        )
        for line in sold["lines"]
        if not line.get("voided")
    }
    taken = _Taken()
    for (text,) in conn.execute(
        sa.select(refunds.c.document).where(
            refunds.c.order_no == document.order_no,
            refunds.c.refund_no != document.refund_no,
            refunds.c.state.in_(COUNTED),
        )
    ):
        taken.add(json.loads(text))
    flags = _line_flags(document, lines, taken)
    if taken.total_cents + document.total_cents > order.total_cents:
        raise _over(
            f"order {document.order_no} had {order.total_cents - taken.total_cents} cents"
            f" left to refund, not {document.total_cents}"
        )
    if order.flagged:
        flags.append("order_flagged")
    flags += _payment_flags(document)
    if _tenders_disagree(document, sold, taken):
        flags.append("tenders_disagree")
    flags += verify(conn, document)
    return order.device_id, sorted(set(flags))


def verify(conn: Connection, document: RefundDocument) -> list[str]:
    """Flags for refund payments said to have succeeded that the cloud has no record of."""
    flags = []
    for payment in document.payments:
        if payment.state != "succeeded":
            continue
        if payment.method == "wallet_code" and not wallet_refunds.recorded(
            conn,
            payment.refund_payment_id,
            payment.original_payment_id or "",
            payment.amount_cents,
        ):
            flags.append("wallet_refund_unverified")
        if payment.method in ("face", "store_credit") and not _credited(
            conn, payment.refund_payment_id, payment.member_id, payment.amount_cents
        ):
            flags.append("credit_unverified")
    return sorted(set(flags))


def _line_flags(document: RefundDocument, lines: dict[int, _SoldLine], taken: _Taken) -> list[str]:
    flags = []
    seen: set[int] = set()
    for line in document.lines:
        line_no = line.line_no
        sold = lines.get(line_no) if line_no is not None else None
        if line_no is None or sold is None or line_no in seen:
            raise _over(f"order {document.order_no} did not sell line {line_no} to refund")
        seen.add(line_no)
        if sold.by_weight != (line.weight_grams is not None):
            raise _over(f"line {line.line_no} is given back by the wrong measure")
        measure = line.weight_grams if sold.by_weight else line.quantity
        before_measure, before_cents = taken.lines.get(line_no, (0, 0))
        if measure is None or before_measure + measure > sold.measure:
            raise _over(
                f"line {line.line_no}: {sold.measure - before_measure} left to give back,"
                f" not {measure}"
            )
        if before_cents + line.amount_cents > sold.net_cents:
            raise _over(
                f"line {line.line_no}: {sold.net_cents - before_cents} cents left to give back,"
                f" not {line.amount_cents}"
            )
        # The terminal's own rule, applied to the cloud's own records of the order.
        as_sold = SoldLine(line_no, line.sku, "", "", sold.measure, sold.by_weight, sold.net_cents)
        expected = line_amount(as_sold, Taken(before_measure, before_cents), measure)
        if line.amount_cents != expected:
            flags.append("line_amount_disagrees")
    return flags


def _payment_flags(document: RefundDocument) -> list[str]:
    paid = sum(p.amount_cents for p in document.payments)
    lines = sum(line.amount_cents for line in document.lines)
    if paid != document.total_cents or lines != document.total_cents:
        return ["payments_disagree"]
    return []


def _tenders_disagree(document: RefundDocument, sold: dict[str, Any], taken: _Taken) -> bool:
    succeeded = {
        p["payment_id"]: (p["method"], int(p["amount_cents"]))
        for p in sold["payments"]
        if p["state"] == "succeeded"
    }
    cash_paid = sum(amount for method, amount in succeeded.values() if method == "cash")
    cash_back = taken.cash_cents
    back = dict(taken.tenders)
    for payment in document.payments:
        if payment.original_payment_id is None:
            if payment.method == "cash":
                cash_back += payment.amount_cents
            continue
        original = succeeded.get(payment.original_payment_id)
        if original is None or original[0] != payment.method:
            return True
        back[payment.original_payment_id] = (
            back.get(payment.original_payment_id, 0) + payment.amount_cents
        )
        if back[payment.original_payment_id] > original[1]:
            return True
    return document.kind == "return" and cash_back > cash_paid


def _credited(conn: Connection, credit_id: str, member_id: str | None, amount: int) -> bool:
    row = conn.execute(
        sa.select(member_credits.c.credit_id).where(
            member_credits.c.credit_id == credit_id,
            member_credits.c.member_id == (member_id or ""),
            member_credits.c.amount_cents == amount,
        )
    ).first()
    return row is not None


def _measure(line: dict[str, Any]) -> int:
    grams = line.get("weight_grams")
    return int(grams) if grams is not None else int(line.get("quantity") or 0)


def _over(message: str) -> ApiError:
    return ApiError(409, "over_refund", message)
