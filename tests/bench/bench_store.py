"""Store benchmark: what durability costs, and how start-up scales with history.

Run: .venv/bin/python -m tests.bench.bench_store [--orders 2000] [--history 100000]

Prints, for synchronous=FULL, NORMAL and OFF (WAL mode throughout):
- whole sales per second through the real CheckoutSession (open, 3 scans, cash, close);
- p50/p99 latency of the closing commit (order PAID + payment + outbox entry, one
  transaction), the commit that must be on disk before the till prints PAID;
and the start-up time of a till (open, migrate check, recovery) with --history orders.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.app.checkout import CheckoutSession
from terminal.app.recovery import recover_unfinished
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import Synchronous, open_store, write_transaction
from terminal.storage.orders import OrderRepository

ITEMS = ["6910263003875", "6979104402918", "6923036203839"]


class TimedOrders(OrderRepository):
    """The real repository, timing each closing commit."""

    close_ms: list[float]

    def close(self, order, now):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        super().close(order, now)
        self.close_ms.append((time.perf_counter() - started) * 1000)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_sales(folder: Path, synchronous: Synchronous, count: int) -> dict[str, float]:
    db = open_store(folder / f"sales-{synchronous}.db", synchronous=synchronous)
    catalog = CatalogRepository(db)
    catalog.upsert(read_catalog(DEMO_CATALOG), utc_now())
    orders = TimedOrders(db)
    orders.close_ms = []
    session = CheckoutSession(orders=orders, catalog=catalog, settings=Settings())
    started = time.perf_counter()
    for _ in range(count):
        for code in ITEMS:
            session.scan(code)
        session.pay_cash(10_000)
    elapsed = time.perf_counter() - started
    db.close()
    return {
        "sales_per_s": count / elapsed,
        "close_p50_ms": statistics.median(orders.close_ms),
        "close_p99_ms": percentile(orders.close_ms, 99),
    }


def build_history(path: Path, orders: int) -> None:
    """Copy one real sale's rows ``orders`` times in one transaction (fast to build)."""
    db = open_store(path, synchronous="OFF")
    catalog = CatalogRepository(db)
    catalog.upsert(read_catalog(DEMO_CATALOG), utc_now())
    repo = OrderRepository(db)
    session = CheckoutSession(orders=repo, catalog=catalog, settings=Settings())
    for code in ITEMS:
        session.scan(code)
    template = session.pay_cash(10_000).order.order_no
    with write_transaction(db):
        for n in range(2, orders + 1):
            new_no = f"T01-20250101-{n:06d}"
            params = {"old": template, "new": new_no, "seq": n}
            db.execute(
                "INSERT INTO orders SELECT :new, device_id, '2025-01-01', :seq, state, opened_at,"
                " closed_at, updated_at, member_id, order_discount_cents, subtotal_cents,"
                " discount_cents, tax_cents, total_cents, paid_cents, cancel_reason"
                " FROM orders WHERE order_no = :old",
                params,
            )
            db.execute(
                "INSERT INTO order_lines SELECT :new, line_no, sku, scanned_code, name_zh, name_en,"
                " unit, tax_rate_bp, unit_price_cents, member_price_cents, quantity, weight_grams,"
                " fixed_amount_cents, discount_cents, voided"
                " FROM order_lines WHERE order_no = :old",
                params,
            )
            db.execute(
                "INSERT INTO payments SELECT :new || '-p', :new, method, state, amount_cents,"
                " tendered_cents, change_cents, provider, trade_no, created_at, updated_at"
                " FROM payments WHERE order_no = :old",
                params,
            )
            db.execute(
                "INSERT INTO outbox (kind, aggregate_type, aggregate_id, idempotency_key, payload,"
                " state, created_at, sent_at) SELECT kind, aggregate_type, :new, :new, payload,"
                " 'sent', created_at, created_at FROM outbox WHERE aggregate_id = :old",
                params,
            )
    db.close()


def bench_startup(path: Path, runs: int = 5) -> dict[str, float]:
    in_process = []
    for _ in range(runs):
        started = time.perf_counter()
        db = open_store(path)
        recover_unfinished(OrderRepository(db), utc_now())
        CatalogRepository(db).count()
        in_process.append((time.perf_counter() - started) * 1000)
        db.close()
    empty = path.parent / "empty-script.txt"
    empty.write_text("")
    command = [
        sys.executable,
        "-m",
        "terminal",
        "checkout",
        "--headless",
        "--script",
        str(empty),
        "--db",
        str(path),
    ]
    whole = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        whole.append((time.perf_counter() - started) * 1000)
    return {
        "open_and_recover_ms": statistics.median(in_process),
        "process_start_to_ready_ms": statistics.median(whole),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000, help="sales per durability level")
    parser.add_argument("--history", type=int, default=100_000, help="orders for start-up")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"sales through CheckoutSession, {args.orders} each (3 scans + cash + close):")
        print(f"  {'synchronous':<12}{'sales/s':>10}{'close p50 ms':>15}{'close p99 ms':>15}")
        for level in ("FULL", "NORMAL", "OFF"):
            r = bench_sales(folder, level, args.orders)  # type: ignore[arg-type]
            print(
                f"  {level:<12}{r['sales_per_s']:>10.0f}{r['close_p50_ms']:>15.2f}"
                f"{r['close_p99_ms']:>15.2f}"
            )
        history = folder / "history.db"
        started = time.perf_counter()
        build_history(history, args.history)
        size_mb = history.stat().st_size / 1e6
        print(
            f"\nstart-up with {args.history} orders in the store "
            f"({size_mb:.0f} MB, built in {time.perf_counter() - started:.0f} s):"
        )
        r = bench_startup(history)
        print(f"  open + migrations check + recovery: {r['open_and_recover_ms']:.1f} ms")
        print(
            f"  whole process to ready (python start, imports, store): "
            f"{r['process_start_to_ready_ms']:.0f} ms"
        )


if __name__ == "__main__":
    main()
