"""The attack suite, the gallery: a device token pulls the member stream. What it gets is
sealed templates it cannot open without the store's gallery key (handed out only at
registration), masked names, the phone's last 4, and balances capped at the offline
limit; never a raw vector, the full phone or the real balance."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from terminal.storage.template_cipher import TemplateKeyError
from tests.support.cloud_api import Cloud
from tests.support.enrollments import enrollment, opened, vector
from tests.support.face_payments import member_with_face


def test_a_token_alone_reads_no_face_and_no_full_phone(cloud: Cloud) -> None:
    store = cloud.new_store()
    rich = member_with_face(cloud.db, store, 501, balance_cents=1_999_999, phone="13600005555")
    till = cloud.new_device(store)
    till.http.post("/v1/enrollments", json=enrollment(till.device_id, [vector(502)]))
    page = till.http.get("/v1/members").json()
    text = str(page)
    assert "vector" not in text and "13600005555" not in text
    raw = vector(501).astype("<f4").tobytes()
    normalised = (vector(501) / np.linalg.norm(vector(501))).astype("<f4").tobytes()
    for sealed in (t["sealed"] for c in page["changes"] for t in c["templates"]):
        blob = base64.b64decode(sealed)
        assert raw[:16] not in blob and normalised[:16] not in blob
    [mine] = [c for c in page["changes"] if c["member_id"] == rich]
    assert mine["balance_cents"] == 20_000 and mine["phone_last4"] == "5555"
    # Another store's device (its own gallery key) opens none of this store's faces.
    thief_key = cloud.new_device(cloud.new_store()).gallery_key
    with pytest.raises(TemplateKeyError):
        opened(thief_key, rich, mine["templates"][0])
    # The store's own key does.
    assert float(opened(till.gallery_key, rich, mine["templates"][0]) @ normalised_vec(501)) > 0.999


def normalised_vec(seed: int) -> np.ndarray:
    return vector(seed) / np.linalg.norm(vector(seed))
