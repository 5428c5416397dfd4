"""Enrollments, the member change stream, merging a returning face, and erasure."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import numpy as np
import sqlalchemy as sa

from deploy.cloud.schema import enrollments, member_templates, members
from tests.support.cloud_api import Cloud, DeviceClient

DIM = 128


def vector(seed: int, noise: float = 0.0, noise_seed: int = 99) -> np.ndarray:
    base = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    if noise:
        base += noise * np.random.default_rng(noise_seed).standard_normal(DIM).astype(np.float32)
    return base


def b64(values: np.ndarray) -> str:
    return base64.b64encode(values.astype("<f4").tobytes()).decode()


def enrollment(
    device: DeviceClient, vectors: list[np.ndarray], model: str = "arcface-r50", **extra: Any
) -> dict[str, Any]:
    return {
        "enrollment_id": str(uuid.uuid4()),
        "member_id": str(uuid.uuid4()),
        "display_name": "Zhang Wei",
        "phone_last4": "1234",
        "templates": [{"model": model, "vector": b64(v)} for v in vectors],
        "consent": {
            "text_version": "2026-01",
            "accepted_at": "2026-11-22T02:00:00+00:00",
            "terminal": device.device_id,
        },
        **extra,
    }


def changes(device: DeviceClient, cursor: int = 0) -> tuple[list[dict[str, Any]], int]:
    page = device.http.get("/v1/members", params={"cursor": cursor, "limit": 1000}).json()
    return page["changes"], page["next_cursor"]


def test_enrollment_appears_in_the_stream_with_a_masked_name(cloud: Cloud) -> None:
    device = cloud.new_device()
    body = enrollment(device, [vector(1)])
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
    sent = vector(1)
    got = np.frombuffer(base64.b64decode(change["templates"][0]["vector"]), dtype="<f4")
    assert change["templates"][0]["model"] == "arcface-r50"
    assert np.allclose(got, sent / np.linalg.norm(sent), atol=1e-6)  # stored normalised
    assert changes(device, cursor) == ([], cursor)


def test_a_near_duplicate_face_merges_into_the_existing_member(cloud: Cloud) -> None:
    store = cloud.new_store()
    till_a, till_b = cloud.new_device(store), cloud.new_device(store)
    first = enrollment(till_a, [vector(5)])
    assert till_a.http.post("/v1/enrollments", json=first).json()["merged"] is False
    stranger = enrollment(till_b, [vector(6)])
    assert till_b.http.post("/v1/enrollments", json=stranger).json()["merged"] is False

    again = enrollment(till_b, [vector(5, noise=0.2)], display_name=None)
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
        counts = sorted(owners.count(m) for m in (first["member_id"], stranger["member_id"]))
    assert made is None and counts == [1, 2]
    latest = changes(till_a)[0][-1]
    assert latest["member_id"] == first["member_id"] and len(latest["templates"]) == 2

    # Another store's identical face is another store's member.
    elsewhere = cloud.new_device()
    other = enrollment(elsewhere, [vector(5)])
    assert elsewhere.http.post("/v1/enrollments", json=other).json()["merged"] is False


def test_erasure_leaves_only_a_delete_change(cloud: Cloud) -> None:
    device = cloud.new_device()
    body = enrollment(device, [vector(8), vector(8, noise=0.1)])
    member_id = body["member_id"]
    assert device.http.post("/v1/enrollments", json=body).status_code == 201
    _, cursor = changes(device)

    assert device.http.delete(f"/v1/members/{member_id}").status_code == 204
    assert device.http.delete(f"/v1/members/{member_id}").status_code == 204  # idempotent
    stream, _ = changes(device, cursor)
    assert stream == [
        {
            "seq": cursor + 1,
            "type": "delete",
            "member_id": member_id,
            "display_name": None,
            "phone_last4": None,
            "points": 0,
            "balance_cents": 0,
            "templates": [],
        }
    ]
    assert [c["type"] for c in changes(device)[0]] == ["delete"]  # the upsert is gone
    with cloud.db.read() as conn:
        templates = conn.execute(
            sa.select(sa.func.count()).where(member_templates.c.member_id == member_id)
        ).scalar_one()
        row = conn.execute(sa.select(members).where(members.c.member_id == member_id)).one()
        kept = conn.execute(
            sa.select(enrollments.c.member_id).where(
                enrollments.c.enrollment_id == body["enrollment_id"]
            )
        ).scalar_one()
    assert templates == 0
    assert (row.display_name, row.phone_last4, row.deleted) == (None, None, True)
    assert kept == member_id

    # A late resend of the same enrollment does not bring the member back.
    resend = device.http.post("/v1/enrollments", json=body)
    assert resend.status_code == 200
    assert changes(device, cursor + 1) == ([], cursor + 1)
    same_id = enrollment(device, [vector(8)], member_id=member_id)
    assert device.http.post("/v1/enrollments", json=same_id).status_code == 409


def test_members_of_another_store_cannot_be_erased(cloud: Cloud) -> None:
    owner, stranger = cloud.new_device(), cloud.new_device()
    body = enrollment(owner, [vector(11)])
    assert owner.http.post("/v1/enrollments", json=body).status_code == 201
    assert stranger.http.delete(f"/v1/members/{body['member_id']}").status_code == 403
    assert stranger.http.delete(f"/v1/members/{uuid.uuid4()}").status_code == 404
    assert changes(stranger) == ([], 0)


def test_bad_templates_are_422_and_store_nothing(cloud: Cloud) -> None:
    device = cloud.new_device()
    assert device.http.post("/v1/enrollments", json=enrollment(device, [vector(3)])).is_success
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
        body = enrollment(device, [])
        body["templates"] = [{"model": "arcface-r50", "vector": v} for v in vectors]
        answer = device.http.post("/v1/enrollments", json=body)
        assert answer.status_code == 422, (name, answer.text)
        assert answer.json()["error"] == "invalid"
    no_templates = enrollment(device, [])
    assert device.http.post("/v1/enrollments", json=no_templates).status_code == 422
    other_terminal = enrollment(device, [vector(4)])
    other_terminal["consent"]["terminal"] = "ELSEWHERE1"
    assert device.http.post("/v1/enrollments", json=other_terminal).status_code == 403
    assert len(changes(device)[0]) == 1
