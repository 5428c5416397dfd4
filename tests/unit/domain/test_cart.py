"""The cart: adding, weighing, changing quantities, voiding and discounting lines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.cart import MAX_QUANTITY, MAX_WEIGHT_GRAMS, Cart, CartLine
from terminal.domain.catalog import Unit
from terminal.domain.errors import CartError
from terminal.domain.money import MAX_AMOUNT_CENTS
from tests.support.domain_builders import carts, piece_item, weighed_item

WATER = piece_item(350, member_price_cents=300)
BREAD = piece_item(1200, sku="06901234567908", name_zh="面包", name_en="Bread")
APPLES = weighed_item(1998, member_price_cents=1598)


def cart_with(*items: object) -> Cart:
    cart = Cart()
    for item in items or (WATER,):
        cart.add(item, code="scan")  # type: ignore[arg-type]
    return cart


# -- adding --------------------------------------------------------------------------


def test_add_copies_the_item_onto_a_numbered_line() -> None:
    cart = Cart()
    line = cart.add(WATER, code="6901234567892", quantity=3)
    assert line == CartLine(
        line_no=1,
        sku=WATER.sku,
        scanned_code="6901234567892",
        name_zh="矿泉水",
        name_en="Mineral water",
        unit=Unit.EACH,
        tax_rate_bp=1300,
        unit_price_cents=350,
        member_price_cents=300,
        quantity=3,
    )
    assert cart.lines == (line,)


def test_line_numbers_start_at_one_and_only_grow() -> None:
    cart = cart_with(WATER, BREAD)
    cart.void()
    third = cart.add(WATER, code="scan")
    assert [line.line_no for line in cart.lines] == [1, 2, 3]
    assert third.line_no == 3


@given(carts())
def test_line_numbers_are_strictly_increasing_in_any_cart(cart: Cart) -> None:
    numbers = [line.line_no for line in cart.lines]
    assert numbers == list(range(1, len(numbers) + 1))


def test_same_item_scanned_twice_makes_two_lines() -> None:
    cart = cart_with(WATER, WATER)
    assert len(cart.active_lines) == 2


@pytest.mark.parametrize(
    ("quantity", "words"),
    [
        (0, "quantity must be a whole number from 1 to 999"),
        (-1, "quantity must be a whole number from 1 to 999"),
        (1.5, "quantity must be a whole number from 1 to 999"),
        (True, "quantity must be a whole number from 1 to 999"),
        (MAX_QUANTITY + 1, "quantity 1000 is over 999: check the count"),
    ],
)
def test_add_refuses_a_bad_quantity(quantity: object, words: str) -> None:
    cart = Cart()
    with pytest.raises(CartError, match=words):
        cart.add(WATER, code="scan", quantity=quantity)  # type: ignore[arg-type]
    assert cart.lines == ()


def test_add_accepts_the_largest_quantity() -> None:
    assert Cart().add(WATER, code="scan", quantity=MAX_QUANTITY).quantity == MAX_QUANTITY


def test_weighed_item_added_with_add_is_refused() -> None:
    cart = Cart()
    with pytest.raises(CartError, match="苹果 is sold by weight: weigh it on the scale"):
        cart.add(APPLES, code="scan")
    assert cart.lines == ()


# -- weighed labels ------------------------------------------------------------------


def test_weight_label_is_priced_per_kg_rounded_half_up() -> None:
    line = Cart().add_weighed(APPLES, code="2800042003331", weight_grams=333)
    assert line.weight_grams == 333
    assert line.quantity == 1
    # 19.98/kg x 0.333 kg = 6.65334 -> 6.65; member 15.98 x 0.333 = 5.32134 -> 5.32
    assert line.gross_cents(member=False) == 665
    assert line.gross_cents(member=True) == 532


def test_price_label_amount_is_what_everyone_pays() -> None:
    line = Cart().add_weighed(APPLES, code="2000042012349", amount_cents=1234)
    assert line.fixed_amount_cents == 1234
    assert line.gross_cents(member=False) == 1234
    assert line.gross_cents(member=True) == 1234


def test_piece_line_costs_price_times_quantity() -> None:
    line = Cart().add(WATER, code="scan", quantity=4)
    assert line.gross_cents(member=False) == 1400
    assert line.gross_cents(member=True) == 1200


@pytest.mark.parametrize(
    ("weight", "amount"),
    [(None, None), (500, 1000)],
)
def test_scale_label_needs_exactly_one_of_weight_or_amount(
    weight: int | None, amount: int | None
) -> None:
    with pytest.raises(CartError) as refused:
        Cart().add_weighed(APPLES, code="scan", weight_grams=weight, amount_cents=amount)
    assert refused.value.code == "cart.bad_label"


@pytest.mark.parametrize("grams", [0, -5, MAX_WEIGHT_GRAMS + 1])
def test_implausible_weight_is_refused(grams: int) -> None:
    with pytest.raises(CartError, match=f"weight {grams} g is not plausible: weigh again"):
        Cart().add_weighed(APPLES, code="scan", weight_grams=grams)


def test_heaviest_plausible_weight_is_accepted() -> None:
    line = Cart().add_weighed(APPLES, code="scan", weight_grams=MAX_WEIGHT_GRAMS)
    assert line.gross_cents(member=False) == 1998 * 50


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "no usable weight or amount: weigh again"),
        (-1, "label amount cannot be negative"),
        (12.5, "label amount must be a whole number of cents"),
        (MAX_AMOUNT_CENTS + 1, "over the limit"),
    ],
)
def test_bad_label_amount_is_refused(amount: object, words: str) -> None:
    with pytest.raises(CartError, match=words):
        Cart().add_weighed(APPLES, code="scan", amount_cents=amount)  # type: ignore[arg-type]


@pytest.mark.parametrize("grams", [1.5, True])
def test_weight_must_be_whole_grams(grams: object) -> None:
    with pytest.raises(CartError, match="weight"):
        Cart().add_weighed(APPLES, code="scan", weight_grams=grams)  # type: ignore[arg-type]


def test_piece_item_on_a_scale_label_is_refused() -> None:
    with pytest.raises(CartError, match="by the piece"):
        Cart().add_weighed(WATER, code="scan", weight_grams=500)


# -- quantity ------------------------------------------------------------------------


def test_set_quantity_changes_the_last_active_line_by_default() -> None:
    cart = cart_with(WATER, BREAD)
    updated = cart.set_quantity(5)
    assert updated.line_no == 2
    assert updated.quantity == 5
    assert cart.lines[1] == updated
    assert cart.lines[0].quantity == 1


def test_set_quantity_skips_a_voided_last_line() -> None:
    cart = cart_with(WATER, BREAD)
    cart.void()
    assert cart.set_quantity(2).line_no == 1


def test_set_quantity_on_a_named_line() -> None:
    cart = cart_with(WATER, BREAD)
    assert cart.set_quantity(3, line_no=1).sku == WATER.sku


@pytest.mark.parametrize(
    ("quantity", "words"),
    [
        (0, "quantity 0: use void to remove the line"),
        (-2, "from 1 to 999"),
        (MAX_QUANTITY + 1, "quantity 1000 is over 999"),
        (2.0, "from 1 to 999"),
    ],
)
def test_set_quantity_refuses_a_bad_quantity(quantity: object, words: str) -> None:
    cart = cart_with(WATER)
    with pytest.raises(CartError, match=words):
        cart.set_quantity(quantity)  # type: ignore[arg-type]
    assert cart.lines[0].quantity == 1


def test_set_quantity_on_a_weighed_line_is_refused() -> None:
    cart = Cart()
    cart.add_weighed(APPLES, code="scan", weight_grams=500)
    with pytest.raises(CartError, match="苹果 was weighed: scan each label instead"):
        cart.set_quantity(2)


def test_set_quantity_below_the_line_discount_is_refused() -> None:
    cart = cart_with(WATER)
    cart.set_quantity(3)
    cart.discount_line(1000)
    with pytest.raises(CartError) as refused:
        cart.set_quantity(2)
    assert refused.value.code == "cart.discount_over_line"
    assert refused.value.params == {"discount_cents": 1000, "amount_cents": 700}
    assert cart.lines[0].quantity == 3


@pytest.mark.parametrize(
    ("line_no", "words"), [(None, "the cart is empty"), (1, "there is no line 1 to change")]
)
def test_set_quantity_on_an_empty_cart_is_refused(line_no: int | None, words: str) -> None:
    with pytest.raises(CartError, match=words):
        Cart().set_quantity(2, line_no)


def test_set_quantity_on_a_missing_line_names_it() -> None:
    with pytest.raises(CartError, match="there is no line 7 to change"):
        cart_with(WATER).set_quantity(2, line_no=7)


# -- void ----------------------------------------------------------------------------


def test_void_marks_line_and_keeps_it_for_the_journal() -> None:
    cart = cart_with(WATER, BREAD)
    voided = cart.void(line_no=1)
    assert voided.voided
    assert voided.sku == WATER.sku
    assert cart.lines[0] == voided
    assert len(cart.lines) == 2
    assert [line.line_no for line in cart.active_lines] == [2]


def test_void_without_a_number_voids_the_last_active_line() -> None:
    cart = cart_with(WATER, BREAD)
    assert cart.void().line_no == 2
    assert cart.void().line_no == 1
    assert cart.is_empty()
    assert len(cart.lines) == 2


def test_void_on_empty_cart_is_refused() -> None:
    with pytest.raises(CartError, match="the cart is empty"):
        Cart().void()


def test_void_when_every_line_is_voided_says_the_cart_is_empty() -> None:
    cart = cart_with(WATER)
    cart.void()
    with pytest.raises(CartError, match="the cart is empty"):
        cart.void()


def test_voiding_a_line_twice_is_refused() -> None:
    cart = cart_with(WATER, BREAD)
    cart.void(line_no=1)
    with pytest.raises(CartError, match="there is no line 1 to change"):
        cart.void(line_no=1)


# -- discounts -----------------------------------------------------------------------


def test_line_discount_applies_to_the_last_line_by_default() -> None:
    cart = cart_with(WATER, BREAD)
    line = cart.discount_line(200)
    assert (line.line_no, line.discount_cents) == (2, 200)
    assert cart.lines[0].discount_cents == 0


def test_line_discount_may_take_the_whole_line_but_no_more() -> None:
    cart = cart_with(BREAD)
    assert cart.discount_line(1200).discount_cents == 1200
    with pytest.raises(CartError, match=r"discount 12\.01 is more than the line amount 12\.00"):
        cart.discount_line(1201)
    assert cart.lines[0].discount_cents == 1200


def test_line_discount_is_measured_against_the_guest_price() -> None:
    cart = cart_with(WATER)  # 3.50, member 3.00
    assert cart.discount_line(350).discount_cents == 350


def test_line_discount_on_a_price_label_is_capped_by_the_label_amount() -> None:
    cart = Cart()
    cart.add_weighed(APPLES, code="scan", amount_cents=800)
    with pytest.raises(CartError, match="more than the line amount"):
        cart.discount_line(801)


@pytest.mark.parametrize(
    ("cents", "words"),
    [(-1, "discount cannot be negative"), (1.5, "discount must be a whole number of cents")],
)
def test_line_discount_refuses_bad_amounts(cents: object, words: str) -> None:
    with pytest.raises(CartError, match=words):
        cart_with(WATER).discount_line(cents)  # type: ignore[arg-type]


def test_line_discount_on_an_empty_cart_is_refused() -> None:
    with pytest.raises(CartError, match="the cart is empty"):
        Cart().discount_line(100)


def test_order_discount_is_kept_on_the_cart() -> None:
    cart = cart_with(WATER, BREAD)
    cart.discount_order(500, undiscounted_total=1550)
    assert cart.order_discount_cents == 500


def test_order_discount_larger_than_the_total_is_refused() -> None:
    cart = cart_with(WATER)
    with pytest.raises(CartError, match=r"discount 3\.51 is more than the order total 3\.50"):
        cart.discount_order(351, undiscounted_total=350)
    assert cart.order_discount_cents == 0


def test_order_discount_on_an_empty_cart_is_refused() -> None:
    cart = cart_with(WATER)
    cart.void()
    with pytest.raises(CartError, match="the cart is empty"):
        cart.discount_order(10, undiscounted_total=0)


@pytest.mark.parametrize(
    ("cents", "words"),
    [(-5, "discount cannot be negative"), (True, "whole number of cents")],
)
def test_order_discount_refuses_bad_amounts(cents: object, words: str) -> None:
    with pytest.raises(CartError, match=words):
        cart_with(WATER).discount_order(cents, undiscounted_total=350)  # type: ignore[arg-type]


# -- the cart as a whole -------------------------------------------------------------


def test_lines_are_a_read_only_snapshot() -> None:
    cart = cart_with(WATER)
    snapshot = cart.lines
    cart.add(BREAD, code="scan")
    assert len(snapshot) == 1
    assert isinstance(cart.lines, tuple)


def test_cart_rebuilt_from_lines_does_not_share_the_list() -> None:
    lines = list(cart_with(WATER).lines)
    rebuilt = Cart(lines, order_discount_cents=50)
    rebuilt.add(BREAD, code="scan")
    assert len(lines) == 1
    assert rebuilt.order_discount_cents == 50
    assert rebuilt.lines[-1].line_no == 2


@given(carts(), st.booleans())
def test_every_line_costs_whole_non_negative_cents(cart: Cart, member: bool) -> None:
    for line in cart.lines:
        gross = line.gross_cents(member)
        assert type(gross) is int
        assert 0 <= line.discount_cents <= line.gross_cents(member=False)
        assert gross <= line.gross_cents(member=False)


def test_a_second_scan_of_a_piece_item_joins_its_line() -> None:
    cart = Cart()
    cart.add(WATER, code="w", merge=True)
    cart.add(BREAD, code="b", merge=True)
    joined = cart.add(WATER, code="w", merge=True)
    assert joined.line_no == 1 and joined.quantity == 2
    assert [line.quantity for line in cart.lines] == [2, 1]
    # Without merging (the setting off), a new line every time.
    assert cart.add(WATER, code="w").line_no == 3


def test_a_line_with_its_own_discount_or_voided_is_not_joined() -> None:
    cart = Cart()
    cart.add(WATER, code="w", merge=True)
    cart.discount_line(50, 1)
    assert cart.add(WATER, code="w", merge=True).line_no == 2
    cart.void(2)
    assert cart.add(WATER, code="w", merge=True).line_no == 3


def test_joining_stops_at_the_quantity_limit() -> None:
    cart = Cart()
    cart.add(WATER, code="w", quantity=MAX_QUANTITY, merge=True)
    with pytest.raises(CartError):
        cart.add(WATER, code="w", merge=True)
    assert [line.quantity for line in cart.lines] == [MAX_QUANTITY]


@given(st.lists(st.sampled_from(["water", "bread"]), min_size=1, max_size=40))
def test_merged_scans_count_every_item_once(scans: list[str]) -> None:
    cart = Cart()
    for name in scans:
        cart.add(WATER if name == "water" else BREAD, code=name, merge=True)
    assert sum(line.quantity for line in cart.active_lines) == len(scans)
    assert len(cart.lines) == len(set(scans))
