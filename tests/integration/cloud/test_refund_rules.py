"""The cloud's refund rules one by one (SQLite and PostgreSQL): a refund that arrives
before its order waits without failing, a pending refund replaced by its finished copy
and never the reverse, shapes no refund may have, lines the order did not sell, amounts
that disagree (stored flagged), and store credit of a return without a receipt."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deploy.cloud.schema import member_credits, refunds
from terminal.app.returns import carry_out_refund
from terminal.clock import utc_now
from terminal.domain.payment import PaymentMethod
from terminal.domain.refund import RefundState
from terminal.domain.refund_document import refund_to_document
from terminal.domain.refund_request import LineRequest, ManagerApproval, NoReceiptItem
from terminal.storage.refunds import RefundRepository
from tests.support.cloud_api import Cloud
from tests.support.cloud_queries import cloud_balance
from tests.support.face_payments import member_with_face
from tests.support.refund_tills import RefundTill, cloud_row, refund_till, sell
from tests.support.water_order import WATER

CASH, WALLET = PaymentMethod.CASH, PaymentMethod.WALLET_CODE


@pytest.fixture
def till(cloud: Cloud, tmp_path: Path) -> Iterator[RefundTill]:
    made = refund_till(cloud, cloud.new_store(), tmp_path)
    yield made
    made.close()


def document_of(till: RefundTill, refund_no: str) -> dict[str, Any]:
    return refund_to_document(RefundRepository(till.db).load(refund_no))


def put(till: RefundTill, document: dict[str, Any]) -> Any:
    return till.device.http.put(f"/v1/refunds/{document['refund_no']}", json=document)


def test_a_refund_before_its_order_waits_and_follows_it_through_the_outbox(
    cloud: Cloud, till: RefundTill
) -> None:
    order = sell(till, [(WATER, 2)], [(WALLET, None)])  # not synced yet
    ticket = till.returns.refund(order.order_no, [LineRequest(1)], reason="x", cashier_id="C1")
    early = carry_out_refund(till.db, till.client, utc_now, ticket.refund_no)
    assert (early.reason.code, early.ticket.state, early.ticket.pending_cents) == (
        "refund.order_not_in_cloud", RefundState.PENDING, 400)  # fmt: skip
    report = till.sync()  # the order goes first, then the refund and its wallet refund
    assert (report.sent, report.dead, report.error) == (2, 0, None)
    [row] = cloud_row(cloud, refunds, refund_no=ticket.refund_no)
    assert (row.state, row.flagged) == ("done", False)


def test_a_pending_refund_is_replaced_by_its_finished_copy_never_the_reverse(
    cloud: Cloud, till: RefundTill
) -> None:
    order = sell(till, [(WATER, 2)], [(WALLET, None)])
    till.sync()
    ticket = till.returns.refund(order.order_no, [LineRequest(1)], reason="x", cashier_id="C1")
    pending = document_of(till, ticket.refund_no)
    assert put(till, pending).json()["status"] == "created"
    carry_out_refund(till.db, till.client, utc_now, ticket.refund_no)
    done = document_of(till, ticket.refund_no)
    assert done["state"] == "done"
    assert put(till, done).json()["status"] == "duplicate"  # the till sent it already
    assert put(till, pending).json()["status"] == "stale"
    [row] = cloud_row(cloud, refunds, refund_no=ticket.refund_no)
    assert (row.state, json.loads(row.document)) == ("done", done)
    failed = {**done, "state": "failed"}
    assert put(till, failed).status_code == 409
    more = {**done, "lines": [{**done["lines"][0], "amount_cents": 1}]}
    assert put(till, more).status_code in (409, 422)


def test_shapes_no_refund_may_have_are_invalid(till: RefundTill) -> None:
    order = sell(till, [(WATER, 2)], [(CASH, None)])
    till.sync()
    ticket = till.returns.refund(order.order_no, [LineRequest(1)], reason="x", cashier_id="C1")
    good = document_of(till, ticket.refund_no)
    for bad in [
        {**good, "kind": "exchange"},  # no manager named
        {**good, "kind": "no_receipt", "approver_id": "M1"},  # names an order
        {**good, "total_cents": 1},  # not the lines' sum
        {**good, "lines": []},
        {**good, "device_id": "OTHER1"},
    ]:
        assert put(till, bad).status_code in (403, 422), bad
    other = {**good, "refund_no": "OTHER1-20261122-R0001", "device_id": "OTHER1"}
    assert till.device.http.put("/v1/refunds/OTHER1-20261122-R0001", json=other).status_code == 403


def test_lines_the_order_did_not_sell_are_refused_and_odd_amounts_flagged(
    cloud: Cloud, till: RefundTill
) -> None:
    order = sell(till, [(WATER, 3)], [(CASH, None)])
    cancelled = till.orders.open_order(till.device_id, utc_now().date(), utc_now())
    cancelled.cancel("customer left", utc_now())
    till.orders.close(cancelled, utc_now())
    till.sync()
    ticket = till.returns.refund(order.order_no, [LineRequest(1, quantity=1)], reason="x",
                                 cashier_id="C1")  # fmt: skip
    good = document_of(till, ticket.refund_no)
    line = good["lines"][0]
    for lines, total in [
        ([{**line, "quantity": 4, "amount_cents": 200}], 200),  # more pieces than sold
        ([{**line, "amount_cents": 601}], 601),  # more than the line charged
        ([{**line, "line_no": 2}], 200),  # no such line
        ([{**line, "quantity": None, "weight_grams": 100}], 200),  # not sold by weight
    ]:
        answer = put(till, {**good, "lines": lines, "total_cents": total})
        assert (answer.status_code, answer.json()["error"]) == (409, "over_refund"), lines
    odd = {**good, "lines": [{**line, "amount_cents": 150}], "total_cents": 150,
           "payments": [{**good["payments"][0], "amount_cents": 150}]}  # fmt: skip
    assert put(till, odd).status_code == 201
    [row] = cloud_row(cloud, refunds, refund_no=ticket.refund_no)
    assert json.loads(row.flags) == ["line_amount_disagrees"]
    not_paid = {**good, "refund_no": good["refund_no"][:-4] + "9999",
                "order_no": cancelled.order_no}  # fmt: skip
    answer = put(till, not_paid)
    assert (answer.status_code, answer.json()["error"]) == (409, "order_not_paid")


def test_store_credit_without_a_receipt_goes_to_the_member_up_to_the_refund(
    cloud: Cloud, till: RefundTill
) -> None:
    member = member_with_face(cloud.db, till.device.store_id, 41, balance_cents=100)
    ticket = till.returns.refund_without_receipt(
        [NoReceiptItem(WATER.sku, WATER.name_zh, WATER.name_en, 2, 200)],
        reason="gift, no receipt", cashier_id="C1", approval=ManagerApproval("M1"),
        store_credit_member=member,
    )  # fmt: skip
    outcome = carry_out_refund(till.db, till.client, utc_now, ticket.refund_no)
    assert outcome.reason.code == "refund.done"
    assert cloud_balance(cloud.db, member) == 500
    [credit] = cloud_row(cloud, member_credits, refund_no=ticket.refund_no)
    assert (credit.payment_id, credit.amount_cents) == (None, 400)
    [row] = cloud_row(cloud, refunds, refund_no=ticket.refund_no)
    assert (row.kind, row.order_no, row.state, row.flagged) == ("no_receipt", None, "done", False)
    answer = till.device.http.post(
        f"/v1/members/{member}/credits",
        json={"refund_id": "another-1", "refund_no": ticket.refund_no, "payment_id": None,
              "amount_cents": 1},
    )  # fmt: skip
    assert (answer.status_code, answer.json()["error"]) == (409, "credit_mismatch")
