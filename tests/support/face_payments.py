"""Members with a face on the cloud, and face payments carrying their evidence (the
probe template and a liveness score), for the cloud and attack tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from deploy.cloud import admin
from deploy.cloud.database import Database
from tests.support.cloud_api import DeviceClient
from tests.support.cloud_keys import VAULT
from tests.support.enrollments import MODEL, template, vector

LIVE = 0.95


def member_with_face(
    db: Database, store_id: str, seed: int, *, balance_cents: int, phone: str | None = None
) -> str:
    """A member with the face ``vector(seed)`` and a balance; the member id."""
    member_id = admin.create_member(
        db, store_id, display_name="Face**", phone=phone, balance_cents=balance_cents, vault=VAULT
    )
    admin.add_member_template(
        db, store_id, member_id, MODEL, vector(seed).astype("<f4").tobytes(), vault=VAULT
    )
    return member_id


def face_pay_body(
    device: DeviceClient,
    member_id: str,
    amount: int,
    payment_id: str,
    *,
    face: np.ndarray | None,
    liveness: float = LIVE,
    order_seq: int = 1,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "payment_id": payment_id,
        "order_no": device.order_no(order_seq),
        "member_id": member_id,
        "amount_cents": amount,
    }
    if face is not None:
        body |= {"probe": template(face), "liveness": liveness}
    return body


def face_pay(
    device: DeviceClient,
    member_id: str,
    amount: int,
    payment_id: str,
    *,
    face: np.ndarray | None,
    liveness: float = LIVE,
    order_seq: int = 1,
) -> Any:
    body = face_pay_body(
        device, member_id, amount, payment_id, face=face, liveness=liveness, order_seq=order_seq
    )
    return device.http.post("/v1/payments/face", json=body)
