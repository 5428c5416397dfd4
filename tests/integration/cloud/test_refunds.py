"""Refunds against the real cloud over HTTP (SQLite and PostgreSQL): a till's cash refund,
a wallet refund asked again after SYSTEMERROR, face pay credited back to the member, an
over-refund refused before any money moves, and refunds made offline forwarded exactly
once through answers lost on the way. Orders and refunds are made by the terminal's own
code (``ReturnsService``, ``carry_out_refund``, the outbox sender)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.cloud.schema import member_credits, micropay_refunds, refunds
from terminal.app.returns import ReturnRefused, carry_out_refund, fetch_order_document
from terminal.clock import utc_now
from terminal.domain.payment import PaymentMethod
from terminal.domain.refund import RefundState
from terminal.domain.refund_document import refund_to_document
from terminal.domain.refund_request import LineRequest
from terminal.storage.refunds import RefundRepository
from terminal.sync.client import CloudClient
from tests.support.cloud_api import Cloud
from tests.support.cloud_queries import cloud_balance
from tests.support.face_payments import member_with_face
from tests.support.fault_proxy import FaultProxy
from tests.support.refund_tills import (
    COLA,
    RefundTill,
    cloud_row,
    port_of,
    refund_till,
    sell,
    water_and_cola,
)
from tests.support.water_order import WATER

CASH, WALLET, FACE = PaymentMethod.CASH, PaymentMethod.WALLET_CODE, PaymentMethod.FACE
CASHIER = "C001"


def no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
def tills(cloud: Cloud, tmp_path: Path) -> Iterator[list[RefundTill]]:
    made: list[RefundTill] = []
    yield made
    for till in made:
        till.close()


def open_till(cloud: Cloud, store: str, tmp_path: Path, tills: list[RefundTill]) -> RefundTill:
    till = refund_till(cloud, store, tmp_path)
    tills.append(till)
    return till


def everything(till: RefundTill, order_no: str) -> list[LineRequest]:
    return [LineRequest(line.line_no) for line in till.returns.look_up(order_no).lines if line.left]


def test_a_cash_refund_is_stored_once_with_the_till_that_made_it(
    cloud: Cloud, tmp_path: Path, tills: list[RefundTill]
) -> None:
    till = open_till(cloud, cloud.new_store(), tmp_path, tills)
    order = sell(till, water_and_cola(), [(CASH, None)])
    ticket = till.returns.refund(order.order_no, [LineRequest(1, quantity=2)], reason="leaks",
                                 cashier_id=CASHIER)  # fmt: skip
    assert (ticket.state, ticket.cash_cents, ticket.needs_cloud) == (RefundState.DONE, 400, False)
    report = till.sync()
    assert (report.sent, report.dead, report.error) == (2, 0, None)  # the order, the refund
    [row] = cloud_row(cloud, refunds, refund_no=ticket.refund_no)
    assert (row.state, row.kind, row.order_no, row.total_cents, row.flagged) == (
        "done", "return", order.order_no, 400, False)  # fmt: skip
    assert (row.device_id, row.order_device_id) == (till.device_id, till.device_id)
    document = refund_to_document(RefundRepository(till.db).load(ticket.refund_no))
    assert json.loads(row.document) == document
    assert till.client.put_refund(ticket.refund_no, document)["status"] == "duplicate"
    # Changed after the fact: refused, the stored refund stays.
    changed = dict(document, reason="something else")
    assert till.device.http.put(f"/v1/refunds/{ticket.refund_no}", json=changed).status_code == 409
    # A refund of the rest of the order: what is left, no more.
    rest = till.returns.refund(order.order_no, everything(till, order.order_no),
                               reason="all back", cashier_id=CASHIER)  # fmt: skip
    assert rest.total_cents == order.paid_cents - 400
    assert till.sync().sent == 1
    assert sum(r.total_cents for r in cloud_row(cloud, refunds, order_no=order.order_no)) == (
        order.paid_cents
    )


def test_a_wallet_refund_asked_again_after_systemerror_refunds_once(
    cloud: Cloud, tmp_path: Path, tills: list[RefundTill]
) -> None:
    till = open_till(cloud, cloud.new_store(), tmp_path, tills)
    # A code ending in 9: the wallet's answers get lost (SYSTEMERROR), its refunds' too.
    order = sell(till, [(WATER, 3)], [(WALLET, None)], wallet_digit=9)
    trade = order.payments[0].payment_id
    assert till.sync().sent == 1
    ticket = till.returns.refund(order.order_no, [LineRequest(1, quantity=2)], reason="leaks",
                                 cashier_id=CASHIER)  # fmt: skip
    assert (ticket.state, ticket.pending_cents) == (RefundState.PENDING, 400)
    outcome = carry_out_refund(till.db, till.client, utc_now, ticket.refund_no, sleep=no_sleep)
    assert (outcome.reason.code, outcome.ticket.state) == ("refund.done", RefundState.DONE)
    [wallet_refund] = cloud_row(cloud, micropay_refunds, out_trade_no=trade)
    assert (wallet_refund.out_refund_no, wallet_refund.amount_cents, wallet_refund.answers) == (
        f"{ticket.refund_no}-1", 400, 2)  # fmt: skip
    [row] = cloud_row(cloud, refunds, refund_no=ticket.refund_no)
    assert (row.state, row.flagged) == ("done", False)
    # The outbox sends it again: a duplicate, and the wallet refunds nothing more.
    assert till.sync().sent == 1
    assert len(cloud_row(cloud, micropay_refunds, out_trade_no=trade)) == 1

    http = till.device.http
    again = http.post(
        f"/v1/payments/micropay/{trade}/refund",
        json={"out_refund_no": wallet_refund.out_refund_no, "amount_cents": 400},
    )
    assert again.status_code == 200 and again.json()["refunded_cents"] == 400  # fmt: skip
    for body, status, code in [
        ({"out_refund_no": "other-1", "amount_cents": 201}, 409, "over_trade_amount"),
        ({"out_refund_no": wallet_refund.out_refund_no, "amount_cents": 300}, 409,
         "refund_mismatch"),
    ]:  # fmt: skip
        answer = http.post(f"/v1/payments/micropay/{trade}/refund", json=body)
        assert (answer.status_code, answer.json()["error"]) == (status, code)
    declined = till.client.micropay(out_trade_no="declined-1", order_no=order.order_no,
                                    auth_code="134567890123456788", amount_cents=100)  # fmt: skip
    assert declined["trade_state"] == "FAIL"
    answer = http.post("/v1/payments/micropay/declined-1/refund",
                       json={"out_refund_no": "declined-r", "amount_cents": 100})  # fmt: skip
    assert (answer.status_code, answer.json()["error"]) == (409, "trade_not_paid")
    answer = http.post("/v1/payments/micropay/nope/refund",
                       json={"out_refund_no": "nope-r", "amount_cents": 100})  # fmt: skip
    assert answer.status_code == 404


def test_face_pay_is_credited_back_to_the_member_who_paid_and_no_more(
    cloud: Cloud, tmp_path: Path, tills: list[RefundTill]
) -> None:
    store = cloud.new_store()
    member = member_with_face(cloud.db, store, 21, balance_cents=1000)
    other = member_with_face(cloud.db, store, 22, balance_cents=0)
    till = open_till(cloud, store, tmp_path, tills)
    order = sell(till, water_and_cola(), [(FACE, 800), (CASH, None)], member_id=member,
                 face_seed=21)  # fmt: skip
    assert cloud_balance(cloud.db, member) == 200
    till.sync()
    ticket = till.returns.refund(order.order_no, everything(till, order.order_no),
                                 reason="recall", cashier_id=CASHIER)  # fmt: skip
    assert (ticket.pending_cents, ticket.cash_cents) == (800, 500)  # face first, then cash
    outcome = carry_out_refund(till.db, till.client, utc_now, ticket.refund_no)
    assert outcome.reason.code == "refund.done"
    assert cloud_balance(cloud.db, member) == 1000
    [credit] = cloud_row(cloud, member_credits, refund_no=ticket.refund_no)
    assert (credit.member_id, credit.payment_id, credit.amount_cents, credit.balance_cents) == (
        member, order.payments[0].payment_id, 800, 1000)  # fmt: skip
    # The tills pull the new balance with the member changes.
    changes = till.device.http.get("/v1/members").json()["changes"]
    assert [c["balance_cents"] for c in changes if c["member_id"] == member] == [1000]
    # Asked again: answered from the record, credited once.
    repeat = till.client.credit_member(member, refund_id=credit.credit_id,
                                       refund_no=ticket.refund_no,
                                       payment_id=credit.payment_id, amount_cents=800)  # fmt: skip
    assert (repeat["repeat"], repeat["balance_cents"]) == (True, 1000)
    assert cloud_balance(cloud.db, member) == 1000

    # A refund document that claims more, or for another member: the credits are refused.
    second = sell(till, [(WATER, 3)], [(FACE, 300), (CASH, None)], member_id=member,
                  face_seed=21)  # fmt: skip
    till.sync()
    refund_no = f"{till.device_id}-20261122-R9001"
    crafted = {
        **refund_to_document(RefundRepository(till.db).load(ticket.refund_no)),
        "refund_no": refund_no, "order_no": second.order_no, "state": "pending",
        "completed_at": None, "total_cents": 600,
        "lines": [{"line_no": 1, "sku": WATER.sku, "quantity": 3, "weight_grams": None,
                   "amount_cents": 600}],
        "payments": [
            {"refund_payment_id": f"{refund_no}-1", "method": "face", "amount_cents": 600,
             "state": "pending", "original_payment_id": second.payments[0].payment_id,
             "member_id": member},
            {"refund_payment_id": f"{refund_no}-2", "method": "face", "amount_cents": 100,
             "state": "pending", "original_payment_id": second.payments[0].payment_id,
             "member_id": other},
        ],
    }  # fmt: skip
    stored = till.device.http.put(f"/v1/refunds/{refund_no}", json=crafted)
    assert stored.status_code == 201, stored.text
    [row] = cloud_row(cloud, refunds, refund_no=refund_no)
    assert json.loads(row.flags) == ["payments_disagree", "tenders_disagree"]
    for who, payment, amount, code in [
        (member, 1, 600, "over_payment"),
        (other, 2, 100, "not_paid_by_member"),
        (other, 1, 600, "credit_mismatch"),
    ]:
        answer = till.device.http.post(
            f"/v1/members/{who}/credits",
            json={"refund_id": f"{refund_no}-{payment}", "refund_no": refund_no,
                  "payment_id": second.payments[0].payment_id, "amount_cents": amount},
        )  # fmt: skip
        assert (answer.status_code, answer.json()["error"]) == (409, code)
    answer = till.device.http.post(
        f"/v1/members/{member}/credits",
        json={"refund_id": "x-1", "refund_no": "T9-20261122-R0001", "payment_id": None,
              "amount_cents": 1},
    )  # fmt: skip
    assert (answer.status_code, answer.json()["error"]) == (409, "refund_unknown")
    assert cloud_balance(cloud.db, member) == 1000 - 300


def test_an_over_refund_is_refused_by_the_cloud_before_the_money_moves(
    cloud: Cloud, tmp_path: Path, tills: list[RefundTill]
) -> None:
    store = cloud.new_store()
    seller, colleague = (open_till(cloud, store, tmp_path, tills) for _ in range(2))
    order = sell(seller, [(WATER, 3)], [(WALLET, None)])
    trade = order.payments[0].payment_id
    seller.sync()
    # Another till of the store takes two back, from the order the cloud holds.
    document = fetch_order_document(colleague.client, order.order_no)
    taken = colleague.returns.refund(order.order_no, [LineRequest(1, quantity=2)],
                                     reason="leaks", cashier_id=CASHIER,
                                     remote=document)  # fmt: skip
    done = carry_out_refund(colleague.db, colleague.client, utc_now, taken.refund_no)
    assert done.reason.code == "refund.done"
    [row] = cloud_row(cloud, refunds, order_no=order.order_no)
    assert (row.device_id, row.order_device_id) == (colleague.device_id, seller.device_id)
    # The seller, who has not heard of it, tries to give the same two back: refused, and
    # the wallet is never asked.
    again = seller.returns.refund(order.order_no, [LineRequest(1, quantity=2)], reason="leaks",
                                  cashier_id=CASHIER)  # fmt: skip
    refused = carry_out_refund(seller.db, seller.client, utc_now, again.refund_no)
    assert (refused.reason.code, refused.reason.params["why"]) == (
        "refund.cloud_refused", "over_refund")  # fmt: skip
    assert (refused.ticket.state, refused.ticket.owed_cents) == (RefundState.FAILED, 400)
    assert [r.out_refund_no for r in cloud_row(cloud, micropay_refunds, out_trade_no=trade)] == [
        f"{taken.refund_no}-1"
    ]
    assert [r.refund_no for r in cloud_row(cloud, refunds, order_no=order.order_no)] == [
        taken.refund_no
    ]
    report = seller.sync()
    assert report.dead == 1  # parked for a person, never dropped
    # A till of another store cannot even see the order, nor refund it.
    stranger = open_till(cloud, cloud.new_store(), tmp_path, tills)
    with pytest.raises(ReturnRefused):
        fetch_order_document(stranger.client, order.order_no)
    foreign = stranger.returns.refund(order.order_no, [LineRequest(1, quantity=1)],
                                      reason="x", cashier_id=CASHIER, remote=document)  # fmt: skip
    out = carry_out_refund(stranger.db, stranger.client, utc_now, foreign.refund_no)
    assert (out.reason.code, out.reason.params["why"]) == ("refund.cloud_refused", "forbidden")


def test_refunds_made_offline_are_forwarded_exactly_once(
    cloud: Cloud, tmp_path: Path, tills: list[RefundTill]
) -> None:
    store = cloud.new_store()
    member = member_with_face(cloud.db, store, 31, balance_cents=2000)
    till = open_till(cloud, store, tmp_path, tills)
    order = sell(till, [(WATER, 3), (COLA, 2)], [(WALLET, 500), (FACE, 500), (CASH, None)],
                 member_id=member, face_seed=31)  # fmt: skip
    till.sync()
    with (
        FaultProxy(port_of(cloud.base_url), seed=7) as proxy,
        CloudClient(proxy.url, till.device.token, timeout_s=2) as flaky,
    ):
        proxy.set("drop")  # offline
        ticket = till.returns.refund(order.order_no, everything(till, order.order_no),
                                     reason="recall", cashier_id=CASHIER)  # fmt: skip
        assert (ticket.cash_cents, ticket.pending_cents) == (300, 1000)  # cash at once
        waiting = carry_out_refund(till.db, flaky, utc_now, ticket.refund_no, sleep=no_sleep)
        assert (waiting.reason.code, waiting.ticket.state) == (
            "refund.waiting",
            RefundState.PENDING,
        )
        offline = till.sync(flaky)
        assert (offline.sent, offline.error is not None) == (0, True)
        assert cloud_row(cloud, refunds, refund_no=ticket.refund_no) == []
        # Back, but half the answers are lost after the cloud committed the call.
        proxy.set("reset", rate=0.5)
        for _attempt in range(40):
            if till.sync(flaky).error is None:
                break
        proxy.set("pass")
        assert till.sync(flaky).error is None
        assert proxy.counts.answers_reset > 0  # the cloud did the work; the till never heard
    refund = RefundRepository(till.db).load(ticket.refund_no)
    assert (refund.state, refund.paid_back_cents) == (RefundState.DONE, 1300)
    trade = order.payments[0].payment_id
    assert [(r.amount_cents) for r in cloud_row(cloud, micropay_refunds, out_trade_no=trade)] == [
        500
    ]
    assert [c.amount_cents for c in cloud_row(cloud, member_credits, member_id=member)] == [500]
    assert cloud_balance(cloud.db, member) == 2000
    [row] = cloud_row(cloud, refunds, refund_no=ticket.refund_no)
    assert (row.state, row.flagged) == ("done", False)
    # Carried out once more (the cloud thread after the outbox): nothing moves again.
    again = carry_out_refund(till.db, till.client, utc_now, ticket.refund_no)
    assert again.reason.code == "refund.done"
    assert len(cloud_row(cloud, micropay_refunds, out_trade_no=trade)) == 1
    assert cloud_balance(cloud.db, member) == 2000
