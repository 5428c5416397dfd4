"""The attack suite, grafting: a device holding a store's token tries to put its own face
on someone else's membership. An enrollment naming an existing member is refused; a
lookalike is answered with the member without its template; adding a face needs the
member's one-time code, and a wrong code counts against the tries."""

from __future__ import annotations

import uuid

import numpy as np

from tests.support.cloud_api import Cloud, DeviceClient
from tests.support.enrollments import enrollment, opened, template, vector
from tests.support.face_payments import face_pay
from tests.support.privacy_requests import code_for, member_with_phone, raw_template, wrong


def faces_of(device: DeviceClient, member_id: str) -> list[np.ndarray]:
    page = device.http.get("/v1/members", params={"limit": 1000}).json()
    change = [c for c in page["changes"] if c["member_id"] == member_id][-1]
    return [opened(device.gallery_key, member_id, t) for t in change["templates"]]


def add(device: DeviceClient, member_id: str, otp_id: str, code: str, face: np.ndarray) -> object:
    body = {"otp_id": otp_id, "code": code, "templates": [template(face)]}
    return device.http.post(f"/v1/members/{member_id}/templates", json=body)


def test_an_enrollment_cannot_graft_onto_an_existing_member(cloud: Cloud) -> None:
    store = cloud.new_store()
    victim = member_with_phone(cloud, store, face=True)
    attacker = cloud.new_device(store)
    graft = enrollment(attacker.device_id, [vector(900)], member_id=victim)
    answer = attacker.http.post("/v1/enrollments", json=graft)
    assert answer.status_code == 409 and answer.json()["error"] == "member_exists"
    assert len(faces_of(attacker, victim)) == 1
    # The attacker's face still pays nothing from the victim's balance.
    paid = face_pay(attacker, victim, 100, str(uuid.uuid4()), face=vector(900)).json()
    assert paid["state"] == "FAIL"


def test_adding_a_face_needs_the_members_code(cloud: Cloud) -> None:
    store = cloud.new_store()
    member = member_with_phone(cloud, store, face=True)
    till = cloud.new_device(store)
    without = till.http.post(
        f"/v1/members/{member}/templates",
        json={"otp_id": str(uuid.uuid4()), "code": "123456", "templates": [template(vector(1))]},
    )
    assert without.status_code == 403
    otp_id, code = code_for(cloud, till, member, "add_template")
    wrong_try = add(till, member, otp_id, wrong(code), vector(901))
    assert wrong_try.status_code == 403  # type: ignore[attr-defined]
    assert len(faces_of(till, member)) == 1
    # An erase code is not an add-template code.
    erase_id, erase_code = code_for(cloud, till, member, "erase")
    assert add(till, member, erase_id, erase_code, vector(901)).status_code == 403  # type: ignore[attr-defined]

    done = add(till, member, otp_id, code, vector(901))
    assert done.status_code == 201, done.text  # type: ignore[attr-defined]
    assert done.json() == {"member_id": member, "added": 1}  # type: ignore[attr-defined]
    assert len(faces_of(till, member)) == 2
    # Single use.
    assert add(till, member, otp_id, code, vector(902)).status_code == 403  # type: ignore[attr-defined]


def test_another_stores_device_cannot_add_a_face(cloud: Cloud) -> None:
    store = cloud.new_store()
    member = member_with_phone(cloud, store, face=True)
    otp_id, code = code_for(cloud, cloud.new_device(store), member, "add_template")
    stranger = cloud.new_device(cloud.new_store())
    assert add(stranger, member, otp_id, code, vector(903)).status_code == 403  # type: ignore[attr-defined]
    assert np.allclose(
        faces_of(cloud.new_device(store), member)[0],
        np.frombuffer(raw_template(len(member)), "<f4")
        / np.linalg.norm(np.frombuffer(raw_template(len(member)), "<f4")),
        atol=1e-6,
    )
