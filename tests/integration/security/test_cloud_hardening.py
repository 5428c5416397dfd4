"""Security review, issue 13 item 7, against the reference cloud over HTTP, on SQLite and
on PostgreSQL: a wallet trade is the business of the device that made it only, and a
member id as long as the contract allows is answered, never a 500."""

from __future__ import annotations

import uuid

from tests.support.cloud_api import Cloud, DeviceClient
from tests.support.order_documents import order_document

LONG_MEMBER_ID = "M" * 60  # within the contract (64), longer than the columns once were (40)


def pay_by_code(device: DeviceClient, out_trade_no: str) -> dict[str, object]:
    answer = device.http.post(
        "/v1/payments/micropay",
        json={
            "out_trade_no": out_trade_no,
            "order_no": device.order_no(1),
            "auth_code": "134567890123456781",  # ends in 1: the simulated wallet says yes
            "amount_cents": 300,
        },
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


def test_only_the_device_that_made_a_wallet_trade_may_query_or_reverse_it(cloud: Cloud) -> None:
    store = cloud.new_store()
    owner, colleague = cloud.new_device(store), cloud.new_device(store)
    out_trade_no = uuid.uuid4().hex
    assert pay_by_code(owner, out_trade_no)["trade_state"] == "SUCCESS"

    for answer in (
        colleague.http.get(f"/v1/payments/micropay/{out_trade_no}"),
        colleague.http.post(f"/v1/payments/micropay/{out_trade_no}/reverse"),
    ):
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"] == "forbidden"
        assert owner.device_id not in answer.json()["message"]

    # The colleague's tries moved nothing: the owner's trade is still paid, and its own.
    found = owner.http.get(f"/v1/payments/micropay/{out_trade_no}")
    assert found.status_code == 200 and found.json()["trade_state"] == "SUCCESS"
    reversed_ = owner.http.post(f"/v1/payments/micropay/{out_trade_no}/reverse")
    assert reversed_.status_code == 200 and reversed_.json()["trade_state"] == "REVOKED"


def test_a_60_character_member_id_is_answered_not_a_server_error(cloud: Cloud) -> None:
    device = cloud.new_device()
    payment = {
        "payment_id": str(uuid.uuid4()),
        "order_no": device.order_no(1),
        "member_id": LONG_MEMBER_ID,
        "amount_cents": 300,
    }
    face = device.http.post("/v1/payments/face", json=payment)
    assert face.status_code == 200, face.text
    assert (face.json()["state"], face.json()["balance_cents"]) == ("FAIL", 0)
    # The refusal was stored with the member id: a repeat is answered from that row.
    again = device.http.post("/v1/payments/face", json=payment)
    assert again.status_code == 200 and again.json() == face.json()

    order_no = device.order_no(2)
    document = order_document(device.device_id, order_no) | {"member_id": LONG_MEMBER_ID}
    stored = device.http.put(f"/v1/orders/{order_no}", json=document)
    assert stored.status_code == 201 and stored.json()["status"] == "created", stored.text
    assert device.http.get(f"/v1/orders/{order_no}").json()["member_id"] == LONG_MEMBER_ID
