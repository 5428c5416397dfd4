"""The order document: the JSON shape exported, queued for the cloud and compared in tests."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.cart import Cart
from terminal.domain.order import Order
from terminal.domain.order_document import DOCUMENT_VERSION, order_to_document
from tests.support.domain_builders import (
    LATER,
    ORDER_NO,
    carts,
    new_order,
    pay_cash,
    piece_item,
    weighed_item,
)

WATER = piece_item(350, member_price_cents=300)
BREAD = piece_item(1200, tax_rate_bp=900, sku="06901234567908", name_zh="面包", name_en="Bread")
APPLES = weighed_item(1998, tax_rate_bp=900)


def paid_member_order() -> Order:
    """Pieces, a weight label, a price label, a voided line and both kinds of discount."""
    cart = Cart()
    cart.add(WATER, code="6901234567892", quantity=2)  # member 2 x 3.00 = 6.00
    cart.add_weighed(APPLES, code="2800042005000", weight_grams=500)  # 9.99
    cart.add_weighed(APPLES, code="2000042012349", amount_cents=1234)  # 12.34
    cart.add(BREAD, code="6901234567908")  # voided below
    cart.void(line_no=4)
    cart.discount_line(99, line_no=2)  # 9.00
    cart.discount_order(100, undiscounted_total=2734)  # 27.34 -> 26.34
    order = new_order(cart, member_id="M0001")
    order.start_tender()
    pay_cash(order, 5000)
    order.complete(LATER)
    return order


def money_fields(document: dict[str, Any]) -> list[object]:
    values: list[object] = [document["paid_cents"], document["change_cents"]]
    values += document["totals"].values()
    for line in document["lines"]:
        values += [line[key] for key in line if key.endswith("_cents") and line[key] is not None]
    for payment in document["payments"]:
        values += [
            payment[key] for key in payment if key.endswith("_cents") and payment[key] is not None
        ]
    return values


def test_document_survives_a_json_round_trip_unchanged() -> None:
    document = order_to_document(paid_member_order())
    assert json.loads(json.dumps(document)) == document


def test_document_header_and_totals() -> None:
    document = order_to_document(paid_member_order())
    assert document["version"] == DOCUMENT_VERSION == 1
    assert document["order_no"] == ORDER_NO
    assert document["device_id"] == "T01"
    assert document["business_date"] == "2026-11-22"
    assert document["state"] == "paid"
    assert document["opened_at"] == "2026-11-22T02:00:00+00:00"
    assert document["closed_at"] == "2026-11-22T02:05:00+00:00"
    assert document["member_id"] == "M0001"
    assert document["cancel_reason"] is None
    assert document["totals"] == {
        "subtotal_cents": 600 + 999 + 1234,
        "line_discount_cents": 99,
        "order_discount_cents": 100,
        "tax_cents": sum(line["tax_cents"] for line in document["lines"]),
        "total_cents": 2634,
        "member_savings_cents": 100,
    }
    assert (document["paid_cents"], document["change_cents"]) == (2634, 5000 - 2634)


def test_voided_line_stays_in_the_document_with_nothing_to_pay() -> None:
    lines = order_to_document(paid_member_order())["lines"]
    assert [line["line_no"] for line in lines] == [1, 2, 3, 4]
    bread = lines[3]
    assert bread["voided"] is True
    assert bread["sku"] == BREAD.sku
    assert bread["unit_price_cents"] == 1200
    assert (bread["net_cents"], bread["tax_cents"]) == (0, 0)


def test_lines_carry_what_was_scanned_and_how_it_was_priced() -> None:
    water, by_weight, by_price, _ = order_to_document(paid_member_order())["lines"]
    assert water["unit"] == "each"
    assert (water["quantity"], water["unit_price_cents"], water["member_price_cents"]) == (
        2,
        350,
        300,
    )
    assert water["scanned_code"] == "6901234567892"
    assert water["name_zh"] == "矿泉水"
    assert by_weight["unit"] == "kg"
    assert (by_weight["weight_grams"], by_weight["fixed_amount_cents"]) == (500, None)
    assert by_weight["discount_cents"] == 99
    assert (by_price["weight_grams"], by_price["fixed_amount_cents"]) == (None, 1234)
    assert by_price["tax_rate_bp"] == 900


def test_line_nets_and_taxes_add_up_to_the_totals() -> None:
    document = order_to_document(paid_member_order())
    assert sum(line["net_cents"] for line in document["lines"]) == 2634
    assert sum(line["tax_cents"] for line in document["lines"]) == document["totals"]["tax_cents"]


def test_payments_are_listed_with_their_method_state_and_times() -> None:
    (payment,) = order_to_document(paid_member_order())["payments"]
    assert payment == {
        "payment_id": "cash-1",
        "method": "cash",
        "state": "succeeded",
        "amount_cents": 2634,
        "tendered_cents": 5000,
        "change_cents": 2366,
        "provider": None,
        "trade_no": None,
        "created_at": "2026-11-22T02:05:00+00:00",
        "updated_at": "2026-11-22T02:05:00+00:00",
    }


def test_open_order_has_no_closing_time_and_no_payments() -> None:
    cart = Cart()
    cart.add(WATER, code="scan")
    document = order_to_document(new_order(cart))
    assert (document["state"], document["closed_at"], document["payments"]) == ("open", None, [])
    assert document["totals"]["total_cents"] == 350


def test_cancelled_order_keeps_the_reason() -> None:
    cart = Cart()
    cart.add(WATER, code="scan")
    order = new_order(cart)
    order.cancel("customer left", LATER)
    document = order_to_document(order)
    assert (document["state"], document["cancel_reason"]) == ("cancelled", "customer left")


@settings(max_examples=100, deadline=None)
@given(carts(), st.booleans())
def test_any_cart_gives_a_consistent_json_document(cart: Cart, member: bool) -> None:
    document = order_to_document(new_order(cart, member_id="M0001" if member else None))
    assert json.loads(json.dumps(document)) == document
    lines = document["lines"]
    assert len(lines) == len(cart.lines)
    assert sum(line["net_cents"] for line in lines) == document["totals"]["total_cents"]
    assert sum(line["tax_cents"] for line in lines) == document["totals"]["tax_cents"]
    for line in lines:
        if line["voided"]:
            assert (line["net_cents"], line["tax_cents"]) == (0, 0)
        assert line["net_cents"] >= 0
    assert all(type(value) is int for value in money_fields(document))
