"""Catalog items: the rules a sellable item must meet, and which price a customer pays."""

from __future__ import annotations

import pytest
from hypothesis import given

from terminal.domain.catalog import MAX_NAME_LENGTH, CatalogItem, Unit, plu_sku
from terminal.domain.errors import InvalidCatalogItem
from terminal.domain.money import MAX_AMOUNT_CENTS
from tests.support.domain_builders import piece_item, piece_items, weighed_item, weighed_items


def item(**changes: object) -> CatalogItem:
    fields: dict[str, object] = {
        "sku": "06901234567892",
        "name_zh": "矿泉水",
        "name_en": "Mineral water",
        "price_cents": 350,
        "tax_rate_bp": 1300,
        "barcode": "6901234567892",
    }
    fields.update(changes)
    return CatalogItem(**fields)  # type: ignore[arg-type]


def test_a_piece_item_is_sold_each_by_default() -> None:
    water = item()
    assert water.unit is Unit.EACH
    assert water.member_price_cents is None


def test_weighed_item_is_keyed_by_its_plu() -> None:
    assert plu_sku("00042") == "PLU00042"
    apples = weighed_item(plu="00042")
    assert apples.sku == "PLU00042"
    assert apples.unit is Unit.KG


def test_name_prefers_chinese_and_falls_back_to_english() -> None:
    assert item().name == "矿泉水"
    assert item(name_zh="").name == "Mineral water"


def test_member_pays_the_member_price_and_a_guest_the_regular_one() -> None:
    water = item(price_cents=350, member_price_cents=300)
    assert water.price_for(member=True) == 300
    assert water.price_for(member=False) == 350


def test_member_pays_the_regular_price_when_there_is_no_member_price() -> None:
    assert item(price_cents=350).price_for(member=True) == 350


@given(piece_items())
def test_member_price_is_never_above_the_guest_price(water: CatalogItem) -> None:
    assert water.price_for(member=True) <= water.price_for(member=False)


@given(weighed_items())
def test_weighed_items_always_have_a_plu(apples: CatalogItem) -> None:
    assert apples.plu
    assert apples.sku == plu_sku(apples.plu)


@pytest.mark.parametrize(
    "changes",
    [
        {"tax_rate_bp": 0},
        {"tax_rate_bp": 9_999},
        {"price_cents": 1},
        {"price_cents": MAX_AMOUNT_CENTS},
        {"member_price_cents": 350},
        {"name_zh": "水" * MAX_NAME_LENGTH},
        {"name_zh": "", "name_en": "Water"},
    ],
)
def test_boundary_values_are_accepted(changes: dict[str, object]) -> None:
    item(**changes)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"sku": ""}, "neither a barcode nor a PLU"),
        ({"name_zh": "", "name_en": ""}, "has no name"),
        ({"name_zh": "  ", "name_en": "\t"}, "has no name"),
        ({"name_zh": "水" * (MAX_NAME_LENGTH + 1)}, f"name longer than {MAX_NAME_LENGTH}"),
        ({"name_en": "w" * (MAX_NAME_LENGTH + 1)}, f"name longer than {MAX_NAME_LENGTH}"),
        ({"price_cents": 0}, "zero price"),
        ({"price_cents": -1}, "cannot be negative"),
        ({"price_cents": 3.5}, "whole number of cents"),
        ({"price_cents": True}, "whole number of cents"),
        ({"price_cents": MAX_AMOUNT_CENTS + 1}, "over the limit"),
        ({"member_price_cents": 351}, r"member price 3\.51 is above the regular price 3\.50"),
        ({"member_price_cents": -1}, "member price .* cannot be negative"),
        ({"member_price_cents": 2.5}, "whole number of cents"),
        ({"tax_rate_bp": 10_000}, "tax rate must be 0-9999 basis points"),
        ({"tax_rate_bp": -1}, "tax rate must be 0-9999 basis points"),
        ({"tax_rate_bp": 13.0}, "tax rate must be 0-9999 basis points"),
        ({"tax_rate_bp": True}, "tax rate must be 0-9999 basis points"),
        ({"unit": Unit.KG}, "needs a PLU code for the scale"),
    ],
)
def test_an_item_that_breaks_a_rule_is_refused_with_the_reason(
    changes: dict[str, object], words: str
) -> None:
    with pytest.raises(InvalidCatalogItem, match=words):
        item(**changes)


def test_errors_name_the_item_by_its_barcode() -> None:
    with pytest.raises(InvalidCatalogItem, match="item 6901234567892 has a zero price"):
        item(price_cents=0)


def test_errors_name_a_weighed_item_by_its_plu() -> None:
    with pytest.raises(InvalidCatalogItem, match="item 00042 has a zero price"):
        weighed_item(0, plu="00042")


def test_items_are_immutable() -> None:
    water = piece_item()
    with pytest.raises(AttributeError):
        water.price_cents = 1  # type: ignore[misc]


def test_a_zero_member_price_is_refused_like_a_zero_price() -> None:
    with pytest.raises(InvalidCatalogItem, match="zero price"):
        piece_item(200, member_price_cents=0)
