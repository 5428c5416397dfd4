"""Face pay from stored value (debited once however often it is resent) and the wallet
payment-code simulator: all five outcomes, queries, reversal."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.support.cloud_api import Cloud, DeviceClient
from tests.support.enrollments import vector
from tests.support.face_payments import face_pay, face_pay_body, member_with_face


def test_face_pay_debits_once_under_repeats(cloud: Cloud) -> None:
    store = cloud.new_store()
    member_id = member_with_face(cloud.db, store, 1, balance_cents=1000)
    device = cloud.new_device(store)
    payment_id = str(uuid.uuid4())
    answers = [face_pay(device, member_id, 300, payment_id, face=vector(1)) for _ in range(3)]
    assert {a.status_code for a in answers} == {200}
    assert [a.json() for a in answers] == [
        {"payment_id": payment_id, "state": "SUCCESS", "reason": None, "balance_cents": 700}
    ] * 3
    # A repeat is answered from the record, with or without the probe.
    assert face_pay(device, member_id, 300, payment_id, face=None).json() == answers[0].json()
    second = face_pay(device, member_id, 500, str(uuid.uuid4()), face=vector(1)).json()
    assert (second["state"], second["balance_cents"]) == ("SUCCESS", 200)
    # The balance is a member change for the terminals.
    stream = device.http.get("/v1/members").json()["changes"]
    assert [(c["member_id"], c["balance_cents"]) for c in stream] == [(member_id, 200)]
    # The same payment id with another amount is not a resend.
    assert face_pay(device, member_id, 301, payment_id, face=vector(1)).status_code == 409


def test_face_pay_without_enough_balance_fails_and_takes_nothing(cloud: Cloud) -> None:
    store = cloud.new_store()
    member_id = member_with_face(cloud.db, store, 2, balance_cents=250)
    device = cloud.new_device(store)
    payment_id = str(uuid.uuid4())
    answer = face_pay(device, member_id, 251, payment_id, face=vector(2)).json()
    assert answer == {
        "payment_id": payment_id,
        "state": "FAIL",
        "reason": "insufficient_balance",
        "balance_cents": 250,
    }
    assert face_pay(device, member_id, 251, payment_id, face=vector(2)).json() == answer
    last = face_pay(device, member_id, 250, str(uuid.uuid4()), face=vector(2)).json()
    assert last["balance_cents"] == 0
    unknown = face_pay(device, str(uuid.uuid4()), 1, str(uuid.uuid4()), face=vector(2)).json()
    assert (unknown["state"], unknown["reason"]) == ("FAIL", "member_unknown")


def test_face_pay_for_another_stores_member_or_order_is_403(cloud: Cloud) -> None:
    member_id = member_with_face(cloud.db, cloud.new_store(), 3, balance_cents=1000)
    device = cloud.new_device()
    answer = face_pay(device, member_id, 100, str(uuid.uuid4()), face=vector(3))
    assert answer.status_code == 403
    body = face_pay_body(device, member_id, 1, str(uuid.uuid4()), face=vector(3))
    body["order_no"] = "OTHER1-20261122-0001"
    assert device.http.post("/v1/payments/face", json=body).status_code == 403


def pay(device: DeviceClient, last_digit: int, out_trade_no: str | None = None) -> Any:
    return device.http.post(
        "/v1/payments/micropay",
        json={
            "out_trade_no": out_trade_no or uuid.uuid4().hex,
            "order_no": device.order_no(1),
            "auth_code": f"13456789012345678{last_digit}",
            "amount_cents": 1230,
        },
    )


def query(device: DeviceClient, out_trade_no: str) -> dict[str, Any]:
    answer = device.http.get(f"/v1/payments/micropay/{out_trade_no}")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.mark.parametrize("digit", [0, 5])
def test_codes_ending_0_to_5_succeed_at_once(cloud: Cloud, digit: int) -> None:
    device = cloud.new_device()
    answer = pay(device, digit).json()
    assert answer["trade_state"] == "SUCCESS" and answer["trade_no"]
    assert query(device, answer["out_trade_no"]) == answer


@pytest.mark.parametrize(("digit", "final"), [(6, "SUCCESS"), (7, "FAIL")])
def test_userpaying_is_decided_on_the_second_query(cloud: Cloud, digit: int, final: str) -> None:
    device = cloud.new_device()
    answer = pay(device, digit).json()
    out_trade_no = answer["out_trade_no"]
    assert (answer["trade_state"], answer["trade_no"]) == ("USERPAYING", None)
    # A resent pay call does not move the trade on.
    assert pay(device, digit, out_trade_no).json()["trade_state"] == "USERPAYING"
    assert query(device, out_trade_no)["trade_state"] == "USERPAYING"
    decided = query(device, out_trade_no)
    assert decided["trade_state"] == final
    assert bool(decided["trade_no"]) is (final == "SUCCESS")
    assert query(device, out_trade_no) == decided


def test_code_ending_8_fails_as_expired(cloud: Cloud) -> None:
    device = cloud.new_device()
    answer = pay(device, 8).json()
    assert (answer["trade_state"], answer["message"], answer["trade_no"]) == (
        "FAIL",
        "AUTHCODEEXPIRE",
        None,
    )
    assert query(device, answer["out_trade_no"]) == answer


def test_code_ending_9_is_a_system_error_but_the_trade_went_through(cloud: Cloud) -> None:
    device = cloud.new_device()
    answer = pay(device, 9).json()
    assert (answer["trade_state"], answer["trade_no"]) == ("SYSTEMERROR", None)
    found = query(device, answer["out_trade_no"])
    assert found["trade_state"] == "SUCCESS" and found["trade_no"]


def test_reverse_is_idempotent_and_accepts_unknown_trades(cloud: Cloud) -> None:
    device = cloud.new_device()
    out_trade_no = pay(device, 1).json()["out_trade_no"]
    for _ in range(2):
        answer = device.http.post(f"/v1/payments/micropay/{out_trade_no}/reverse")
        assert answer.status_code == 200
        assert answer.json() == {
            "out_trade_no": out_trade_no,
            "reversed": True,
            "trade_state": "REVOKED",
        }
    assert query(device, out_trade_no)["trade_state"] == "REVOKED"

    never_seen = uuid.uuid4().hex
    for _ in range(2):
        answer = device.http.post(f"/v1/payments/micropay/{never_seen}/reverse").json()
        assert answer == {"out_trade_no": never_seen, "reversed": True, "trade_state": "NOTPAY"}
    # A pay call that arrives after its reversal cannot take the money.
    late = pay(device, 1, never_seen).json()
    assert late["trade_state"] == "REVOKED" and late["trade_no"] is None


def test_one_order_may_own_several_trades_and_others_are_guarded(cloud: Cloud) -> None:
    store = cloud.new_store()
    device, colleague = cloud.new_device(store), cloud.new_device(store)
    first, second = pay(device, 8).json(), pay(device, 2).json()
    assert first["out_trade_no"] != second["out_trade_no"]
    assert (first["trade_state"], second["trade_state"]) == ("FAIL", "SUCCESS")
    assert pay(device, 3, second["out_trade_no"]).status_code == 409  # another code
    reverse = colleague.http.post(f"/v1/payments/micropay/{second['out_trade_no']}/reverse")
    assert reverse.status_code == 403
    stranger = cloud.new_device()
    assert stranger.http.get(f"/v1/payments/micropay/{second['out_trade_no']}").status_code == 403
    assert device.http.get(f"/v1/payments/micropay/{uuid.uuid4().hex}").status_code == 404
