"""Finding what a scanned code names in the catalog, and how it goes into the cart: a
product (GTIN), a scale label (PLU with weight or price), or a GS1-128 code that carries
a GTIN (with a net weight or a price for goods sold by weight).

What must not live here: classifying the scan (``terminal/domain/codes``), the order.
"""

from __future__ import annotations

from collections.abc import Callable

from terminal.domain.cart import CartLine
from terminal.domain.catalog import CatalogItem, Unit
from terminal.domain.codes import ScannedGs1, ScannedProduct, ScannedWeighed
from terminal.domain.errors import UnknownItem
from terminal.domain.order import Order
from terminal.storage.catalog import CatalogRepository

AddToOrder = Callable[[Order, CatalogItem], CartLine]


def resolve_item(
    catalog: CatalogRepository,
    code: ScannedProduct | ScannedWeighed | ScannedGs1,
    *,
    merge: bool = False,
) -> tuple[CatalogItem, AddToOrder]:
    """The item ``code`` names and how to add it (``merge``: a piece-priced item onto its
    line already in the cart); ``UnknownItem`` when there is none."""
    if isinstance(code, ScannedWeighed):
        weighed = code.code
        item = catalog.by_plu(weighed.plu)
        if item is None:
            raise UnknownItem("item.unknown_plu", plu=weighed.plu)
        return item, lambda o, i: o.cart.add_weighed(
            i,
            code=weighed.raw,
            weight_grams=weighed.weight_grams,
            amount_cents=weighed.price_cents,
        )
    gtin, raw = (
        (code.message.gtin_key, code.message.raw)
        if isinstance(code, ScannedGs1)
        else (code.gtin_key, code.raw)
    )
    if gtin is None:
        raise UnknownItem("item.no_gtin")
    item = catalog.by_sku(gtin)
    if item is None:
        raise UnknownItem("item.unknown", code=raw)
    if isinstance(code, ScannedGs1) and item.unit is Unit.KG:
        message = code.message
        return item, lambda o, i: o.cart.add_weighed(
            i, code=raw, weight_grams=message.net_weight_grams, amount_cents=message.price_cents
        )
    return item, lambda o, i: o.cart.add(i, code=raw, merge=merge)
