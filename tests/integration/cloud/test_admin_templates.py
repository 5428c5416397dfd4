"""An operator gives a seeded member a face template: it reaches terminals as a member
change, normalised; bad templates, erased members and other stores' members are refused."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from deploy.cloud import admin
from deploy.cloud.face_templates import TemplateError
from deploy.cloud.stores import StoreError
from tests.integration.cloud.test_members import changes
from tests.support.cloud_api import Cloud

MODEL = "admin-seeded-v1"


def raw(seed: int, dim: int = 128) -> bytes:
    return np.random.default_rng(seed).standard_normal(dim).astype("<f4").tobytes()


def test_a_seeded_member_gets_a_template_that_terminals_pull(cloud: Cloud) -> None:
    store = cloud.new_store(seed=True)
    device = cloud.new_device(store)
    _, cursor = changes(device)
    zhang = admin.demo_member_id(store, "zhang")

    seq = admin.add_member_template(cloud.db, store, zhang, MODEL, raw(1))

    stream, next_cursor = changes(device, cursor)
    assert [c["member_id"] for c in stream] == [zhang] and next_cursor == seq
    change = stream[0]
    assert change["display_name"] == "Zhang**" and change["balance_cents"] == 20000
    assert [t["model"] for t in change["templates"]] == [MODEL]
    got = np.frombuffer(base64.b64decode(change["templates"][0]["vector"]), dtype="<f4")
    sent = np.frombuffer(raw(1), dtype="<f4")
    assert np.allclose(got, sent / np.linalg.norm(sent), atol=1e-6)

    admin.add_member_template(cloud.db, store, zhang, MODEL, raw(2))
    assert len(changes(device, next_cursor)[0][0]["templates"]) == 2


def test_bad_templates_and_strangers_are_refused(cloud: Cloud) -> None:
    store, other = cloud.new_store(seed=True), cloud.new_store(seed=True)
    zhang = admin.demo_member_id(store, "zhang")
    admin.add_member_template(cloud.db, store, zhang, MODEL, raw(3))
    with pytest.raises(TemplateError, match="zero"):
        admin.add_member_template(cloud.db, store, zhang, MODEL, bytes(512))
    with pytest.raises(StoreError, match="have 128 values; this one has 64"):
        admin.add_member_template(cloud.db, store, zhang, MODEL, raw(4, dim=64))
    with pytest.raises(StoreError, match="is not a member of store"):
        admin.add_member_template(cloud.db, other, zhang, MODEL, raw(5))
    with pytest.raises(StoreError, match="is not a member of store"):
        admin.add_member_template(cloud.db, store, "no-such-member", MODEL, raw(6))
    li = admin.demo_member_id(store, "li")
    assert cloud.new_device(store).http.delete(f"/v1/members/{li}").status_code == 204
    with pytest.raises(StoreError, match="was erased"):
        admin.add_member_template(cloud.db, store, li, MODEL, raw(7))
