"""Resends racing each other (a terminal retrying while the first try is still in flight):
one wins, the rest are answered as repeats, nothing is stored or debited twice."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from deploy.cloud import admin
from tests.support.cloud_api import Cloud
from tests.support.enrollments import vector
from tests.support.face_payments import face_pay_body, member_with_face
from tests.support.order_documents import order_document

RACERS = 8


def race(make_call: Callable[[], httpx.Response]) -> list[httpx.Response]:
    with ThreadPoolExecutor(RACERS) as pool:
        return list(pool.map(lambda _: make_call(), range(RACERS)))


def test_racing_resends_of_an_order_store_it_once(cloud: Cloud) -> None:
    device = cloud.new_device()
    order_no = device.order_no(1)
    body = order_document(device.device_id, order_no)
    clients = [cloud.client(device.token) for _ in range(RACERS)]
    calls = iter(clients)
    answers = race(lambda: next(calls).put(f"/v1/orders/{order_no}", json=body))
    assert Counter(a.status_code for a in answers) == {201: 1, 200: RACERS - 1}
    assert len({a.json()["received_at"] for a in answers}) == 1


def test_racing_resends_of_a_face_payment_debit_once(cloud: Cloud) -> None:
    store = cloud.new_store()
    member_id = member_with_face(cloud.db, store, 7, balance_cents=10_000)
    device = cloud.new_device(store)
    body = face_pay_body(device, member_id, 1_000, str(uuid.uuid4()), face=vector(7))
    clients = iter([cloud.client(device.token) for _ in range(RACERS)])
    answers = race(lambda: next(clients).post("/v1/payments/face", json=body))
    assert {a.status_code for a in answers} == {200}
    assert {a.json()["balance_cents"] for a in answers} == {9_000}
    members = device.http.get("/v1/members").json()["changes"]
    assert [m["balance_cents"] for m in members] == [9_000]


def test_racing_registrations_with_one_code_make_one_device(cloud: Cloud) -> None:
    code = admin.create_code(cloud.db, cloud.new_store())
    clients = iter([cloud.client() for _ in range(RACERS)])
    answers = race(lambda: next(clients).post("/v1/devices/register", json={"code": code}))
    assert Counter(a.status_code for a in answers) == {200: 1, 403: RACERS - 1}


def test_the_token_is_checked_before_the_body(cloud: Cloud) -> None:
    answer = cloud.client().post("/v1/enrollments", json={"enrollment_id": 1})
    assert answer.status_code == 401
