"""Refunds in the domain: amounts from what each line charged, money back to the tenders
that paid it, approvals, the state machine, numbers; and, over random paid orders and
random sequences of refunds, that an order never gives back more than was paid, per line,
per tender and in total."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terminal.domain.cart import Cart
from terminal.domain.order import Order
from terminal.domain.order_document import order_to_document
from terminal.domain.payment import PaymentMethod
from terminal.domain.refund import (
    Refund,
    RefundError,
    RefundKind,
    RefundMethod,
    RefundPaymentState,
    RefundState,
    format_refund_number,
    order_number_from_receipt,
    parse_refund_number,
)
from terminal.domain.refund_document import refund_to_document
from terminal.domain.refund_request import (
    LineRequest,
    ManagerApproval,
    NoReceiptItem,
    ledger_of,
    new_no_receipt_return,
    new_return,
)
from terminal.domain.refundable import sold_order, sold_order_from_document
from tests.support.domain_builders import new_order, piece_item, weighed_item
from tests.support.refunds import (
    CASHIER,
    MANAGER,
    MEMBER,
    NOW,
    everything,
    later,
    paid_orders,
    pay_with,
    sold,
    totals_by_line,
)

REFUND_NO = "T01-20261122-R0001"


def refund_of(order: Order, requests: list[LineRequest], *, earlier: list[Refund] | None = None,
              seq: int = 1, **kwargs: object) -> Refund:  # fmt: skip
    return new_return(
        refund_no=format_refund_number("T01", date(2026, 11, 22), seq),
        now=NOW,
        sold=sold(order),
        earlier=earlier or [],
        requests=requests,
        reason=str(kwargs.pop("reason", "damaged")),
        cashier_id=CASHIER,
        **kwargs,  # type: ignore[arg-type]
    )


def waters_and_apples(order_discount: int = 0, tenders: tuple[PaymentMethod, ...] = (
        PaymentMethod.CASH,)) -> Order:  # fmt: skip
    cart = Cart()
    cart.add(piece_item(300), code="w", quantity=3)  # 9.00
    cart.add_weighed(weighed_item(2000), code="a", weight_grams=750)  # 15.00
    if order_discount:
        cart.discount_order(order_discount, 2400)
    return pay_with(new_order(cart, member_id=MEMBER), tenders)


# -- amounts ---------------------------------------------------------------------------


def test_a_line_gives_back_what_it_charged_including_its_share_of_the_order_discount() -> None:
    order = waters_and_apples(order_discount=240)  # 10 % off: 8.10 + 13.50
    refund = refund_of(order, [LineRequest(1), LineRequest(2)])
    assert [line.amount_cents for line in refund.lines] == [810, 1350]
    assert refund.total_cents == order.paid_cents == 2160


def test_partial_refunds_round_down_and_the_last_takes_exactly_the_rest() -> None:
    cart = Cart()
    cart.add(piece_item(100), code="w", quantity=3)
    cart.discount_order(1, 300)  # the line charged 2.99 for 3 pieces
    order = pay_with(new_order(cart), (PaymentMethod.CASH,))
    first = refund_of(order, [LineRequest(1, quantity=1)])
    second = refund_of(order, [LineRequest(1, quantity=1)], earlier=[first], seq=2)
    third = refund_of(order, [LineRequest(1)], earlier=[first, second], seq=3)
    assert [r.total_cents for r in (first, second, third)] == [99, 100, 100]
    assert third.lines[0].quantity == 1
    with pytest.raises(RefundError) as refused:
        refund_of(order, [LineRequest(1)], earlier=[first, second, third], seq=4)
    assert refused.value.code == "refund.nothing_left"


def test_weighed_lines_are_refunded_by_the_gram() -> None:
    order = waters_and_apples()
    half = refund_of(order, [LineRequest(2, grams=375)])
    assert (half.lines[0].weight_grams, half.lines[0].quantity, half.total_cents) == (
        375,
        None,
        750,
    )
    for request, code in [
        (LineRequest(2, quantity=1), "refund.by_weight"),
        (LineRequest(1, grams=10), "refund.by_piece"),
        (LineRequest(1, quantity=4), "refund.over_quantity"),
        (LineRequest(1, quantity=0), "refund.bad_quantity"),
        (LineRequest(9), "refund.no_line"),
    ]:
        with pytest.raises(RefundError) as refused:
            refund_of(order, [request])
        assert refused.value.code == code


def test_a_voided_line_and_an_unpaid_order_cannot_be_refunded() -> None:
    cart = Cart()
    cart.add(piece_item(300), code="w")
    cart.add(piece_item(500), code="x")
    cart.void(1)
    order = pay_with(new_order(cart), (PaymentMethod.CASH,))
    with pytest.raises(RefundError) as refused:
        refund_of(order, [LineRequest(1)])
    assert refused.value.code == "refund.no_line"
    assert sold_order(new_order(cart)) is None  # open: nothing was paid


def test_the_same_line_twice_or_no_line_is_refused() -> None:
    order = waters_and_apples()
    for requests, code in [([LineRequest(1), LineRequest(1)], "refund.line_twice"),
                           ([], "refund.no_lines")]:  # fmt: skip
        with pytest.raises(RefundError) as refused:
            refund_of(order, requests)
        assert refused.value.code == code


# -- tenders ---------------------------------------------------------------------------


def test_money_goes_back_non_cash_first_in_the_order_paid_then_cash() -> None:
    order = waters_and_apples(tenders=(PaymentMethod.WALLET_CODE, PaymentMethod.FACE,
                                       PaymentMethod.CASH))  # fmt: skip
    assert [p.amount_cents for p in order.payments] == [800, 800, 800]
    first = refund_of(order, [LineRequest(2, grams=500)])  # 10.00
    assert [(p.method, p.amount_cents, p.state) for p in first.payments] == [
        (RefundMethod.WALLET_CODE, 800, RefundPaymentState.PENDING),
        (RefundMethod.FACE, 200, RefundPaymentState.PENDING),
    ]
    assert first.payments[0].original_payment_id == order.payments[0].payment_id
    assert first.payments[1].member_id == MEMBER
    rest = refund_of(order, everything(order), earlier=[first], seq=2)  # 14.00
    assert [(p.method, p.amount_cents) for p in rest.payments] == [
        (RefundMethod.FACE, 600),
        (RefundMethod.CASH, 800),
    ]
    assert rest.payments[1].state is RefundPaymentState.SUCCEEDED  # out of the drawer


def test_a_cash_only_refund_is_done_at_once_and_one_through_the_cloud_waits() -> None:
    cash = refund_of(waters_and_apples(), [LineRequest(1)])
    assert (cash.state, cash.cash_cents, cash.completed_at) == (RefundState.DONE, 900, NOW)
    wallet = refund_of(waters_and_apples(tenders=(PaymentMethod.WALLET_CODE,)), [LineRequest(1)])
    assert (wallet.state, wallet.pending_cents, wallet.cash_cents) == (RefundState.PENDING, 900, 0)


def test_a_refused_wallet_refund_frees_its_tender_but_the_lines_stay_refunded() -> None:
    order = waters_and_apples(tenders=(PaymentMethod.WALLET_CODE,))
    first = refund_of(order, [LineRequest(1)])
    first.settle(first.payments[0].refund_payment_id, succeeded=False, now=later(1),
                 reason="trade_not_paid")  # fmt: skip
    assert (first.state, first.owed_cents) == (RefundState.FAILED, 900)
    ledger = ledger_of([first])
    assert ledger.taken(1).measure == 3 and ledger.tenders == {}
    with pytest.raises(RefundError):
        refund_of(order, [LineRequest(1)], earlier=[first], seq=2)


def test_a_face_payment_without_a_member_cannot_be_credited_back() -> None:
    cart = Cart()
    cart.add(piece_item(300), code="w")
    order = pay_with(new_order(cart), (PaymentMethod.FACE,))
    with pytest.raises(RefundError) as refused:
        refund_of(order, [LineRequest(1)])
    assert refused.value.code == "refund.no_member"


# -- approvals, exchange, no receipt ----------------------------------------------------


def test_an_exchange_needs_a_manager_who_is_not_the_cashier_and_pays_cash() -> None:
    order = waters_and_apples(tenders=(PaymentMethod.WALLET_CODE,))
    with pytest.raises(RefundError) as refused:
        refund_of(order, [LineRequest(1)], exchange=True)
    assert refused.value.code == "refund.needs_approval"
    with pytest.raises(RefundError) as refused:
        refund_of(order, [LineRequest(1)], exchange=True, approval=ManagerApproval(CASHIER))
    assert refused.value.code == "refund.self_approved"
    refund = refund_of(order, [LineRequest(1)], exchange=True, approval=ManagerApproval(MANAGER))
    assert (refund.kind, refund.approver_id, refund.state) == (
        RefundKind.EXCHANGE, MANAGER, RefundState.DONE)  # fmt: skip
    assert [(p.method, p.amount_cents) for p in refund.payments] == [(RefundMethod.CASH, 900)]


def test_a_return_without_a_receipt_is_cash_or_store_credit_with_approval() -> None:
    items = [NoReceiptItem("06910263003875", "水", "Water", 2, 200)]

    def make(approval: ManagerApproval | None, member: str | None = None) -> Refund:
        return new_no_receipt_return(refund_no=REFUND_NO, now=NOW, items=items,
                                     reason="no receipt", cashier_id=CASHIER,
                                     approval=approval, store_credit_member=member)  # fmt: skip

    with pytest.raises(RefundError) as refused:
        make(None)
    assert refused.value.code == "refund.needs_approval"
    cash = make(ManagerApproval(MANAGER))
    assert (cash.order_no, cash.total_cents, cash.state, cash.kind) == (
        None, 400, RefundState.DONE, RefundKind.NO_RECEIPT)  # fmt: skip
    credit = make(ManagerApproval(MANAGER), MEMBER)
    assert [(p.method, p.member_id, p.state) for p in credit.payments] == [
        (RefundMethod.STORE_CREDIT, MEMBER, RefundPaymentState.PENDING)
    ]
    with pytest.raises(RefundError) as refused:
        new_no_receipt_return(refund_no=REFUND_NO, now=NOW, reason="x", cashier_id=CASHIER,
                              approval=ManagerApproval(MANAGER),
                              items=[NoReceiptItem("1", "a", "a", 0, 200)])  # fmt: skip
    assert refused.value.code == "refund.bad_item"


def test_a_reason_and_a_cashier_are_required() -> None:
    order = waters_and_apples()
    with pytest.raises(RefundError) as refused:
        refund_of(order, [LineRequest(1)], reason="  ")
    assert (refused.value.code, refused.value.params) == ("refund.no_reason", {"max_length": 200})


# -- states, numbers, receipts, the document ---------------------------------------------


def test_a_refund_payment_is_answered_once() -> None:
    refund = refund_of(waters_and_apples(tenders=(PaymentMethod.WALLET_CODE,)), [LineRequest(1)])
    payment_id = refund.payments[0].refund_payment_id
    refund.settle(payment_id, succeeded=True, now=later(1))
    assert (refund.state, refund.completed_at, refund.paid_back_cents) == (
        RefundState.DONE, later(1), 900)  # fmt: skip
    with pytest.raises(RefundError) as refused:
        refund.settle(payment_id, succeeded=False, now=later(2))
    assert refused.value.code == "refund.payment_settled"
    with pytest.raises(RefundError):
        refund.settle("nope", succeeded=True, now=later(2))


def test_a_refused_refund_fails_everything_still_waiting() -> None:
    order = waters_and_apples(tenders=(PaymentMethod.WALLET_CODE, PaymentMethod.FACE))
    refund = refund_of(order, everything(order))
    refund.fail_waiting("over_refund", later(1))
    assert refund.state is RefundState.FAILED
    assert {p.reason for p in refund.payments} == {"over_refund"}


def test_refund_numbers_are_device_day_and_sequence() -> None:
    assert format_refund_number("T01", date(2026, 11, 22), 7) == "T01-20261122-R0007"
    assert parse_refund_number("S001T003-20261122-R12345") == ("S001T003", date(2026, 11, 22),
                                                               12345)  # fmt: skip
    for bad in ("T01-20261122-0001", "T01-20261122-R001", "T01-20261322-R0001", "t01-x"):
        with pytest.raises(RefundError):
            parse_refund_number(bad)


def test_a_receipt_code_or_typed_number_names_the_order() -> None:
    assert order_number_from_receipt("  t01-20261122-0042\r\n") == "T01-20261122-0042"
    with pytest.raises(RefundError) as refused:
        order_number_from_receipt("6910263003875")
    assert refused.value.code == "refund.not_an_order_number"


def test_an_order_document_gives_the_same_sold_order_as_the_order() -> None:
    order = waters_and_apples(order_discount=240, tenders=(PaymentMethod.WALLET_CODE,
                                                           PaymentMethod.CASH))  # fmt: skip
    assert sold_order_from_document(order_to_document(order)) == sold_order(order)


def test_the_document_carries_lines_payments_and_people() -> None:
    order = waters_and_apples(tenders=(PaymentMethod.WALLET_CODE,))
    refund = refund_of(order, [LineRequest(2, grams=100)], approval=ManagerApproval(MANAGER))
    document = refund_to_document(refund)
    assert document["lines"] == [{"line_no": 2, "sku": refund.lines[0].sku, "name_zh": "苹果",
                                  "name_en": "Apples", "quantity": None, "weight_grams": 100,
                                  "amount_cents": 200}]  # fmt: skip
    assert (document["state"], document["approver_id"], document["order_no"]) == (
        "pending", MANAGER, order.order_no)  # fmt: skip
    assert document["payments"][0]["original_payment_id"] == order.payments[0].payment_id


# -- never more than was paid ----------------------------------------------------------


@st.composite
def refund_rounds(draw: st.DrawFn, order: Order) -> list[list[LineRequest]]:
    rounds = []
    lines = order.cart.active_lines
    for _ in range(draw(st.integers(1, 6))):
        chosen = draw(st.lists(st.sampled_from(lines), min_size=1, max_size=len(lines),
                               unique_by=lambda line: line.line_no))  # fmt: skip
        requests = []
        for line in chosen:
            sold_measure = line.weight_grams or line.quantity
            measure = draw(st.none() | st.integers(1, sold_measure))
            if line.weight_grams is not None:
                requests.append(LineRequest(line.line_no, grams=measure))
            else:
                requests.append(LineRequest(line.line_no, quantity=measure))
        rounds.append(requests)
    return rounds


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), order=paid_orders())
def test_an_order_never_gives_back_more_than_was_paid(data: st.DataObject, order: Order) -> None:
    sold_side = sold(order)
    paid_by = {p.payment_id: p.amount_cents for p in sold_side.payments}
    cash_paid = sum(p.amount_cents for p in sold_side.payments if p.method is PaymentMethod.CASH)
    refunds: list[Refund] = []
    for seq, requests in enumerate(data.draw(refund_rounds(order)), start=1):
        try:
            refund = refund_of(order, requests, earlier=refunds, seq=seq)
        except RefundError as refused:
            assert refused.code in ("refund.nothing_left", "refund.over_quantity")
            continue
        assert sum(p.amount_cents for p in refund.payments) == refund.total_cents
        for payment in refund.waiting():  # the wallet or the cloud answers, either way
            refund.settle(payment.refund_payment_id, succeeded=data.draw(st.booleans()),
                          now=later(seq))  # fmt: skip
        refunds.append(refund)
        # Per line: never more pieces, grams or cents than the line sold and charged.
        for line_no, (measure, cents) in totals_by_line(refunds).items():
            line = sold_side.line(line_no)
            assert line is not None
            assert measure <= line.sold and cents <= line.paid_cents
        # In total, and per tender: never more than was paid, nor to one tender than it paid.
        assert sum(r.total_cents for r in refunds) <= order.paid_cents
        back: dict[str | None, int] = {}
        for r in refunds:
            for p in r.payments:
                if p.state is not RefundPaymentState.FAILED:
                    back[p.original_payment_id] = back.get(p.original_payment_id, 0) + (
                        p.amount_cents
                    )
        assert back.get(None, 0) <= cash_paid
        for payment_id, cents in back.items():
            if payment_id is not None:
                assert cents <= paid_by[payment_id]
    # Everything taken back gives back exactly what was paid, to the cent.
    left = [LineRequest(line.line_no) for line in sold_side.lines
            if ledger_of(refunds).left(line).measure]  # fmt: skip
    if left:
        refunds.append(refund_of(order, left, earlier=refunds, seq=99))
    assert sum(r.total_cents for r in refunds) == order.paid_cents
