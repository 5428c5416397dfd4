"""The attack suite, face pay: a device holding a store's token tries to move money
without the member's face, past the limits, or with made-up orders, against the real
server over HTTP on SQLite and PostgreSQL. Every attempt is refused with a reason code,
and the balance is neither changed nor revealed before the face is verified."""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa

from deploy.cloud import admin
from deploy.cloud.schema import face_payments, members, orders
from tests.support.cloud_api import Cloud, DeviceClient
from tests.support.enrollments import vector
from tests.support.face_payments import face_pay, face_pay_body, member_with_face
from tests.support.order_documents import order_document


def balance_of(cloud: Cloud, member_id: str) -> int:
    with cloud.db.read() as conn:
        return int(
            conn.execute(
                sa.select(members.c.balance_cents).where(members.c.member_id == member_id)
            ).scalar_one()
        )


def refused(answer: object, reason: str) -> None:
    body = answer.json()  # type: ignore[attr-defined]
    assert answer.status_code == 200, body  # type: ignore[attr-defined]
    assert (body["state"], body["reason"]) == ("FAIL", reason), body


def victim(cloud: Cloud, balance: int = 19_999) -> tuple[str, DeviceClient, str]:
    store = cloud.new_store()
    member_id = member_with_face(cloud.db, store, 101, balance_cents=balance)
    return store, cloud.new_device(store), member_id


def test_a_member_id_alone_pays_nothing(cloud: Cloud) -> None:
    _, attacker, member_id = victim(cloud)
    answer = face_pay(attacker, member_id, 19_999, str(uuid.uuid4()), face=None)
    refused(answer, "no_face_evidence")
    assert answer.json()["balance_cents"] == 0  # not even the balance is told
    assert balance_of(cloud, member_id) == 19_999


def test_someone_elses_face_pays_nothing(cloud: Cloud) -> None:
    _, attacker, member_id = victim(cloud)
    answer = face_pay(attacker, member_id, 5_000, str(uuid.uuid4()), face=vector(202))
    refused(answer, "face_mismatch")
    assert answer.json()["balance_cents"] == 0
    assert balance_of(cloud, member_id) == 19_999
    with cloud.db.read() as conn:
        row = conn.execute(
            sa.select(face_payments.c.score, face_payments.c.reason).where(
                face_payments.c.member_id == member_id
            )
        ).one()
    assert row.reason == "face_mismatch" and row.score < 0.5  # the attempt is on record


def test_a_photo_that_fails_liveness_pays_nothing(cloud: Cloud) -> None:
    _, attacker, member_id = victim(cloud)
    answer = face_pay(attacker, member_id, 100, str(uuid.uuid4()), face=vector(101), liveness=0.3)
    refused(answer, "liveness_low")
    assert balance_of(cloud, member_id) == 19_999


def test_repeated_wrong_faces_lock_the_member_for_a_while(cloud: Cloud) -> None:
    _, attacker, member_id = victim(cloud)
    for n in range(5):
        refused(
            face_pay(attacker, member_id, 100, str(uuid.uuid4()), face=vector(300 + n)),
            "face_mismatch",
        )
    # Now even a lookalike that happens to match is not a free retry.
    refused(face_pay(attacker, member_id, 100, str(uuid.uuid4()), face=vector(101)),
            "too_many_attempts")  # fmt: skip
    assert balance_of(cloud, member_id) == 19_999


def test_the_stores_limits_hold_whatever_the_device_says(cloud: Cloud) -> None:
    store, till, member_id = victim(cloud, balance=1_000_000)
    admin.set_config(
        cloud.db,
        store,
        face_pay_max_cents=5_000,
        face_pay_member_daily_cents=9_000,
        face_pay_device_daily_cents=1_000_000,
        face_pay_velocity_count=10,
    )
    face = vector(101)
    refused(face_pay(till, member_id, 5_001, str(uuid.uuid4()), face=face), "over_payment_cap")
    assert face_pay(till, member_id, 5_000, str(uuid.uuid4()), face=face).json()["state"] == (
        "SUCCESS"
    )
    refused(face_pay(till, member_id, 4_001, str(uuid.uuid4()), face=face), "over_member_daily_cap")
    assert balance_of(cloud, member_id) == 995_000

    # Per device: another member on the same till.
    admin.set_config(cloud.db, store, face_pay_device_daily_cents=6_000)
    other = member_with_face(cloud.db, store, 102, balance_cents=10_000)
    refused(face_pay(till, other, 1_001, str(uuid.uuid4()), face=vector(102)),
            "over_device_daily_cap")  # fmt: skip


def test_velocity_limits_face_payments_in_a_short_window(cloud: Cloud) -> None:
    store, till, member_id = victim(cloud, balance=100_000)
    admin.set_config(cloud.db, store, face_pay_velocity_count=2)
    for _ in range(2):
        ok = face_pay(till, member_id, 100, str(uuid.uuid4()), face=vector(101)).json()
        assert ok["state"] == "SUCCESS"
    refused(face_pay(till, member_id, 100, str(uuid.uuid4()), face=vector(101)),
            "too_many_payments")  # fmt: skip


def test_a_made_up_order_number_is_refused(cloud: Cloud) -> None:
    _, attacker, member_id = victim(cloud)
    body = face_pay_body(attacker, member_id, 5_000, str(uuid.uuid4()), face=vector(101))
    body["order_no"] = f"{attacker.device_id}-nothing"
    answer = attacker.http.post("/v1/payments/face", json=body)
    assert answer.status_code == 422, answer.text
    assert balance_of(cloud, member_id) == 19_999


def test_an_order_the_payments_do_not_back_is_stored_flagged(cloud: Cloud) -> None:
    _, till, _member_id = victim(cloud)
    order_no = till.order_no(7)
    document = order_document(till.device_id, order_no)
    # Claimed paid by face for 10^11 cents with a negative total, no such face payment.
    document["totals"]["total_cents"] = -500
    document["payments"][0].update(method="face", amount_cents=10**11, state="succeeded")
    document["paid_cents"] = 10**11
    answer = till.http.put(f"/v1/orders/{order_no}", json=document)
    assert answer.status_code == 201, answer.text
    honest_no = till.order_no(8)
    honest = till.http.put(
        f"/v1/orders/{honest_no}", json=order_document(till.device_id, honest_no)
    )
    assert honest.status_code == 201
    with cloud.db.read() as conn:
        rows = {
            row.order_no: (row.flagged, json.loads(row.flags) if row.flags else [])
            for row in conn.execute(
                sa.select(orders.c.order_no, orders.c.flagged, orders.c.flags).where(
                    orders.c.order_no.in_([order_no, honest_no])
                )
            )
        }
    assert rows[order_no] == (
        True,
        ["face_payment_unverified", "negative_total", "payments_disagree"],
    )
    assert rows[honest_no] == (False, [])


def test_a_face_payment_the_cloud_made_backs_its_order(cloud: Cloud) -> None:
    _, till, member_id = victim(cloud)
    order_no = till.order_no(9)
    document = order_document(till.device_id, order_no)
    payment = document["payments"][0]
    paid = face_pay(till, member_id, payment["amount_cents"], payment["payment_id"],
                    face=vector(101), order_seq=9)  # fmt: skip
    assert paid.json()["state"] == "SUCCESS"
    payment.update(method="face", tendered_cents=None, change_cents=0)
    document["change_cents"] = 0
    assert till.http.put(f"/v1/orders/{order_no}", json=document).status_code == 201
    with cloud.db.read() as conn:
        flagged = conn.execute(
            sa.select(orders.c.flagged).where(orders.c.order_no == order_no)
        ).scalar_one()
    assert flagged is False
