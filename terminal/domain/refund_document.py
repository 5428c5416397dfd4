"""A refund as a plain JSON-ready document: what is queued for the cloud
(``PUT /v1/refunds/{refund_no}``) and compared in tests. Times UTC ISO-8601, money int
cents. Nothing in it changes once written except the states and ``completed_at``, so the
cloud can tell a refund that finished from one that was changed.
"""

from __future__ import annotations

from typing import Any

from terminal.domain.refund import Refund

DOCUMENT_VERSION = 1


def refund_to_document(refund: Refund) -> dict[str, Any]:
    return {
        "version": DOCUMENT_VERSION,
        "refund_no": refund.refund_no,
        "device_id": refund.device_id,
        "business_date": refund.business_date.isoformat(),
        "kind": str(refund.kind),
        "order_no": refund.order_no,
        "state": str(refund.state),
        "created_at": refund.created_at.isoformat(),
        "completed_at": refund.completed_at.isoformat() if refund.completed_at else None,
        "reason": refund.reason,
        "cashier_id": refund.cashier_id,
        "approver_id": refund.approver_id,
        "total_cents": refund.total_cents,
        "lines": [
            {
                "line_no": line.line_no,
                "sku": line.sku,
                "name_zh": line.name_zh,
                "name_en": line.name_en,
                "quantity": line.quantity,
                "weight_grams": line.weight_grams,
                "amount_cents": line.amount_cents,
            }
            for line in refund.lines
        ],
        "payments": [
            {
                "refund_payment_id": p.refund_payment_id,
                "method": str(p.method),
                "amount_cents": p.amount_cents,
                "state": str(p.state),
                "original_payment_id": p.original_payment_id,
                "member_id": p.member_id,
                "provider": p.provider,
                "reason": p.reason,
            }
            for p in refund.payments
        ],
    }
