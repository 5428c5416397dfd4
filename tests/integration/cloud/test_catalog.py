"""Catalog pulls by cursor: everything once, then only what changed."""

from __future__ import annotations

from typing import Any

from deploy.cloud import admin
from tests.support.cloud_api import Cloud
from tests.support.cloud_keys import VAULT

WATER = "6910263003875"


def pull_all(device_http: Any, cursor: int = 0, limit: int = 90) -> tuple[list[Any], int]:
    items: list[Any] = []
    while True:
        answer = device_http.get("/v1/catalog", params={"cursor": cursor, "limit": limit})
        assert answer.status_code == 200, answer.text
        page = answer.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return items, cursor


def test_pull_by_cursor_gets_everything_then_only_the_changed_item(cloud: Cloud) -> None:
    store = cloud.new_store(seed=True)
    device = cloud.new_device(store)
    csv_rows = admin.read_catalog_csv()
    items, cursor = pull_all(device.http)
    assert len(items) == len(csv_rows) == 204
    water = next(item for item in items if item["barcode"] == WATER)
    assert water == {
        "barcode": WATER,
        "plu": None,
        "name_zh": "农夫山泉 饮用天然水 550ml",
        "name_en": "Nongfu Spring Natural Water 550ml",
        "category": "drinks",
        "price_cents": 200,
        "member_price_cents": None,
        "tax_rate_bp": 1300,
        "unit": "each",
        "deleted": False,
    }
    assert any(item["unit"] == "kg" and item["plu"] for item in items)

    nothing, same_cursor = pull_all(device.http, cursor)
    assert nothing == [] and same_cursor == cursor

    assert admin.upsert_catalog(cloud.db, store, [{**water, "price_cents": 250}]) == 1
    assert admin.seed(cloud.db, store, vault=VAULT)["catalog_changed"] == 1  # seeding puts 200 back
    admin.upsert_catalog(cloud.db, store, [{**water, "price_cents": 260}])
    changed, _ = pull_all(device.http, cursor)
    assert changed == [{**water, "price_cents": 260}]


def test_catalog_of_another_store_is_not_visible(cloud: Cloud) -> None:
    cloud.new_store(seed=True)
    device = cloud.new_device()  # an empty store
    page = device.http.get("/v1/catalog").json()
    assert page == {"items": [], "next_cursor": 0, "has_more": False}


def test_catalog_paging_parameters_are_checked(cloud: Cloud) -> None:
    device = cloud.new_device()
    for params in ({"limit": 0}, {"limit": 1001}, {"cursor": -1}, {"cursor": "abc"}):
        answer = device.http.get("/v1/catalog", params=params)
        assert answer.status_code == 422, params
        assert answer.json()["error"] == "invalid"
