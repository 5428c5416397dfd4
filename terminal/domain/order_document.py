"""An order as a plain JSON-ready document: the one shape that is exported, queued in the
outbox for the cloud, and compared in tests. Times are UTC ISO-8601, money is int cents.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from terminal.domain.order import Order

DOCUMENT_VERSION = 1


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def order_to_document(order: Order) -> dict[str, Any]:
    totals = order.totals()
    per_line = {t.line_no: t for t in totals.lines}
    lines = []
    for line in order.cart.lines:
        line_total = per_line.get(line.line_no)
        lines.append(
            {
                "line_no": line.line_no,
                "sku": line.sku,
                "scanned_code": line.scanned_code,
                "name_zh": line.name_zh,
                "name_en": line.name_en,
                "unit": str(line.unit),
                "quantity": line.quantity,
                "weight_grams": line.weight_grams,
                "unit_price_cents": line.unit_price_cents,
                "member_price_cents": line.member_price_cents,
                "fixed_amount_cents": line.fixed_amount_cents,
                "discount_cents": line.discount_cents,
                "tax_rate_bp": line.tax_rate_bp,
                "voided": line.voided,
                "net_cents": line_total.net_cents if line_total else 0,
                "tax_cents": line_total.tax_cents if line_total else 0,
            }
        )
    payments = [
        {
            "payment_id": p.payment_id,
            "method": str(p.method),
            "state": str(p.state),
            "amount_cents": p.amount_cents,
            "tendered_cents": p.tendered_cents,
            "change_cents": p.change_cents,
            "provider": p.provider,
            "trade_no": p.trade_no,
            "created_at": _iso(p.created_at),
            "updated_at": _iso(p.updated_at),
        }
        for p in order.payments
    ]
    return {
        "version": DOCUMENT_VERSION,
        "order_no": order.order_no,
        "device_id": order.device_id,
        "business_date": order.business_date.isoformat(),
        "state": str(order.state),
        "opened_at": _iso(order.opened_at),
        "closed_at": _iso(order.closed_at),
        "member_id": order.member_id,
        "cancel_reason": order.cancel_reason,
        "cashier_id": order.cashier_id,
        "approver_id": order.approver_id,
        "totals": {
            "subtotal_cents": totals.subtotal_cents,
            "line_discount_cents": totals.line_discount_cents,
            "order_discount_cents": totals.order_discount_cents,
            "tax_cents": totals.tax_cents,
            "total_cents": totals.total_cents,
            "member_savings_cents": totals.member_savings_cents,
        },
        "paid_cents": order.paid_cents,
        "change_cents": order.change_cents,
        "lines": lines,
        "payments": payments,
    }
