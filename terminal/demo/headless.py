"""The headless demo: a fresh store, the demo catalog, a few scripted cash sales, receipts.

It drives the same ``CheckoutSession`` and script runner as a real till, against a
throw-away database, so what it prints is what the product does.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO

from sqlite_utils import Database

from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.app.checkout import CheckoutSession
from terminal.app.checkout_script import run_script
from terminal.app.receipt import render_receipt
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository


def prepare_store(path: Path) -> None:
    """A store at ``path`` holding the demo catalog."""
    db = open_store(path)
    try:
        CatalogRepository(db).upsert(read_catalog(DEMO_CATALOG), utc_now())
    finally:
        db.close()


def demo_script(settings: Settings) -> list[str]:
    """Three sales over items of the bundled catalog, with a scale label from this layout."""
    layout = settings.weighed_layout
    bananas = layout.build_code("00101", 1470 if layout.value == "price" else 1235)
    apples = layout.build_code("00102", 1017 if layout.value == "price" else 640)
    return [
        "# sale 1: water, three colas, cash with change",
        "scan 6910263003875",
        "scan 6979104402918",
        "qty 3",
        "scan 6923036203839",
        "pay cash 5000",
        "# sale 2: fruit from the scale, a mistaken scan voided, a discount, two cash notes",
        f"scan {bananas}",
        f"scan {apples}",
        "scan 6951929701551",
        "scan 6951929701841",
        "void",
        "discount 100",
        "pay cash 2000",
        "pay cash 5000",
        "# sale 3: a typo is refused, the till goes on; exact cash",
        "scan 6910263003876",
        "scan 6951929701674",
        "discount line 50",
        "pay cash 700",
    ]


def run_demo(db: Database, settings: Settings, out: TextIO) -> int:
    catalog = CatalogRepository(db)
    orders = OrderRepository(db)
    loaded = catalog.upsert(read_catalog(DEMO_CATALOG), utc_now())
    out.write(f"Loaded {loaded} demo items into the store.\n\n")
    session = CheckoutSession(orders=orders, catalog=catalog, settings=settings)
    refused = io.StringIO()
    printed = io.StringIO()
    report = run_script(demo_script(settings), session, printed, refused, "demo")
    for order_no in report.paid:
        out.write(render_receipt(orders.load(order_no), settings) + "\n\n")
    for line in refused.getvalue().splitlines():
        out.write(f"(refused, as a real till would: {line})\n")
    out.write(f"\n{len(report.paid)} sales paid in cash. ")
    return len(report.paid)


def fresh_demo_db_path(base: Path) -> Path:
    """The demo starts from an empty store each time."""
    path = base / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path
