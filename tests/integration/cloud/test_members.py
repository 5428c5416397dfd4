"""Enrollments and the member change stream: sealed templates, a returning face answered
with its canonical member and never grafted, lengths from the manifest."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa

from deploy.cloud import admin
from deploy.cloud.schema import member_templates, members
from terminal.storage.template_cipher import TemplateKeyError
from tests.support.cloud_api import Cloud, DeviceClient
from tests.support.cloud_keys import VAULT
from tests.support.enrollments import DIM, b64, enrollment, opened, vector


def changes(device: DeviceClient, cursor: int = 0) -> tuple[list[dict[str, Any]], int]:
    page = device.http.get("/v1/members", params={"cursor": cursor, "limit": 1000}).json()
    return page["changes"], page["next_cursor"]


def test_enrollment_appears_in_the_stream_sealed_for_the_store(cloud: Cloud) -> None:
    device = cloud.new_device()
    body = enrollment(device.device_id, [vector(1)])
    answer = device.http.post("/v1/enrollments", json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json() == {
        "enrollment_id": body["enrollment_id"],
        "member_id": body["member_id"],
        "merged": False,
    }
    repeat = device.http.post("/v1/enrollments", json=body)
    assert repeat.status_code == 200 and repeat.json() == answer.json()

    stream, cursor = changes(device)
    assert len(stream) == 1
    change = stream[0]
    assert change["type"] == "upsert" and change["member_id"] == body["member_id"]
    assert change["display_name"] == "Zhang**" and change["phone_last4"] == "1234"
    assert (change["points"], change["balance_cents"], change["seq"]) == (0, 0, cursor)
    (sealed,) = change["templates"]
    assert set(sealed) == {"model", "sealed"}  # no readable vector on the wire
    sent = vector(1)
    got = opened(device.gallery_key, body["member_id"], sealed)
    assert np.allclose(got, sent / np.linalg.norm(sent), atol=1e-6)  # stored normalised
    # Another store's key, or the template moved to another member, opens nothing.
    with pytest.raises(TemplateKeyError):
        opened(cloud.new_device().gallery_key, body["member_id"], sealed)
    with pytest.raises(TemplateKeyError):
        opened(device.gallery_key, str(uuid.uuid4()), sealed)
    assert changes(device, cursor) == ([], cursor)


def test_the_stream_carries_only_what_offline_payment_needs(cloud: Cloud) -> None:
    store = cloud.new_store()
    rich = admin.create_member(cloud.db, store, phone="13912345678", balance_cents=999_999,
                               vault=VAULT)  # fmt: skip
    device = cloud.new_device(store)
    (change,) = changes(device)[0]
    assert change["member_id"] == rich and change["phone_last4"] == "5678"
    assert change["balance_cents"] == 20_000  # the offline daily cap, not the balance
    assert "13912345678" not in str(change)


def test_a_near_duplicate_face_is_answered_with_its_member_and_not_added(cloud: Cloud) -> None:
    store = cloud.new_store()
    till_a, till_b = cloud.new_device(store), cloud.new_device(store)
    first = enrollment(till_a.device_id, [vector(5)])
    assert till_a.http.post("/v1/enrollments", json=first).json()["merged"] is False
    stranger = enrollment(till_b.device_id, [vector(6)])
    assert till_b.http.post("/v1/enrollments", json=stranger).json()["merged"] is False
    _, cursor = changes(till_a)

    again = enrollment(till_b.device_id, [vector(5, noise=0.2)], display_name=None)
    answer = till_b.http.post("/v1/enrollments", json=again)
    assert answer.status_code == 201
    assert answer.json() == {
        "enrollment_id": again["enrollment_id"],
        "member_id": first["member_id"],
        "merged": True,
    }
    with cloud.db.read() as conn:
        made = conn.execute(
            sa.select(members.c.member_id).where(members.c.member_id == again["member_id"])
        ).first()
        owners = list(
            conn.execute(
                sa.select(member_templates.c.member_id).where(member_templates.c.store_id == store)
            ).scalars()
        )
    assert made is None
    # The returning face's template was not grafted onto the member it resembles.
    assert sorted(owners) == sorted([first["member_id"], stranger["member_id"]])
    assert changes(till_a, cursor) == ([], cursor)

    # Another store's identical face is another store's member.
    elsewhere = cloud.new_device()
    other = enrollment(elsewhere.device_id, [vector(5)])
    assert elsewhere.http.post("/v1/enrollments", json=other).json()["merged"] is False


def test_an_enrollment_naming_an_existing_member_is_refused(cloud: Cloud) -> None:
    store = cloud.new_store()
    victim_till, attacker = cloud.new_device(store), cloud.new_device(store)
    victim = enrollment(victim_till.device_id, [vector(21)])
    assert victim_till.http.post("/v1/enrollments", json=victim).status_code == 201
    graft = enrollment(attacker.device_id, [vector(22)], member_id=victim["member_id"])
    answer = attacker.http.post("/v1/enrollments", json=graft)
    assert answer.status_code == 409 and answer.json()["error"] == "member_exists"
    (change,) = changes(attacker)[0]
    assert len(change["templates"]) == 1
    got = opened(attacker.gallery_key, victim["member_id"], change["templates"][0])
    assert float(got @ (vector(21) / np.linalg.norm(vector(21)))) > 0.999


def test_devices_cannot_erase_members(cloud: Cloud) -> None:
    device = cloud.new_device()
    body = enrollment(device.device_id, [vector(11)])
    assert device.http.post("/v1/enrollments", json=body).status_code == 201
    assert device.http.delete(f"/v1/members/{body['member_id']}").status_code in (404, 405)
    assert changes(device)[0][0]["type"] == "upsert"


def test_bad_templates_are_422_and_store_nothing(cloud: Cloud) -> None:
    device = cloud.new_device()
    ok = enrollment(device.device_id, [vector(3)])
    assert device.http.post("/v1/enrollments", json=ok).is_success
    nan = vector(4)
    nan[7] = np.nan
    inf = vector(4)
    inf[0] = np.inf
    cases = {
        "nan": [b64(nan)],
        "inf": [b64(inf)],
        "zero": [b64(np.zeros(DIM, dtype=np.float32))],
        "short": [b64(vector(4)[:64])],
        "ragged": [b64(vector(4)), b64(vector(5)[:100])],
        "not base64": ["%%%%"],
        "not float32": [base64.b64encode(b"abc").decode() + "="],
    }
    for name, vectors in cases.items():
        body = enrollment(device.device_id, [])
        body["templates"] = [{"model": "sface_2021dec", "vector": v} for v in vectors]
        answer = device.http.post("/v1/enrollments", json=body)
        assert answer.status_code == 422, (name, answer.text)
        assert answer.json()["error"] == "invalid"
    unknown_model = enrollment(device.device_id, [vector(4)], model="made-up-model")
    assert device.http.post("/v1/enrollments", json=unknown_model).status_code == 422
    no_templates = enrollment(device.device_id, [])
    assert device.http.post("/v1/enrollments", json=no_templates).status_code == 422
    other_terminal = enrollment(device.device_id, [vector(4)])
    other_terminal["consents"][0]["terminal"] = "ELSEWHERE1"
    assert device.http.post("/v1/enrollments", json=other_terminal).status_code == 403
    assert len(changes(device)[0]) == 1


def test_one_store_cannot_fix_a_models_length_for_others(cloud: Cloud) -> None:
    """The length comes from the manifest, not from the first template to arrive."""
    first, second = cloud.new_device(), cloud.new_device()
    odd = enrollment(first.device_id, [])
    odd["templates"] = [{"model": "sface_2021dec", "vector": b64(vector(31)[:96])}]
    assert first.http.post("/v1/enrollments", json=odd).status_code == 422
    good = enrollment(second.device_id, [vector(32)])
    assert second.http.post("/v1/enrollments", json=good).status_code == 201


def test_consents_must_be_both_kinds_and_registered(cloud: Cloud) -> None:
    device = cloud.new_device()
    only_one = enrollment(device.device_id, [vector(41)])
    only_one["consents"] = [only_one["consents"][0], only_one["consents"][0]]
    assert device.http.post("/v1/enrollments", json=only_one).status_code == 422
    made_up = enrollment(device.device_id, [vector(42)])
    made_up["consents"][1]["text_version"] = "2099-made-up"
    answer = device.http.post("/v1/enrollments", json=made_up)
    assert answer.status_code == 422 and answer.json()["error"] == "consent_unknown_version"
    assert changes(device) == ([], 0)
