"""Pricing: totals, discounts spread over lines, and VAT carved out of inclusive prices."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.cart import Cart
from terminal.domain.money import MAX_AMOUNT_CENTS
from terminal.domain.pricing import LineTotal, Totals, allocate, included_tax, price_cart
from tests.support.domain_builders import carts, piece_item, weighed_item

WATER = piece_item(350, member_price_cents=300)
BREAD = piece_item(1200, tax_rate_bp=900, sku="06901234567908", name_zh="面包")
APPLES = weighed_item(1998, tax_rate_bp=900, member_price_cents=1598)

CART_EXAMPLES = settings(max_examples=200, deadline=None)


# -- allocate ------------------------------------------------------------------------

weights = st.lists(st.integers(0, 10**8), min_size=1, max_size=20).filter(lambda w: sum(w) > 0)


@given(st.integers(0, MAX_AMOUNT_CENTS), weights)
def test_allocated_parts_always_sum_to_the_amount(amount: int, parts_of: list[int]) -> None:
    parts = allocate(amount, parts_of)
    assert len(parts) == len(parts_of)
    assert sum(parts) == amount
    assert all(type(part) is int for part in parts)


@given(st.integers(0, MAX_AMOUNT_CENTS), weights)
def test_each_part_is_within_one_cent_of_its_exact_share(amount: int, parts_of: list[int]) -> None:
    total = sum(parts_of)
    for part, weight in zip(allocate(amount, parts_of), parts_of, strict=True):
        assert abs(part - Fraction(amount * weight, total)) < 1


@given(st.integers(0, MAX_AMOUNT_CENTS), weights)
def test_a_zero_weight_gets_no_share(amount: int, parts_of: list[int]) -> None:
    for part, weight in zip(allocate(amount, parts_of), parts_of, strict=True):
        if weight == 0:
            assert part == 0


@pytest.mark.parametrize(
    ("amount", "parts_of", "expected"),
    [
        (100, [1, 1, 1], [34, 33, 33]),  # tie: the earlier line takes the odd cent
        (1, [1, 1], [1, 0]),
        (400, [1000, 3000], [100, 300]),
        (10, [1, 2, 7], [1, 2, 7]),
        (5, [3, 0, 3], [3, 0, 2]),
        (0, [5, 5], [0, 0]),
    ],
)
def test_allocate_examples(amount: int, parts_of: list[int], expected: list[int]) -> None:
    assert allocate(amount, parts_of) == expected


def test_allocate_over_a_larger_remainder_first() -> None:
    # exact shares 2.9 and 7.1: the 0.9 remainder wins the leftover cent
    assert allocate(10, [29, 71]) == [3, 7]


# -- included tax --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "rate_bp", "tax"),
    [
        (11300, 1300, 1300),  # 113.00 at 13 % holds 13.00 of VAT
        (10900, 900, 900),
        (1000, 1300, 115),  # 115.04 fen
        (350, 1300, 40),  # 40.27 fen
        (1000, 0, 0),
        (0, 1300, 0),
        (1, 9999, 0),  # 0.49997 fen rounds down
    ],
)
def test_included_tax_is_carved_out_of_the_inclusive_amount(
    amount: int, rate_bp: int, tax: int
) -> None:
    assert included_tax(amount, rate_bp) == tax


@given(st.integers(0, MAX_AMOUNT_CENTS), st.integers(0, 9_999))
def test_included_tax_is_never_more_than_half_the_amount(amount: int, rate_bp: int) -> None:
    tax = included_tax(amount, rate_bp)
    assert type(tax) is int
    assert 0 <= tax <= amount // 2 + 1
    assert abs(tax - Fraction(amount * rate_bp, 10_000 + rate_bp)) <= Fraction(1, 2)


# -- examples ------------------------------------------------------------------------


def test_empty_cart_costs_nothing() -> None:
    assert price_cart(Cart()) == Totals(0, 0, 0, 0, 0, 0, ())


def test_a_single_line_total_and_tax() -> None:
    cart = Cart()
    cart.add(WATER, code="scan", quantity=2)
    totals = price_cart(cart)
    assert totals.subtotal_cents == totals.total_cents == 700
    assert totals.tax_cents == 81  # 700 * 13/113 = 80.53
    assert totals.lines == (LineTotal(1, 700, 0, 0, 700, 81),)


def test_member_pays_member_prices_and_sees_the_saving() -> None:
    cart = Cart()
    cart.add(WATER, code="scan", quantity=2)
    cart.add_weighed(APPLES, code="scan", weight_grams=500)
    guest, member = price_cart(cart, member=False), price_cart(cart, member=True)
    assert guest.total_cents == 700 + 999
    assert member.total_cents == 600 + 799
    assert member.member_savings_cents == guest.total_cents - member.total_cents == 300
    assert guest.member_savings_cents == 0


def test_voided_lines_cost_nothing_and_are_left_out_of_the_totals() -> None:
    cart = Cart()
    cart.add(WATER, code="scan")
    cart.add(BREAD, code="scan")
    cart.void(line_no=1)
    totals = price_cart(cart)
    assert totals.total_cents == 1200
    assert [t.line_no for t in totals.lines] == [2]


def test_order_discount_is_spread_in_proportion_and_taxed_per_line() -> None:
    cart = Cart()
    cart.add(piece_item(1000, tax_rate_bp=1300), code="scan")
    cart.add(piece_item(3000, tax_rate_bp=900, sku="06901234567908"), code="scan")
    cart.discount_order(400, undiscounted_total=4000)
    totals = price_cart(cart)
    assert [t.order_discount_share_cents for t in totals.lines] == [100, 300]
    assert [t.net_cents for t in totals.lines] == [900, 2700]
    assert [t.tax_cents for t in totals.lines] == [104, 223]  # 103.54 and 222.94
    assert (totals.total_cents, totals.tax_cents, totals.discount_cents) == (3600, 327, 400)


def test_order_discount_shares_add_up_to_the_discount() -> None:
    cart = Cart()
    for price in (333, 333, 334):
        cart.add(piece_item(price), code="scan")
    cart.discount_order(100, undiscounted_total=1000)
    shares = [t.order_discount_share_cents for t in price_cart(cart).lines]
    assert sum(shares) == 100
    assert shares == [33, 33, 34]


def test_line_discount_set_at_guest_price_is_capped_at_the_member_line_amount() -> None:
    cart = Cart()
    cart.add(WATER, code="scan")  # 3.50, member 3.00
    cart.discount_line(350)
    member = price_cart(cart, member=True)
    assert member.lines[0].line_discount_cents == 300
    assert member.lines[0].net_cents == 0
    assert member.total_cents == 0


def test_order_discount_is_capped_at_what_is_left_to_pay() -> None:
    cart = Cart()
    cart.add(WATER, code="scan", quantity=2)
    cart.discount_order(700, undiscounted_total=700)  # set at guest prices
    member = price_cart(cart, member=True)  # member prices total 600
    assert member.order_discount_cents == 600
    assert member.total_cents == 0
    assert member.tax_cents == 0


# -- properties of any cart ----------------------------------------------------------


@CART_EXAMPLES
@given(carts(), st.booleans())
def test_totals_add_up_to_the_cent_in_any_cart(cart: Cart, member: bool) -> None:
    totals = price_cart(cart, member)
    assert [t.line_no for t in totals.lines] == [line.line_no for line in cart.active_lines]
    assert totals.total_cents == sum(t.net_cents for t in totals.lines)
    assert totals.tax_cents == sum(t.tax_cents for t in totals.lines)
    assert totals.total_cents == (
        totals.subtotal_cents - totals.line_discount_cents - totals.order_discount_cents
    )
    assert totals.discount_cents == totals.line_discount_cents + totals.order_discount_cents
    assert sum(t.order_discount_share_cents for t in totals.lines) == totals.order_discount_cents
    assert totals.order_discount_cents <= cart.order_discount_cents
    for line in totals.lines:
        assert line.net_cents == (
            line.gross_cents - line.line_discount_cents - line.order_discount_share_cents
        )


@CART_EXAMPLES
@given(carts(), st.booleans())
def test_no_amount_is_negative_or_float_and_tax_never_exceeds_the_total(
    cart: Cart, member: bool
) -> None:
    totals = price_cart(cart, member)
    amounts = [
        totals.subtotal_cents,
        totals.line_discount_cents,
        totals.order_discount_cents,
        totals.total_cents,
        totals.tax_cents,
        totals.member_savings_cents,
    ]
    for line in totals.lines:
        amounts += [
            line.gross_cents,
            line.line_discount_cents,
            line.order_discount_share_cents,
            line.net_cents,
            line.tax_cents,
        ]
        assert line.tax_cents <= line.net_cents
    assert all(type(amount) is int for amount in amounts)
    assert all(amount >= 0 for amount in amounts)
    assert totals.tax_cents <= totals.total_cents


@CART_EXAMPLES
@given(carts())
def test_member_never_pays_more_than_a_guest(cart: Cart) -> None:
    guest = price_cart(cart, member=False)
    member = price_cart(cart, member=True)
    assert member.total_cents <= guest.total_cents
    assert member.member_savings_cents == guest.subtotal_cents - member.subtotal_cents >= 0


def test_allocate_refuses_an_amount_with_nothing_to_spread_it_over() -> None:
    assert allocate(0, [0, 0]) == [0, 0]
    with pytest.raises(ValueError, match="cannot spread 5"):
        allocate(5, [0, 0])
