"""What an uploaded Z report must agree with: its own arithmetic, and the cloud's records.

- The arithmetic (refused, 422, when wrong: such a report is not a report): per tender
  ``net = sales - refunds``; the totals are the sums over tenders; pay-ins and pay-outs
  are the sums of the movements listed; ``cash_expected = float + cash sales - cash
  refunds + pay-ins - pay-outs``; ``variance = counted - expected``.
- The cloud's records (stored *flagged*, never refused: the shift is over and the report
  is evidence), with reason codes the back office shows:
  - ``shift_missing``: the cloud has no copy of the shift;
  - ``shift_disagrees``: its copy is not closed, or its float, count, close time or
    movements differ from the report's;
  - ``orders_missing``: an order the report lists has not reached the cloud (checked
    when the report arrives: the till sends a shift's orders before its Z);
  - ``orders_disagree``: the cloud's copies of the listed orders, with the money of the
    listed refunds given back, add up to other sales or refunds per tender, or other
    counts of paid and cancelled orders;
  - ``refunds_missing``: a refund the report lists has not reached the cloud.
The money of an order is read with the till's own rule (``payment_line``), so the two
sides cannot count a refunded or reversed payment differently.

What must not live here: storing the report (``routes/shifts.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud.contract import ZReportDocument
from deploy.cloud.schema import orders, refunds, shifts
from terminal.domain.shift_report import TenderLine, payment_line, tender_totals

_CHUNK = 500


def arithmetic_problems(z: ZReportDocument) -> list[str]:
    """Each figure of the report that its other figures contradict."""
    problems: list[str] = []
    names = [t.tender for t in z.tenders]
    if len(set(names)) != len(names):
        problems.append("a tender is listed twice")
    for t in z.tenders:
        if t.net_cents != t.sales_cents - t.refunds_cents:
            problems.append(f"tenders.{t.tender}: net_cents is not sales_cents - refunds_cents")
    for total in ("sales_cents", "refunds_cents", "net_cents"):
        if getattr(z, total) != sum(getattr(t, total) for t in z.tenders):
            problems.append(f"{total} is not the sum over the tenders")
    for kind, cents, count in (
        ("pay_in", z.pay_ins_cents, z.pay_ins_count),
        ("pay_out", z.pay_outs_cents, z.pay_outs_count),
    ):
        listed = [m.cents for m in z.movements if m.kind == kind]
        if cents != sum(listed) or count != len(listed):
            problems.append(f"{kind}s are not the movements listed")
    cash = next((t for t in z.tenders if t.tender == "cash"), None)
    cash_net = cash.net_cents if cash is not None else 0
    expected = z.float_cents + cash_net + z.pay_ins_cents - z.pay_outs_cents
    if z.cash_expected_cents != expected:
        problems.append(
            "cash_expected_cents is not float + cash sales - cash refunds + pay-ins - pay-outs"
        )
    if z.variance_cents != z.counted_cents - z.cash_expected_cents:
        problems.append("variance_cents is not counted_cents - cash_expected_cents")
    return problems


def flags_for(conn: Connection, device_id: str, z: ZReportDocument) -> list[str]:
    flags = _shift_flags(conn, z)
    documents = list(_order_documents(conn, device_id, z.order_nos))
    given_back = list(_refund_documents(conn, device_id, z.refund_nos))
    if len(given_back) != len(set(z.refund_nos)):
        flags.append("refunds_missing")
    if len(documents) != len(set(z.order_nos)):
        flags.append("orders_missing")
    elif _orders_disagree(z, documents, given_back):
        flags.append("orders_disagree")
    return sorted(flags)


def _shift_flags(conn: Connection, z: ZReportDocument) -> list[str]:
    row = conn.execute(
        sa.select(shifts.c.document).where(
            shifts.c.shift_id == z.shift_id, shifts.c.device_id == z.device_id
        )
    ).first()
    if row is None:
        return ["shift_missing"]
    shift = json.loads(row.document)
    report = z.model_dump()
    same = all(
        shift.get(key) == report[key]
        for key in ("shift_no", "opened_at", "float_cents", "closed_at", "counted_cents")
    )
    if not same or shift.get("movements") != report["movements"]:
        return ["shift_disagrees"]
    return []


def _order_documents(
    conn: Connection, device_id: str, order_nos: list[str]
) -> Iterator[dict[str, Any]]:
    wanted = sorted(set(order_nos))
    for start in range(0, len(wanted), _CHUNK):
        rows = conn.execute(
            sa.select(orders.c.document).where(
                orders.c.order_no.in_(wanted[start : start + _CHUNK]),
                orders.c.device_id == device_id,
            )
        )
        for row in rows:
            yield json.loads(row.document)


def _refund_documents(
    conn: Connection, device_id: str, refund_nos: list[str]
) -> Iterator[dict[str, Any]]:
    wanted = sorted(set(refund_nos))
    for start in range(0, len(wanted), _CHUNK):
        rows = conn.execute(
            sa.select(refunds.c.document).where(
                refunds.c.refund_no.in_(wanted[start : start + _CHUNK]),
                refunds.c.device_id == device_id,
            )
        )
        for row in rows:
            yield json.loads(row.document)


def _refund_lines(documents: list[dict[str, Any]]) -> list[TenderLine]:
    """The money the refunds gave back, by tender: their payments that went through."""
    return [
        TenderLine(str(p.get("method")), p.get("provider"), refunds_cents=int(p["amount_cents"]))
        for document in documents
        for p in document.get("payments") or []
        if p.get("state") == "succeeded"
    ]


def _orders_disagree(
    z: ZReportDocument, documents: list[dict[str, Any]], given_back: list[dict[str, Any]]
) -> bool:
    states = [d.get("state") for d in documents]
    if states.count("paid") != z.orders_paid or states.count("cancelled") != z.orders_cancelled:
        return True
    lines: list[TenderLine] = []
    for document in documents:
        for p in document.get("payments") or []:
            line = payment_line(
                str(p.get("method")), p.get("provider"), str(p.get("state")), p["amount_cents"]
            )
            if line is not None:
                lines.append(line)
    lines += _refund_lines(given_back)
    theirs = {
        t.tender: (t.sales_cents, t.refunds_cents)
        for t in tender_totals(lines)
        if t.sales_cents or t.refunds_cents
    }
    ours = {
        t.tender: (t.sales_cents, t.refunds_cents)
        for t in z.tenders
        if t.sales_cents or t.refunds_cents
    }
    return theirs != ours
