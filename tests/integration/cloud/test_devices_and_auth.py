"""Health, device registration with one-time codes, and bearer-token auth."""

from __future__ import annotations

import base64

import sqlalchemy as sa

from deploy.cloud import admin
from deploy.cloud.schema import devices
from tests.support.cloud_api import Cloud
from tests.support.order_documents import order_document


def test_health_names_the_database_without_a_token(cloud: Cloud) -> None:
    answer = cloud.client().get("/v1/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": cloud.kind, "version": "1"}


def test_register_gives_a_device_id_of_the_codes_store_and_a_long_token(cloud: Cloud) -> None:
    store = cloud.new_store()
    code = admin.create_code(cloud.db, store)
    assert len(code) == 10
    answer = cloud.client().post(
        "/v1/devices/register", json={"code": code.lower(), "device_name": "till 1"}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["store_id"] == store
    assert body["device_id"] == f"{store}T001"
    assert len(body["token"]) >= 43  # 32 random bytes, urlsafe base64
    assert len(base64.b64decode(body["gallery_key"])) == 32
    with cloud.db.read() as conn:
        stored = conn.execute(sa.select(devices.c.token_sha256)).scalars().all()
    assert body["token"] not in stored  # only its hash is kept
    second = cloud.register(store)
    assert second.device_id == f"{store}T002"


def test_a_used_code_and_an_unknown_code_get_the_same_answer(cloud: Cloud) -> None:
    code = admin.create_code(cloud.db, cloud.new_store())
    client = cloud.client()
    assert client.post("/v1/devices/register", json={"code": code}).status_code == 200
    again = client.post("/v1/devices/register", json={"code": code})
    unknown = client.post("/v1/devices/register", json={"code": "NOPE234567"})
    assert again.status_code == unknown.status_code == 403
    assert again.json() == unknown.json()
    assert again.json()["error"] == "code_invalid"


def test_no_or_wrong_token_is_401_with_a_bearer_challenge(cloud: Cloud) -> None:
    for client in (cloud.client(), cloud.client("not-a-token")):
        answer = client.get("/v1/catalog")
        assert answer.status_code == 401
        assert answer.json()["error"] == "unauthorized"
        assert answer.headers["www-authenticate"] == "Bearer"
    basic = cloud.client().get("/v1/config", headers={"Authorization": "Basic YTpi"})
    assert basic.status_code == 401


def test_another_devices_order_number_is_403(cloud: Cloud) -> None:
    store = cloud.new_store()
    mine, other = cloud.new_device(store), cloud.new_device(store)
    order_no = other.order_no(1)
    # Someone else's number, with my device id in the body, and the reverse.
    body = order_document(mine.device_id, order_no)
    answer = mine.http.put(f"/v1/orders/{order_no}", json=body)
    assert answer.status_code == 403
    assert answer.json()["error"] == "forbidden"
    body = order_document(other.device_id, mine.order_no(1))
    assert mine.http.put(f"/v1/orders/{mine.order_no(1)}", json=body).status_code == 403
    # Path and body disagree.
    body = order_document(mine.device_id, mine.order_no(2))
    assert mine.http.put(f"/v1/orders/{mine.order_no(3)}", json=body).status_code == 403


def test_another_stores_order_is_403_but_the_same_stores_is_visible(cloud: Cloud) -> None:
    store = cloud.new_store()
    seller, colleague = cloud.new_device(store), cloud.new_device(store)
    stranger = cloud.new_device()
    order_no = seller.order_no(1)
    body = order_document(seller.device_id, order_no)
    assert seller.http.put(f"/v1/orders/{order_no}", json=body).status_code == 201
    assert colleague.http.get(f"/v1/orders/{order_no}").json() == body
    answer = stranger.http.get(f"/v1/orders/{order_no}")
    assert answer.status_code == 403
    assert answer.json()["error"] == "forbidden"
    assert stranger.http.get("/v1/orders/NOPE-20261122-0001").status_code == 404
