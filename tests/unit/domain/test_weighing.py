"""weighed_amount: a per-kg price times a stable reading, half up to the fen, and every
reading that must not price a sale refused with its reason."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.scale import Weight
from terminal.domain.cart import MAX_WEIGHT_GRAMS, Cart
from terminal.domain.errors import MoneyError
from terminal.domain.weighing import (
    WeighedAmount,
    WeighingRefusal,
    WeighingRefused,
    weighed_amount,
)
from tests.support.domain_builders import piece_item, weighed_item


@dataclass(frozen=True)
class Reading:
    """A scale reading as the helper sees it (any object with these four will do)."""

    grams: int | None
    stable: bool = True
    overload: bool = False
    underload: bool = False


def test_price_per_kg_times_grams_is_the_line_amount() -> None:
    assert weighed_amount(weighed_item(1998), Reading(1000)) == WeighedAmount(1000, 1998, 1998)
    assert weighed_amount(weighed_item(1998), Reading(500)).amount_cents == 999


@pytest.mark.parametrize(
    ("price", "grams", "cents"),
    [
        (1990, 250, 498),  # 497.5 fen: the half goes up
        (1299, 385, 500),  # 500.115 fen: down
        (1299, 386, 501),  # 501.414 fen: down
        (999, 1, 1),  # 0.999 fen: up to one fen
        (100, 4, 0),  # 0.4 fen: nothing, as the cart would charge
        (100, 5, 1),  # 0.5 fen: up
    ],
)
def test_the_amount_is_rounded_half_up_to_the_fen(price: int, grams: int, cents: int) -> None:
    assert weighed_amount(weighed_item(price), Reading(grams)).amount_cents == cents


def test_a_member_pays_the_member_price_per_kg() -> None:
    item = weighed_item(1998, member_price_cents=1598)
    assert weighed_amount(item, Reading(500), member=True) == WeighedAmount(500, 1598, 799)
    assert weighed_amount(item, Reading(500), member=False).amount_cents == 999


@given(
    st.integers(min_value=1, max_value=1_000_000),
    st.integers(min_value=1, max_value=MAX_WEIGHT_GRAMS),
)
def test_the_amount_is_what_the_cart_charges_for_the_same_weight(price: int, grams: int) -> None:
    item = weighed_item(price)
    cart = Cart()
    line = cart.add_weighed(item, code="2800042000000", weight_grams=grams)
    assert weighed_amount(item, Reading(grams)).amount_cents == line.gross_cents(member=False)


def test_the_drivers_weight_is_a_reading_the_helper_takes() -> None:
    assert weighed_amount(weighed_item(1998), Weight.of(250)).amount_cents == 500
    with pytest.raises(WeighingRefused) as refused:
        weighed_amount(weighed_item(1998), Weight.out_of_range(over=True))
    assert refused.value.refusal is WeighingRefusal.OVERLOAD


@pytest.mark.parametrize(
    ("reading", "refusal"),
    [
        (Reading(385, stable=False), WeighingRefusal.UNSTABLE),
        (Reading(None, overload=True), WeighingRefusal.OVERLOAD),
        (Reading(None, stable=False, overload=True), WeighingRefusal.OVERLOAD),
        (Reading(None, underload=True), WeighingRefusal.UNDERLOAD),
        (Reading(0), WeighingRefusal.NO_WEIGHT),
        (Reading(None), WeighingRefusal.NO_WEIGHT),
        (Reading(-20), WeighingRefusal.NEGATIVE),
        (Reading(MAX_WEIGHT_GRAMS + 1), WeighingRefusal.OVER_MAX),
    ],
)
def test_a_reading_that_must_not_price_a_sale_is_refused_with_its_reason(
    reading: Reading, refusal: WeighingRefusal
) -> None:
    with pytest.raises(WeighingRefused) as refused:
        weighed_amount(weighed_item(1998), reading)
    assert refused.value.refusal is refusal
    assert refused.value.reason.code == str(refusal)


def test_the_scale_capacity_can_lower_the_maximum() -> None:
    item = weighed_item(1998)
    assert weighed_amount(item, Reading(15_000), max_grams=15_000).grams == 15_000
    with pytest.raises(WeighingRefused) as refused:
        weighed_amount(item, Reading(15_001), max_grams=15_000)
    assert refused.value.params == {"weight_grams": 15_001, "max_grams": 15_000}
    assert str(refused.value) == (
        "15001 g is over the 15000 g this till accepts on one line: weigh in parts"
    )


@pytest.mark.parametrize("max_grams", [0, MAX_WEIGHT_GRAMS + 1])
def test_a_maximum_above_what_the_cart_accepts_is_a_programming_error(max_grams: int) -> None:
    with pytest.raises(ValueError, match="max_grams"):
        weighed_amount(weighed_item(1998), Reading(100), max_grams=max_grams)


def test_an_item_sold_by_the_piece_is_refused() -> None:
    with pytest.raises(WeighingRefused) as refused:
        weighed_amount(piece_item(350), Reading(500))
    assert refused.value.refusal is WeighingRefusal.SOLD_BY_PIECE
    assert refused.value.params == {"name": "矿泉水"}


def test_an_amount_over_the_money_limit_is_a_money_error() -> None:
    with pytest.raises(MoneyError):
        weighed_amount(weighed_item(1_000_000_000), Reading(MAX_WEIGHT_GRAMS))


def test_every_refusal_has_english_for_the_log() -> None:
    params = {"name": "苹果", "weight_grams": -5, "max_grams": 100}
    for refusal in WeighingRefusal:
        text = str(WeighingRefused(refusal, **params))
        assert text and "{" not in text
