"""How long the shift's reports take on a busy day.

Run: .venv/bin/python -m tests.bench.bench_shift_report [--orders 10000] [--json]

A store with ``--orders`` paid cash orders in one open shift (rung up through the
terminal's own order code), then: the X report (figures so far), and closing the shift
with the cash counted (the Z report computed and written, with its outbox entries, in
one transaction). Prints seconds for each.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from terminal.app.shifts import ShiftService
from terminal.storage.database import open_store
from tests.support.orders import add_paid_orders


def run(orders: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory(prefix="bench-shift-") as tmp:
        path = Path(tmp) / "till.db"
        db = open_store(path)
        shifts = ShiftService(db, "T01")
        shifts.open(50_000, "bench")
        db.close()
        total = add_paid_orders(path, "T01", orders)
        db = open_store(path)
        shifts = ShiftService(db, "T01")
        started = time.perf_counter()
        x = shifts.x_report()
        x_s = time.perf_counter() - started
        cash = x.figures.cash_expected_cents
        started = time.perf_counter()
        z = shifts.close(cash, "bench")
        z_s = time.perf_counter() - started
        db.close()
    assert z.variance_cents == 0 and cash == 50_000 + total
    return {"orders": orders, "x_report_s": round(x_s, 3), "z_close_s": round(z_s, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.orders)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:>12}: {value}")


if __name__ == "__main__":
    main()
