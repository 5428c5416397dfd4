"""Order upload: created once, duplicates recognised, conflicts refused, a closed order
replacing an open one but never the reverse; the extracted columns follow."""

from __future__ import annotations

import json

import sqlalchemy as sa

from deploy.cloud import admin
from deploy.cloud.schema import orders
from tests.support.cloud_api import Cloud
from tests.support.order_documents import order_document


def test_resend_is_a_duplicate_and_different_content_a_conflict(cloud: Cloud) -> None:
    device = cloud.new_device()
    order_no = device.order_no(1)
    body = order_document(device.device_id, order_no)
    first = device.http.put(f"/v1/orders/{order_no}", json=body)
    assert first.status_code == 201, first.text
    created = first.json()
    assert created["status"] == "created" and created["order_no"] == order_no

    # Same content, other key order and spacing: still the same document.
    text = json.dumps(dict(reversed(list(body.items()))), indent=3)
    again = device.http.put(
        f"/v1/orders/{order_no}", content=text, headers={"Content-Type": "application/json"}
    )
    assert again.status_code == 200
    assert again.json() == {**created, "status": "duplicate"}

    changed = order_document(device.device_id, order_no, quantity=2)
    clash = device.http.put(f"/v1/orders/{order_no}", json=changed)
    assert clash.status_code == 409
    assert clash.json()["error"] == "conflict"
    assert device.http.get(f"/v1/orders/{order_no}").json() == body


def test_a_paid_order_replaces_an_open_one_never_the_reverse(cloud: Cloud) -> None:
    device = cloud.new_device()
    order_no = device.order_no(7)
    tendering = order_document(device.device_id, order_no, state="tendering")
    paid = order_document(device.device_id, order_no, state="paid")
    assert device.http.put(f"/v1/orders/{order_no}", json=tendering).status_code == 201

    replaced = device.http.put(f"/v1/orders/{order_no}", json=paid)
    assert replaced.status_code == 200
    assert replaced.json()["status"] == "updated"
    assert device.http.put(f"/v1/orders/{order_no}", json=paid).json()["status"] == "duplicate"

    back = device.http.put(f"/v1/orders/{order_no}", json=tendering)
    assert back.status_code == 409
    cancelled = order_document(device.device_id, order_no, state="cancelled")
    assert device.http.put(f"/v1/orders/{order_no}", json=cancelled).status_code == 409
    assert device.http.get(f"/v1/orders/{order_no}").json() == paid
    with cloud.db.read() as conn:
        row = conn.execute(sa.select(orders).where(orders.c.order_no == order_no)).one()
    assert (row.state, row.total_cents, row.paid_cents, row.device_id) == (
        "paid",
        200,
        200,
        device.device_id,
    )


def test_extra_keys_are_kept_as_sent_and_exported(cloud: Cloud) -> None:
    device = cloud.new_device()
    order_no = device.order_no(3)
    body = order_document(device.device_id, order_no) | {"x_note": {"b": [1, "二"], "a": None}}
    assert device.http.put(f"/v1/orders/{order_no}", json=body).status_code == 201
    assert device.http.get(f"/v1/orders/{order_no}").json() == body
    exported = [doc for doc in admin.export_orders(cloud.db) if doc["order_no"] == order_no]
    assert exported == [body]
