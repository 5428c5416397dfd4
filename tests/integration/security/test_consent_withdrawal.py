"""Security review, issue 13: consents given at enrollment are recorded, and a customer
withdraws each on its own at a till, proved by the code texted to their phone. Face pay
withdrawn: the face goes (templates, face pay at every till), the membership stays.
Membership withdrawn: the member is erased. Over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from deploy.cloud.schema import consents
from tests.support.cloud_api import Cloud, DeviceClient
from tests.support.enrollments import enrollment, vector
from tests.support.privacy_requests import (
    code_for,
    member_state,
    new_phone,
    withdraw,
    wrong,
)


def enrolled(cloud: Cloud, device: DeviceClient) -> str:
    before = datetime.now(UTC)
    phone = new_phone()
    body = enrollment(device.device_id, [vector(7)], phone=phone, phone_last4=phone[-4:])
    answer = device.http.post("/v1/enrollments", json=body)
    assert answer.status_code == 201, answer.text
    member: str = answer.json()["member_id"]
    rows = consents_of(cloud, member)
    assert {row.kind for row in rows} == {"membership", "face_pay"}
    assert all(before <= datetime.fromisoformat(row.received_at) for row in rows)
    return member


def consents_of(cloud: Cloud, member_id: str) -> list[sa.Row[tuple[object, ...]]]:
    with cloud.db.read() as conn:
        return list(conn.execute(sa.select(consents).where(consents.c.member_id == member_id)))


def pulled(device: DeviceClient, member_id: str) -> dict[str, object]:
    answer = device.http.get("/v1/members", params={"cursor": 0})
    assert answer.status_code == 200, answer.text
    found: dict[str, object] = [c for c in answer.json()["changes"] if c["member_id"] == member_id][
        -1
    ]
    return found


def test_withdrawing_face_pay_keeps_the_member_and_removes_the_face(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = enrolled(cloud, device)
    assert pulled(device, member)["templates"]
    otp_id, code = code_for(cloud, device, member)

    answer = withdraw(device, member, "face_pay", otp_id, code)

    assert answer.status_code == 200, answer.text
    assert answer.json()["erased"] is False and answer.json()["repeat"] is False
    state = member_state(cloud.db, member)
    assert not state["deleted"] and not state["face_enabled"]
    assert state["templates"] == 0 and state["keys"] == 1
    assert state["personal_sealed"] is not None and state["erasures"] == []
    change = pulled(cloud.new_device(store), member)
    assert change["type"] == "upsert" and change["templates"] == []
    by_kind = {row.kind: row for row in consents_of(cloud, member)}
    assert by_kind["face_pay"].withdrawn_at == answer.json()["withdrawn_at"]
    assert by_kind["face_pay"].withdrawn_via == f"device:{device.device_id}"
    assert by_kind["membership"].withdrawn_at is None


def test_withdrawing_membership_erases_the_member(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = enrolled(cloud, device)
    otp_id, code = code_for(cloud, device, member)

    answer = withdraw(device, member, "membership", otp_id, code)

    assert answer.status_code == 200, answer.text
    assert answer.json()["erased"] is True
    state = member_state(cloud.db, member)
    assert state["deleted"] and (state["templates"], state["keys"]) == (0, 0)
    [audit] = state["erasures"]
    assert (audit["via"], audit["proof"]) == ("device", "otp")
    assert all(row.withdrawn_at is not None for row in consents_of(cloud, member))
    assert pulled(device, member)["type"] == "delete"


def test_a_withdrawal_needs_the_members_code(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = enrolled(cloud, device)
    otp_id, code = code_for(cloud, device, member)

    wrong_code = withdraw(device, member, "face_pay", otp_id, wrong(code))
    no_code = device.http.post(
        f"/v1/members/{member}/consents/face_pay/withdraw", json={"requested_by": "till"}
    )
    other_store = withdraw(cloud.new_device(cloud.new_store()), member, "face_pay", otp_id, code)
    unknown_kind = withdraw(device, member, "marketing", otp_id, code)

    assert (wrong_code.status_code, wrong_code.json()["error"]) == (403, "otp_wrong")
    assert no_code.status_code == 422
    assert (other_store.status_code, other_store.json()["error"]) == (403, "forbidden")
    assert unknown_kind.status_code == 422
    state = member_state(cloud.db, member)
    assert state["face_enabled"] and state["templates"] == 1
    assert all(row.withdrawn_at is None for row in consents_of(cloud, member))


def test_a_second_face_pay_withdrawal_is_a_repeat(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = enrolled(cloud, device)
    first = withdraw(device, member, "face_pay", *code_for(cloud, device, member))

    again = withdraw(device, member, "face_pay", *code_for(cloud, device, member))

    assert first.json()["repeat"] is False
    assert again.status_code == 200 and again.json()["repeat"] is True


def test_enrollment_refuses_an_unknown_consent_version(cloud: Cloud) -> None:
    device = cloud.new_device()
    body = enrollment(device.device_id, [vector(8)])
    body["consents"][1]["text_version"] = "1999-01-v0"

    answer = device.http.post("/v1/enrollments", json=body)

    assert answer.status_code == 422
    assert answer.json()["error"] == "consent_unknown_version"
    assert consents_of(cloud, body["member_id"]) == []


def test_enrollment_refuses_a_consent_dated_in_the_future(cloud: Cloud) -> None:
    device = cloud.new_device()
    body = enrollment(device.device_id, [vector(9)])
    body["consents"][0]["accepted_at"] = "2099-01-01T00:00:00+00:00"

    answer = device.http.post("/v1/enrollments", json=body)

    assert answer.status_code == 422
    assert answer.json()["error"] == "consent_in_future"
    assert consents_of(cloud, body["member_id"]) == []
