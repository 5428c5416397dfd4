"""Bad input is a 4xx in the one error shape, never a 500, and stores nothing."""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Iterator

import httpx
import sqlalchemy as sa

from deploy.cloud.schema import member_templates, members, orders
from tests.support.cloud_api import Cloud
from tests.support.order_documents import order_document

JSON = {"Content-Type": "application/json"}


def stored_counts(cloud: Cloud, store_id: str) -> tuple[int, int, int]:
    with cloud.db.read() as conn:
        return (
            conn.execute(
                sa.select(sa.func.count()).where(orders.c.store_id == store_id)
            ).scalar_one(),
            conn.execute(
                sa.select(sa.func.count()).where(members.c.store_id == store_id)
            ).scalar_one(),
            conn.execute(
                sa.select(sa.func.count()).where(member_templates.c.store_id == store_id)
            ).scalar_one(),
        )


def assert_error(answer: httpx.Response, status: int | tuple[int, ...]) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert answer.status_code in statuses, answer.text
    body = answer.json()
    assert set(body) == {"error", "message"}
    assert "Traceback" not in body["message"]


def test_malformed_oversized_and_mistyped_orders_are_refused(cloud: Cloud) -> None:
    device = cloud.new_device()
    order_no = device.order_no(1)
    url = f"/v1/orders/{order_no}"
    good = order_document(device.device_id, order_no)

    answer = device.http.put(url, content=b'{"version": 1,', headers=JSON)
    assert_error(answer, 400)
    assert answer.json()["error"] == "malformed_json"

    big = good | {"padding": "x" * (2 * 1024 * 1024)}
    assert_error(device.http.put(url, json=big), 413)

    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b" " * 64 * 1024  # no Content-Length: counted as it arrives

    assert_error(device.http.put(url, content=chunks(), headers=JSON), 413)

    wrong = good | {"paid_cents": "200", "version": True, "totals": {"total_cents": 1.5}}
    answer = device.http.put(url, json=wrong)
    assert_error(answer, 422)
    message = answer.json()["message"]
    assert "paid_cents" in message and "version" in message and "totals" in message

    for huge in (10**30, -(10**30)):
        assert_error(device.http.put(url, json=good | {"paid_cents": huge}), 422)
    giant = json.dumps(good).replace('"paid_cents": 200', '"paid_cents": ' + "9" * 5000)
    assert_error(device.http.put(url, content=giant, headers=JSON), (400, 422))
    nan = json.dumps(good).replace('"cancel_reason": null', '"cancel_reason": NaN')
    assert_error(device.http.put(url, content=nan, headers=JSON), (400, 422))
    extra_nan = json.dumps(good)[:-1] + ', "x": Infinity}'
    assert_error(device.http.put(url, content=extra_nan, headers=JSON), 400)
    nul = good | {"cancel_reason": "a\x00b"}
    assert_error(device.http.put(url, json=nul), 422)
    surrogate = json.dumps(good).replace('"cancel_reason": null', '"cancel_reason": "\\ud800"')
    assert_error(device.http.put(url, content=surrogate, headers=JSON), 422)
    assert_error(device.http.put(url, json=[good]), 422)
    assert_error(device.http.put(url, content=b"", headers=JSON), (400, 422))
    bad_state = good | {"state": "stolen"}
    assert_error(device.http.put(url, json=bad_state), 422)
    bad_time = good | {"opened_at": "yesterday"}
    assert_error(device.http.put(url, json=bad_time), 422)
    assert stored_counts(cloud, device.store_id)[0] == 0
    assert device.http.put(url, json=good).status_code == 201


def test_nan_and_wrong_types_in_enrollments_store_nothing(cloud: Cloud) -> None:
    device = cloud.new_device()
    nan_vector = base64.b64encode(struct.pack("<4f", 1.0, float("nan"), 0.5, 0.5)).decode()
    body = {
        "enrollment_id": "00000000-0000-4000-8000-000000000001",
        "member_id": "00000000-0000-4000-8000-000000000002",
        "display_name": None,
        "phone_last4": "12345",
        "templates": [{"model": "m", "vector": nan_vector}],
        "consent": {
            "text_version": "1",
            "accepted_at": "2026-11-22T02:00:00+00:00",
            "terminal": device.device_id,
        },
    }
    answer = device.http.post("/v1/enrollments", json=body)
    assert_error(answer, 422)
    assert "phone_last4" in answer.json()["message"]
    assert_error(device.http.post("/v1/enrollments", json=body | {"phone_last4": "1234"}), 422)
    assert_error(device.http.post("/v1/enrollments", json=body | {"enrollment_id": 7}), 422)
    assert_error(device.http.post("/v1/enrollments", json=body | {"extra": 1}), 422)
    assert stored_counts(cloud, device.store_id) == (0, 0, 0)


def test_payments_refuse_bad_amounts_and_codes(cloud: Cloud) -> None:
    device = cloud.new_device()
    base = {
        "out_trade_no": "T1",
        "order_no": device.order_no(1),
        "auth_code": "134567890123456781",
        "amount_cents": 100,
    }
    for change in (
        {"amount_cents": 0},
        {"amount_cents": -5},
        {"amount_cents": 10**20},
        {"amount_cents": "100"},
        {"auth_code": "13456789012345678x"},
        {"out_trade_no": "a/b"},
    ):
        assert_error(device.http.post("/v1/payments/micropay", json=base | change), 422)
    face = {"payment_id": "p1", "order_no": device.order_no(1), "member_id": "m", "amount_cents": 0}
    assert_error(device.http.post("/v1/payments/face", json=face), 422)
    assert_error(device.http.post("/v1/devices/register", json={"code": 12}), 422)
    assert_error(device.http.post("/v1/devices/register", content=b"code=1"), 422)
    assert_error(device.http.get("/v1/nowhere"), 404)
    assert_error(device.http.delete("/v1/catalog"), 405)
