"""``PUT /v1/orders/{order_no}`` (idempotent upload) and ``GET /v1/orders/{order_no}``.

The stored document is the canonical JSON (sorted keys, no whitespace) of the body as
received, extra keys included; a resend is a duplicate when its canonical JSON is the
same. A closed order (paid/cancelled) may replace a still-open one, never the reverse.
An order whose payments disagree with the cloud's own payment records is stored flagged
(``order_checks``), never silently accepted and never refused.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy.engine import Connection

from deploy.cloud import order_checks
from deploy.cloud.auth import CurrentDevice, Db, require_own_order_no, require_same_store
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.contract import OrderDocument, OrderReceipt
from deploy.cloud.errors import ApiError, conflict, documented, forbidden
from deploy.cloud.schema import orders

router = APIRouter(tags=["orders"])

OPEN_STATES = frozenset({"open", "tendering"})
CLOSED_STATES = frozenset({"paid", "cancelled"})
OrderNo = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def raw_json_body(request: Request) -> Any:
    """The body exactly as sent (FastAPI has read and cached it already)."""
    try:
        return json.loads(await request.body(), parse_constant=_no_constants)
    except ValueError as error:
        raise ApiError(400, "malformed_json", f"the body is not valid JSON: {error}") from None


def canonical_json(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@router.put(
    "/orders/{order_no}",
    status_code=201,
    responses={200: {"model": OrderReceipt}, **documented(400, 401, 403, 409, 413, 422)},
)
def put_order(
    *,
    order_no: OrderNo,
    document: OrderDocument,
    raw: Annotated[Any, Depends(raw_json_body)],
    device: CurrentDevice,
    db: Db,
    response: Response,
) -> OrderReceipt:
    if document.order_no != order_no:
        raise forbidden(f"the body is order {document.order_no}, the path says {order_no}")
    require_own_order_no(device, order_no)
    if document.device_id != device.device_id:
        raise forbidden(f"the order's device_id is {document.device_id}, not {device.device_id}")
    stored_text = canonical_json(raw)

    def work(conn: Connection) -> OrderReceipt:
        row = conn.execute(
            sa.select(
                orders.c.store_id, orders.c.state, orders.c.document, orders.c.received_at
            ).where(orders.c.order_no == order_no)
        ).first()
        now = utc_now_iso()
        flags = order_checks.flags_for(conn, device.device_id, document)
        columns = {
            "state": document.state,
            "total_cents": document.totals.total_cents,
            "paid_cents": document.paid_cents,
            "business_date": document.business_date,
            "document": stored_text,
            "received_at": now,
            "flagged": bool(flags),
            "flags": json.dumps(flags) if flags else None,
        }
        if row is None:
            conn.execute(
                sa.insert(orders).values(
                    order_no=order_no,
                    store_id=device.store_id,
                    device_id=device.device_id,
                    **columns,
                )
            )
            response.status_code = 201
            return OrderReceipt(order_no=order_no, status="created", received_at=now)
        require_same_store(device, row.store_id, f"order {order_no}")
        response.status_code = 200
        if row.document == stored_text:
            return OrderReceipt(order_no=order_no, status="duplicate", received_at=row.received_at)
        if row.state in OPEN_STATES and document.state in CLOSED_STATES:
            conn.execute(sa.update(orders).where(orders.c.order_no == order_no).values(columns))
            return OrderReceipt(order_no=order_no, status="updated", received_at=now)
        raise conflict(
            f"order {order_no} is already stored ({row.state}) with different content;"
            " only a paid or cancelled order may replace an open one"
        )

    return db.run_write(work)


@router.get(
    "/orders/{order_no}",
    response_class=Response,
    responses={
        200: {"model": OrderDocument, "content": {"application/json": {}}},
        **documented(401, 403, 404),
    },
)
def get_order(order_no: OrderNo, device: CurrentDevice, db: Db) -> Response:
    with db.read() as conn:
        row = conn.execute(
            sa.select(orders.c.store_id, orders.c.document).where(orders.c.order_no == order_no)
        ).first()
    if row is None:
        raise ApiError(404, "order_unknown", f"order {order_no} has not been received")
    require_same_store(device, row.store_id, f"order {order_no}")
    # The stored text as it is: re-serialising could change what the terminal sent.
    return Response(content=row.document, media_type="application/json")
