"""The storage methods that payments, sync and face call instead of writing SQL: each on a
real store, with the transaction rules they promise (inside the caller's transaction, or
one of their own)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlite_utils import Database

from terminal.domain.payment import Payment, PaymentMethod, PaymentState, cash_payment
from terminal.storage import members, meta, outbox
from terminal.storage.database import write_transaction
from terminal.storage.errors import StoreError
from terminal.storage.members import Member, MemberRepository, Template
from terminal.storage.orders import OrderRepository
from terminal.storage.template_cipher import TemplateCipher
from tests.support.fake_clock import FakeClock
from tests.support.orders import queue_order_entry
from tests.support.water_order import tendering_water_order

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
IN_FLIGHT = (PaymentState.PENDING, PaymentState.UNKNOWN)


def _attempt(order_no: str, payment_id: str, method: PaymentMethod, now: datetime) -> Payment:
    return Payment(
        payment_id=payment_id,
        order_no=order_no,
        method=method,
        amount_cents=200,
        state=PaymentState.PENDING,
        created_at=now,
        updated_at=now,
    )


def test_payment_refs_lists_unsettled_non_cash_payments_oldest_first(
    orders: OrderRepository, clock: FakeClock
) -> None:
    first = tendering_water_order(orders, clock)
    wallet = _attempt(first.order_no, "w1", PaymentMethod.WALLET_CODE, clock())
    first.add_payment(wallet)
    orders.save(first, clock())
    second = tendering_water_order(orders, clock)
    face = _attempt(second.order_no, "f1", PaymentMethod.FACE, clock())
    second.add_payment(face)
    second.add_payment(
        cash_payment(payment_id="c1", order_no=second.order_no, balance_due=200,
                     tendered_cents=100, now=clock())
    )  # fmt: skip
    orders.save(second, clock())
    wallet.transition(PaymentState.UNKNOWN, clock())
    orders.save(first, clock())

    assert orders.payment_refs(IN_FLIGHT, excluding=PaymentMethod.CASH) == [
        (first.order_no, "w1"),
        (second.order_no, "f1"),
    ]
    face.transition(PaymentState.SUCCEEDED, clock())
    orders.save(second, clock())
    assert orders.payment_refs(IN_FLIGHT, excluding=PaymentMethod.CASH) == [(first.order_no, "w1")]
    assert orders.payment_refs([], excluding=PaymentMethod.CASH) == []


def test_a_payment_state_alone_is_written_only_inside_the_callers_transaction(
    orders: OrderRepository, clock: FakeClock
) -> None:
    order = tendering_water_order(orders, clock)
    order.add_payment(_attempt(order.order_no, "f1", PaymentMethod.FACE, clock()))
    orders.save(order, clock())
    later = clock()
    with pytest.raises(RuntimeError, match="inside a caller's transaction"):
        orders.set_payment_state_in_transaction("f1", PaymentState.SUCCEEDED, later)

    with pytest.raises(ZeroDivisionError), write_transaction(orders.db):
        orders.set_payment_state_in_transaction("f1", PaymentState.SUCCEEDED, later)
        _ = 1 / 0  # anything failing later in the transaction takes the state back
    [payment] = orders.load(order.order_no).payments
    assert payment.state is PaymentState.PENDING

    with write_transaction(orders.db):
        orders.set_payment_state_in_transaction("f1", PaymentState.SUCCEEDED, later)
    [payment] = orders.load(order.order_no).payments
    assert payment.state is PaymentState.SUCCEEDED and payment.updated_at == later


def _members(db: Database) -> MemberRepository:
    repository = MemberRepository(db, TemplateCipher(bytes(range(32))))
    repository.upsert(
        Member("m-1", "Zhang", "1234", 0, 500), [Template("m-1", "sf", b"\0" * 8)], NOW
    )
    repository.upsert(Member("m-2", "Li", None, 0, 0), [Template("m-2", "sf", b"\1" * 8)], NOW)
    return repository


def test_deleting_a_member_takes_its_templates_with_it(db: Database) -> None:
    repository = _members(db)
    with write_transaction(db):
        assert members.delete_member_in_transaction(db, "m-1")
        assert not members.delete_member_in_transaction(db, "m-unknown")
    assert repository.get("m-1") is None
    assert [t.member_id for t in repository.templates("sf")] == ["m-2"]


def test_balance_and_phone_digits_of_members(db: Database) -> None:
    repository = _members(db)
    members.set_balance(db, "m-1", 320)
    member = repository.get("m-1")
    assert member is not None and member.balance_cents == 320
    assert repository.phone_last4_by_member() == {"m-1": "1234"}


def test_an_outbox_entry_payload_can_be_rewritten_in_a_transaction(
    db: Database, clock: FakeClock
) -> None:
    entry_id = queue_order_entry(db, "T01-20261122-0001", clock())
    with write_transaction(db):
        outbox.replace_payload_in_transaction(db, entry_id, {"order_no": "T01", "templates": []})
    [entry] = outbox.entries_for(db, "T01-20261122-0001")
    assert entry["payload"] == {"order_no": "T01", "templates": []}


def test_meta_values_written_together(db: Database) -> None:
    meta.put_all(db, {"a": "1", "b": "2"})
    meta.put_all(db, {"b": "3"})
    assert (meta.get(db, "a"), meta.get(db, "b")) == ("1", "3")
    with pytest.raises(StoreError, match="cannot be nested"), write_transaction(db):
        meta.put_all(db, {"a": "x"})
    assert meta.get(db, "a") == "1"
