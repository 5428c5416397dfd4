"""An operator gives a seeded member a face template: it reaches terminals as a member
change, normalised; bad templates, erased members and other stores' members are refused."""

from __future__ import annotations

import numpy as np
import pytest

from deploy.cloud import admin
from deploy.cloud.erasure import erase_by_operator
from deploy.cloud.stores import StoreError
from tests.integration.cloud.test_members import changes
from tests.support.cloud_api import Cloud
from tests.support.cloud_keys import VAULT
from tests.support.enrollments import MODEL, opened


def raw(seed: int, dim: int = 128) -> bytes:
    return np.random.default_rng(seed).standard_normal(dim).astype("<f4").tobytes()


def test_a_seeded_member_gets_a_template_that_terminals_pull(cloud: Cloud) -> None:
    store = cloud.new_store(seed=True)
    device = cloud.new_device(store)
    _, cursor = changes(device)
    zhang = admin.demo_member_id(store, "zhang")

    seq = admin.add_member_template(cloud.db, store, zhang, MODEL, raw(1), vault=VAULT)

    stream, next_cursor = changes(device, cursor)
    assert [c["member_id"] for c in stream] == [zhang] and next_cursor == seq
    change = stream[0]
    assert change["display_name"] == "Zhang**" and change["balance_cents"] == 20000
    assert [t["model"] for t in change["templates"]] == [MODEL]
    got = opened(device.gallery_key, zhang, change["templates"][0])
    sent = np.frombuffer(raw(1), dtype="<f4")
    assert np.allclose(got, sent / np.linalg.norm(sent), atol=1e-6)

    admin.add_member_template(cloud.db, store, zhang, MODEL, raw(2), vault=VAULT)
    assert len(changes(device, next_cursor)[0][0]["templates"]) == 2


def test_bad_templates_and_strangers_are_refused(cloud: Cloud) -> None:
    store, other = cloud.new_store(seed=True), cloud.new_store(seed=True)
    zhang = admin.demo_member_id(store, "zhang")
    admin.add_member_template(cloud.db, store, zhang, MODEL, raw(3), vault=VAULT)
    with pytest.raises(StoreError, match="zero"):
        admin.add_member_template(cloud.db, store, zhang, MODEL, bytes(512), vault=VAULT)
    with pytest.raises(StoreError, match="have 128 values; this one has 64"):
        admin.add_member_template(cloud.db, store, zhang, MODEL, raw(4, dim=64), vault=VAULT)
    with pytest.raises(StoreError, match="is not a member of store"):
        admin.add_member_template(cloud.db, other, zhang, MODEL, raw(5), vault=VAULT)
    with pytest.raises(StoreError, match="is not a member of store"):
        admin.add_member_template(cloud.db, store, "no-such-member", MODEL, raw(6), vault=VAULT)
    li = admin.demo_member_id(store, "li")
    erase_by_operator(cloud.db, li, "test operator")
    with pytest.raises(StoreError, match="was erased"):
        admin.add_member_template(cloud.db, store, li, MODEL, raw(7), vault=VAULT)
