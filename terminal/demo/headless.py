"""The headless demo: a fresh store, the demo catalog, a few scripted cash sales, receipts.

It drives the same ``Till`` and script runner as a real till, against a throw-away
database, so what it prints is what the product does.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO

from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.app.checkout_script import WAIT_S, run_script
from terminal.app.till import Till
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import open_store


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


def run_demo(path: Path, settings: Settings, out: TextIO) -> int:
    """Load the demo catalog into the store at ``path``, ring the demo's sales up through a
    ``Till`` and print their receipts; returns how many sales were paid."""
    prepare_store(path)
    till = Till(path, settings)
    till.on_error(lambda _error: None)  # the script reports refused lines itself
    try:
        till.start().wait(WAIT_S)
        out.write(f"Loaded {till.catalog_size().wait(WAIT_S)} demo items into the store.\n\n")
        refused = io.StringIO()
        printed = io.StringIO()
        report = run_script(demo_script(settings), till, printed, refused, "demo")
        for order_no in report.paid:
            out.write(till.receipt(order_no).wait(WAIT_S) + "\n\n")
    finally:
        till.stop()
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
