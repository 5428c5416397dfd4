"""Security review, issue 13: erasure is the member's request, proved by the code texted
to their phone, over HTTP on SQLite and PostgreSQL. Without the code, with a wrong one
(five tries, then the code is dead), an expired one, another member's, one for another
purpose or from a till of another store, nothing is erased; with it, the member is
erased once, and an audit row says who asked, through what and how it was proved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from deploy.cloud import consent_registry, erasure, one_time_codes
from deploy.cloud.cli import main
from deploy.cloud.consent_registry import ConsentText
from deploy.cloud.schema import consents
from deploy.cloud.schema import one_time_codes as codes_table
from tests.support.cloud_api import Cloud
from tests.support.privacy_requests import (
    ask_code,
    code_for,
    erase,
    member_state,
    member_with_phone,
    wrong,
)


def test_the_members_code_erases_the_member_and_the_audit_says_how(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store, face=True)
    otp_id, code = code_for(cloud, device, member)

    answer = erase(device, member, otp_id, code, face_verified=True)

    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["member_id"] == member and body["repeat"] is False
    assert body["proof"] == "face+otp"
    state = member_state(cloud.db, member)
    assert state["deleted"] and state["personal_sealed"] is None
    assert (state["templates"], state["keys"], state["codes"]) == (0, 0, 0)
    [audit] = state["erasures"]
    assert audit["erasure_id"] == body["erasure_id"]
    assert audit["requested_by"] == "customer at till"
    assert (audit["via"], audit["device_id"], audit["proof"]) == (
        "device",
        device.device_id,
        "face+otp",
    )
    assert audit["store_id"] == store


def test_the_tills_face_check_alone_is_recorded_as_code_only(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)
    otp_id, code = code_for(cloud, device, member)

    answer = erase(device, member, otp_id, code)

    assert answer.status_code == 201
    assert answer.json()["proof"] == "otp"


def test_a_repeat_answers_the_earlier_erasure(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)
    otp_id, code = code_for(cloud, device, member)
    first = erase(device, member, otp_id, code)

    again = erase(device, member, otp_id, code)

    assert again.status_code == 200, again.text
    assert again.json()["erasure_id"] == first.json()["erasure_id"]
    assert again.json()["repeat"] is True
    assert len(member_state(cloud.db, member)["erasures"]) == 1


def test_an_erasure_ends_the_members_consents(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)
    version = f"erase-test-{member[:8]}"
    with cloud.db.write() as conn:
        consent_registry.register(conn, ConsentText(version, "en", "membership", "Join?"))
        consent_registry.record_consent(
            conn, member_id=member, store_id=store, device_id=device.device_id,
            kind="membership", text_version=version, language="en",
            accepted_at=datetime.now(UTC).isoformat(),
        )  # fmt: skip
    otp_id, code = code_for(cloud, device, member)

    assert erase(device, member, otp_id, code).status_code == 201

    with cloud.db.read() as conn:
        row = conn.execute(sa.select(consents).where(consents.c.member_id == member)).one()
    assert row.withdrawn_at is not None
    assert row.withdrawn_via == f"device:{device.device_id}"


def test_no_erasure_without_a_code(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)

    answers = [
        device.http.post("/v1/erasure-requests", json=body)
        for body in (
            {"member_id": member, "requested_by": "customer at till"},
            {"member_id": member, "requested_by": "customer at till", "face_verified": True},
        )
    ]

    assert [a.status_code for a in answers] == [422, 422]
    assert not member_state(cloud.db, member)["deleted"]


def test_a_wrong_code_five_times_kills_the_code(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)
    otp_id, code = code_for(cloud, device, member)

    tries = [erase(device, member, otp_id, wrong(code)) for _ in range(one_time_codes.MAX_ATTEMPTS)]
    right_too_late = erase(device, member, otp_id, code)

    assert [t.status_code for t in tries] == [403] * one_time_codes.MAX_ATTEMPTS
    assert [t.json()["error"] for t in tries] == ["otp_wrong"] * 4 + ["otp_locked"]
    assert "1 more try" in tries[3].json()["message"]
    assert right_too_late.status_code == 403
    assert right_too_late.json()["error"] == "otp_locked"
    assert not member_state(cloud.db, member)["deleted"]


def test_an_expired_code_is_refused(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)
    otp_id, code = code_for(cloud, device, member)
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat(timespec="microseconds")
    with cloud.db.write() as conn:
        conn.execute(
            sa.update(codes_table).where(codes_table.c.otp_id == otp_id).values(expires_at=past)
        )

    answer = erase(device, member, otp_id, code)

    assert answer.status_code == 403
    assert answer.json()["error"] == "otp_expired"
    assert not member_state(cloud.db, member)["deleted"]


def test_another_members_code_erases_nobody(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    victim = member_with_phone(cloud, store)
    accomplice = member_with_phone(cloud, store)
    otp_id, code = code_for(cloud, device, accomplice)

    answer = erase(device, victim, otp_id, code)

    assert answer.status_code == 403
    assert answer.json()["error"] == "otp_unknown"
    assert not member_state(cloud.db, victim)["deleted"]
    # Not counted against the accomplice's code either: its owner can still use it.
    assert erase(device, accomplice, otp_id, code).status_code == 201


def test_a_code_for_adding_a_face_does_not_erase(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)
    otp_id, code = code_for(cloud, device, member, purpose="add_template")

    answer = erase(device, member, otp_id, code)

    assert answer.status_code == 403
    assert answer.json()["error"] == "otp_unknown"
    assert not member_state(cloud.db, member)["deleted"]


def test_a_till_of_another_store_cannot_erase(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)
    otp_id, code = code_for(cloud, device, member)
    stranger = cloud.new_device(cloud.new_store())

    answer = erase(stranger, member, otp_id, code)

    assert answer.status_code == 403
    assert answer.json()["error"] == "forbidden"
    assert not member_state(cloud.db, member)["deleted"]


def test_an_unknown_member_is_404(cloud: Cloud) -> None:
    device = cloud.new_device()
    member = member_with_phone(cloud, device.store_id)
    otp_id, code = code_for(cloud, device, member)

    answer = erase(device, "no-such-member", otp_id, code)

    assert answer.status_code == 404
    assert answer.json()["error"] == "member_unknown"


def test_a_till_can_no_longer_erase_on_its_own_word(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)

    answer = device.http.delete(f"/v1/members/{member}")

    assert answer.status_code in (404, 405), answer.text
    assert not member_state(cloud.db, member)["deleted"]


def test_an_operator_erases_from_the_command_line(
    cloud: Cloud, capsys: pytest.CaptureFixture[str]
) -> None:
    store = cloud.new_store()
    member = member_with_phone(cloud, store, face=True)
    db = cloud.db.url.render_as_string(hide_password=False)

    first = main(["members", "erase", member, "--requested-by", "letter of 2026-12-01", "--db", db])
    again = main(["members", "erase", member, "--requested-by", "letter of 2026-12-01", "--db", db])
    unknown = main(["members", "erase", "no-such-member", "--requested-by", "x", "--db", db])

    assert (first, again, unknown) == (0, 0, 1)
    out = capsys.readouterr()
    assert "erased (erasure" in out.out and "was erased already" in out.out
    assert "no-such-member is not known" in out.err
    state = member_state(cloud.db, member)
    assert state["deleted"] and (state["templates"], state["keys"]) == (0, 0)
    [audit] = state["erasures"]
    assert (audit["via"], audit["device_id"], audit["proof"]) == ("operator", None, "operator")
    assert audit["requested_by"] == "letter of 2026-12-01"


def test_an_erased_member_gets_no_more_codes(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = member_with_phone(cloud, store)
    erasure.erase_by_operator(cloud.db, member, "service desk")

    answer = ask_code(device, member)

    assert answer.status_code == 409
    assert answer.json()["error"] == "member_erased"
