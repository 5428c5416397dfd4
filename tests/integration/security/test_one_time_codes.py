"""Security review, issue 13: one-time codes over HTTP, on SQLite and PostgreSQL. The code
goes only to the phone the cloud holds for the member (the till gets an id, never the
code), the database keeps no code in the clear, and a flood of codes is refused with
429 and Retry-After, per member and per till."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from deploy.cloud import admin, one_time_codes
from deploy.cloud.schema import one_time_codes as codes_table
from tests.support.cloud_api import Cloud
from tests.support.cloud_keys import VAULT
from tests.support.privacy_requests import ask_code, member_with_phone, new_phone
from tests.support.sms_outbox import last_code, messages


def test_the_code_goes_to_the_members_phone_and_not_to_the_till(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    phone = new_phone()
    member = member_with_phone(cloud, store, phone=phone)

    answer = ask_code(device, member)

    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert set(body) == {"otp_id", "expires_at"}
    code = last_code(cloud.db, member)
    assert code not in answer.text
    [(recorded_phone, _text)] = messages(cloud.db, member)
    assert recorded_phone.endswith(phone[-4:])
    assert phone not in recorded_phone  # the outbox is not sealed: no full number in it
    with cloud.db.read() as conn:
        row = conn.execute(
            sa.select(codes_table).where(codes_table.c.otp_id == body["otp_id"])
        ).one()
    assert row.member_id == member and row.device_id == device.device_id
    assert row.expires_at == body["expires_at"]
    # Keyed: a copy of the database cannot try the 10^6 codes against a plain hash.
    assert code not in row.code_sha256
    assert row.code_sha256 not in {
        hashlib.sha256(text.encode()).hexdigest()
        for text in (code, body["otp_id"] + code, code + body["otp_id"])
    }


def test_a_member_without_a_phone_gets_no_code(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = admin.create_member(cloud.db, store, display_name="Card**", vault=VAULT)

    answer = ask_code(device, member)

    assert answer.status_code == 409
    assert answer.json()["error"] == "member_no_phone"
    assert messages(cloud.db, member) == []


def test_a_till_of_another_store_gets_no_code_for_the_member(cloud: Cloud) -> None:
    member = member_with_phone(cloud, cloud.new_store())
    stranger = cloud.new_device(cloud.new_store())

    answer = ask_code(stranger, member)

    assert answer.status_code == 403
    assert answer.json()["error"] == "forbidden"
    assert messages(cloud.db, member) == []


def test_an_unknown_purpose_is_refused(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)

    answer = ask_code(device, member, purpose="pay")

    assert answer.status_code == 422


def test_a_flood_of_codes_to_one_member_gets_429_with_retry_after(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)
    for _ in range(one_time_codes.PER_MEMBER):
        assert ask_code(device, member).status_code == 201

    refused = ask_code(device, member, purpose="add_template")
    from_another_till = ask_code(cloud.new_device(store), member)

    for answer in (refused, from_another_till):
        assert answer.status_code == 429, answer.text
        assert answer.json()["error"] == "rate_limited"
        retry = int(answer.headers["Retry-After"])
        assert 1 <= retry <= one_time_codes.WINDOW.total_seconds()
    assert len(messages(cloud.db, member)) == one_time_codes.PER_MEMBER


def test_a_flood_of_codes_from_one_till_gets_429(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    members = [member_with_phone(cloud, store) for _ in range(one_time_codes.PER_DEVICE + 1)]
    for member in members[:-1]:
        assert ask_code(device, member).status_code == 201

    refused = ask_code(device, members[-1])
    other_till = ask_code(cloud.new_device(store), members[-1])

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert other_till.status_code == 201  # the limit is the flooding till's, not the store's
