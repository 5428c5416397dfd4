"""A customer's privacy requests at a till, as the tests make them over HTTP: a member with
a phone, the one-time code texted to it, erasure and consent withdrawal; and what the
cloud's database then holds for the member."""

from __future__ import annotations

import random
from typing import Any

import httpx
import numpy as np
import sqlalchemy as sa

from deploy.cloud import admin
from deploy.cloud.database import Database
from deploy.cloud.schema import erasures, member_keys, member_templates, members, one_time_codes
from tests.support.cloud_api import Cloud, DeviceClient
from tests.support.cloud_keys import VAULT
from tests.support.sms_outbox import last_code

MODEL = "sface_2021dec"
DIM = 128


def new_phone() -> str:
    return "139" + "".join(random.choices("0123456789", k=8))


def raw_template(seed: int) -> bytes:
    return np.random.default_rng(seed).standard_normal(DIM).astype("<f4").tobytes()


def member_with_phone(
    cloud: Cloud, store: str, *, phone: str | None = None, name: str = "Chen**", face: bool = False
) -> str:
    member_id = admin.create_member(
        cloud.db, store, display_name=name, phone=phone or new_phone(), vault=VAULT
    )
    if face:
        admin.add_member_template(
            cloud.db, store, member_id, MODEL, raw_template(len(member_id)), vault=VAULT
        )
    return member_id


def ask_code(device: DeviceClient, member_id: str, purpose: str = "erase") -> httpx.Response:
    return device.http.post(f"/v1/members/{member_id}/verifications", json={"purpose": purpose})


def code_for(
    cloud: Cloud, device: DeviceClient, member_id: str, purpose: str = "erase"
) -> tuple[str, str]:
    """(otp_id, code): asked for by the till, read off the member's phone."""
    answer = ask_code(device, member_id, purpose)
    assert answer.status_code == 201, answer.text
    return answer.json()["otp_id"], last_code(cloud.db, member_id)


def erase(
    device: DeviceClient, member_id: str, otp_id: str, code: str, **extra: Any
) -> httpx.Response:
    body = {"member_id": member_id, "otp_id": otp_id, "code": code,
            "requested_by": "customer at till", **extra}  # fmt: skip
    return device.http.post("/v1/erasure-requests", json=body)


def withdraw(
    device: DeviceClient, member_id: str, kind: str, otp_id: str, code: str
) -> httpx.Response:
    body = {"otp_id": otp_id, "code": code, "requested_by": "customer at till"}
    return device.http.post(f"/v1/members/{member_id}/consents/{kind}/withdraw", json=body)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def member_state(db: Database, member_id: str) -> dict[str, Any]:
    """What the cloud holds for the member: the row's flags, how many templates, codes
    and key rows, and the erasure audit rows."""
    with db.read() as conn:
        row = conn.execute(sa.select(members).where(members.c.member_id == member_id)).one()

        def count(table: sa.Table) -> int:
            query = sa.select(sa.func.count()).select_from(table)
            return int(conn.execute(query.where(table.c.member_id == member_id)).scalar_one())

        audit = [
            r._asdict()
            for r in conn.execute(sa.select(erasures).where(erasures.c.member_id == member_id))
        ]
        return {
            "deleted": bool(row.deleted),
            "face_enabled": bool(row.face_enabled),
            "personal_sealed": row.personal_sealed,
            "templates": count(member_templates),
            "keys": count(member_keys),
            "codes": count(one_time_codes),
            "erasures": audit,
        }
