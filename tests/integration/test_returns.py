"""``ReturnsService`` on a real store: finding the order from a receipt's code, what is
left to refund after earlier refunds, committing refunds (cash at once, the rest waiting
for the cloud), another till's order from its cloud document, returns without a receipt;
and that every reason code of returns has its words in both languages."""

from __future__ import annotations

import string

import pytest
from sqlite_utils import Database

from terminal.app import returns as returns_module
from terminal.app.returns import ReturnRefused, ReturnsService
from terminal.config import Settings
from terminal.domain.order_document import order_to_document
from terminal.domain.refund import RefundError, RefundKind, RefundState
from terminal.domain.refund_request import LineRequest, ManagerApproval, NoReceiptItem
from terminal.errors import registered_codes
from terminal.storage import outbox
from terminal.storage.orders import OrderRepository
from terminal.ui.texts_returns import RETURN_TEXTS
from tests.support.fake_clock import FakeClock
from tests.support.refunds import CASHIER, MANAGER, MEMBER, cash_order, mixed_order


@pytest.fixture
def returns(db: Database, settings: Settings, clock: FakeClock) -> ReturnsService:
    return ReturnsService(db, settings, clock)


def test_a_scanned_receipt_finds_the_order_and_what_is_left(
    orders: OrderRepository, returns: ReturnsService
) -> None:
    order = mixed_order(orders, "T01")
    found = returns.look_up(f" {order.order_no.lower()}\n")
    assert (found.order_no, found.member_id, found.on_this_till) == (order.order_no, MEMBER, True)
    assert [(line.line_no, line.by_weight, line.sold, line.left) for line in found.lines] == [
        (1, False, 3, 3),
        (2, True, 500, 500),
    ]
    assert found.paid_cents == order.paid_cents and found.refunded_cents == 0
    ticket = returns.refund(order.order_no, [LineRequest(1, quantity=2)], reason="broken seal",
                            cashier_id=CASHIER)  # fmt: skip
    again = returns.look_up(order.order_no)
    assert [line.left for line in again.lines] == [1, 500]
    assert again.refund_nos == (ticket.refund_no,)
    assert (
        again.refunded_cents
        == ticket.total_cents
        == again.paid_cents - sum(line.left_cents for line in again.lines)
    )


def test_cash_goes_back_at_once_and_wallet_and_balance_wait_for_the_cloud(
    orders: OrderRepository, returns: ReturnsService, db: Database
) -> None:
    cash = returns.refund(cash_order(orders, "T01").order_no, [LineRequest(1)],
                          reason="changed mind", cashier_id=CASHIER)  # fmt: skip
    assert (cash.state, cash.cash_cents, cash.needs_cloud) == (RefundState.DONE, 800, False)
    mixed = mixed_order(orders, "T01")
    preview = returns.preview(mixed.order_no, [LineRequest(1), LineRequest(2)])
    assert [share.amount_cents for share in preview.shares] == [
        p.amount_cents for p in mixed.payments
    ]  # all of it: back to the wallet, the balance and the drawer as paid
    assert returns.waiting() == []  # a preview records nothing
    ticket = returns.refund(mixed.order_no, [LineRequest(1), LineRequest(2)], reason="recall",
                            cashier_id=CASHIER)  # fmt: skip
    assert ticket.total_cents == mixed.paid_cents == preview.total_cents
    assert (ticket.state, ticket.needs_cloud) == (RefundState.PENDING, True)
    assert ticket.cash_cents + ticket.pending_cents == ticket.total_cents
    assert [t.refund_no for t in returns.waiting()] == [ticket.refund_no]
    assert returns.ticket(ticket.refund_no) == ticket
    assert len(outbox.entries_for(db, ticket.refund_no)) == 1


def test_an_order_not_on_this_till_needs_its_cloud_document(
    orders: OrderRepository, returns: ReturnsService, db: Database
) -> None:
    with pytest.raises(ReturnRefused) as refused:
        returns.look_up("T02-20261122-0001")
    assert refused.value.code == "return.order_unknown"
    with pytest.raises(RefundError) as bad:
        returns.look_up("6910263003875")
    assert bad.value.code == "refund.not_an_order_number"
    # Another till's order as the cloud stored it: same lines, same amounts.
    elsewhere = mixed_order(orders, "T02")
    document = order_to_document(elsewhere)
    with db.conn:  # this till never had it
        for table in ("payments", "order_lines", "orders"):
            db.conn.execute(f"DELETE FROM {table} WHERE order_no = ?", [elsewhere.order_no])
    found = returns.look_up(elsewhere.order_no, remote=document)
    assert not found.on_this_till and found.paid_cents == elsewhere.paid_cents
    ticket = returns.refund(elsewhere.order_no, [LineRequest(2, grams=250)], reason="bruised",
                            cashier_id=CASHIER, remote=document)  # fmt: skip
    assert ticket.refund_no.startswith("T01-") and ticket.order_no == elsewhere.order_no


def test_an_unpaid_order_and_an_unknown_refund_are_refused(
    orders: OrderRepository, returns: ReturnsService, clock: FakeClock
) -> None:
    order = orders.open_order("T01", clock().date(), clock())
    with pytest.raises(RefundError) as refused:
        returns.look_up(order.order_no)
    assert refused.value.code == "refund.order_not_paid"
    with pytest.raises(ReturnRefused) as unknown:
        returns.ticket("T01-20261122-R0042")
    assert unknown.value.code == "return.refund_unknown"


def test_exchange_and_no_receipt_need_the_managers_approval(
    orders: OrderRepository, returns: ReturnsService
) -> None:
    order = mixed_order(orders, "T01")
    with pytest.raises(RefundError) as refused:
        returns.refund(order.order_no, [LineRequest(1, quantity=1)], reason="size",
                       cashier_id=CASHIER, exchange=True)  # fmt: skip
    assert refused.value.code == "refund.needs_approval"
    exchange = returns.refund(order.order_no, [LineRequest(1, quantity=1)], reason="size",
                              cashier_id=CASHIER, exchange=True,
                              approval=ManagerApproval(MANAGER))  # fmt: skip
    assert (exchange.kind, exchange.state, exchange.cash_cents > 0) == (
        RefundKind.EXCHANGE, RefundState.DONE, True)  # fmt: skip
    items = [NoReceiptItem("06910263003875", "水", "Water", 3, 200)]
    credit = returns.refund_without_receipt(items, reason="gift", cashier_id=CASHIER,
                                            approval=ManagerApproval(MANAGER),
                                            store_credit_member=MEMBER)  # fmt: skip
    assert (credit.kind, credit.order_no, credit.pending_cents) == (
        RefundKind.NO_RECEIPT, None, 600)  # fmt: skip


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_of_returns_has_its_words_in_both_languages() -> None:
    ours = {**RefundError.CODES, **ReturnRefused.CODES, **returns_module.REFUND_OUTCOMES}
    assert set(ours) <= set(registered_codes())
    assert set(ours) == set(RETURN_TEXTS)
    for code, english in ours.items():
        for text in RETURN_TEXTS[code]:
            assert text.strip() and _fields(text) <= _fields(english), code
