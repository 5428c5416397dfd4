"""The till against a cloud that is slow or gone: does the cashier wait?

Run: .venv/bin/python -m tests.bench.bench_till_cloud [--scans 200] [--delay 10] [--json]

The reference cloud runs in its own process behind a fault proxy; a registered ``Till``
(store thread + cloud thread) talks to it. Prints:
- scan-to-cart p50/p99 of the next customer's scans while the pending-payments queue
  asks a cloud that holds every answer ``--delay`` seconds (a parked sale's unknown
  wallet payment being queried on the cloud thread);
- how fast a change to the sale whose wallet payment is out is refused (p50/p99);
- time from a payment's call to the offline flag: cloud refused (nothing listening) and
  cloud black-holed (connection taken, no answer: the HTTP timeout decides).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import statistics
import tempfile
import time
from pathlib import Path

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.app.till import Till
from terminal.clock import utc_now
from terminal.config import Settings, SyncSection
from terminal.errors import TillError
from terminal.payments.wallet import PollSchedule
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import open_store
from terminal.sync.status import SyncStatus, record_success
from tests.support.cloud_keys import VAULT
from tests.support.cloud_process import CloudProcess
from tests.support.fault_proxy import FaultProxy
from tests.support.registered_till import register_till

ITEMS = ["6910263003875", "6979104402918", "6923036203839", "6910263003905"]
WECHAT = "134567890123456781"


def pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--delay", type=float, default=10.0, help="slow cloud: seconds")
    parser.add_argument("--timeout", type=float, default=3.0, help="the till's HTTP timeout")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-till-cloud-") as tmp:
        folder = Path(tmp)
        cloud_db = CloudDatabase(str(folder / "cloud.db"))
        admin.seed(cloud_db, "S001", vault=VAULT)
        server = CloudProcess(str(folder / "cloud.db"), folder / "cloud.log")
        server.start()
        try:
            till = register_till(
                server.url, admin.create_code(cloud_db, "S001"), folder / "till.db", utc_now()
            )
            db = open_store(till.db_path)
            CatalogRepository(db).upsert(read_catalog(DEMO_CATALOG), utc_now())
            db.close()
            with FaultProxy(server.port) as proxy:
                registration = dataclasses.replace(till.registration, cloud_url=proxy.url)
                settings = Settings(
                    device_id=registration.device_id,
                    db_path=till.db_path,
                    sync=SyncSection(timeout_s=args.timeout),
                )
                app = Till(
                    till.db_path,
                    settings,
                    registration=registration,
                    wallet_schedule=PollSchedule(interval_s=0.2, total_s=0.4),
                )
                app.on_error(lambda _error: None)
                statuses: list[tuple[float, SyncStatus]] = []
                app.on_sync_status(lambda s: statuses.append((time.monotonic(), s)))
                app.start().wait(10)
                try:
                    results.update(measure(app, proxy, statuses, args))
                finally:
                    app.stop()
        finally:
            server.kill()
            cloud_db.close()
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for key, value in results.items():
        print(f"{key:48s} {value:10.1f}")


def measure(
    app: Till,
    proxy: FaultProxy,
    statuses: list[tuple[float, SyncStatus]],
    args: argparse.Namespace,
) -> dict[str, float]:
    out: dict[str, float] = {}
    # A wallet payment into a black hole: the sale's changes are refused, at once.
    app.scan(ITEMS[0]).wait(5)
    proxy.set("blackhole")
    started = time.monotonic()
    paying = app.pay_code(WECHAT)
    refused_ms = []
    while not paying.done and len(refused_ms) < 200:
        asked = time.perf_counter()
        with contextlib.suppress(TillError):
            app.scan(ITEMS[1]).wait(5)
        refused_ms.append((time.perf_counter() - asked) * 1000)
        time.sleep(0.005)
    out["refusal while the payment is out p50 (ms)"] = statistics.median(refused_ms)
    out["refusal while the payment is out p99 (ms)"] = pct(refused_ms, 99)
    with contextlib.suppress(TillError):
        paying.wait(60)
    offline = [t for t, s in statuses if s.online is False]
    out["black-holed: call to offline flag (s)"] = (offline[0] - started) if offline else -1
    app.park().wait(5)

    # The next customer while the queue asks a slow (but reachable) cloud.
    proxy.set("delay", delay_s=args.delay)
    mark_online(app)
    resolving = app.resolve_pending()
    scan_ms = []
    for n in range(args.scans):
        asked = time.perf_counter()
        app.scan(ITEMS[n % len(ITEMS)]).wait(5)
        scan_ms.append((time.perf_counter() - asked) * 1000)
    out["scan to cart, queue asking a slow cloud p50 (ms)"] = statistics.median(scan_ms)
    out["scan to cart, queue asking a slow cloud p99 (ms)"] = pct(scan_ms, 99)
    out["queue still waiting on the cloud after the scans"] = 0.0 if resolving.done else 1.0
    app.pay_cash(None).wait(5)
    resolving.wait(120)

    # Refused (nothing listening behind the proxy): the flag flips on the first call.
    proxy.set("pass")
    mark_online(app)
    statuses.clear()
    app.scan(ITEMS[0]).wait(5)
    proxy.set("drop")
    started = time.monotonic()
    with contextlib.suppress(TillError):
        app.pay_code(WECHAT).wait(60)
    offline = [t for t, s in statuses if s.online is False]
    out["refused/reset: call to offline flag (s)"] = (offline[0] - started) if offline else -1
    return out


def mark_online(app: Till) -> None:
    """What the sync worker records on its next successful cycle."""
    db = open_store(app.db_path)
    record_success(db, utc_now())
    db.close()


if __name__ == "__main__":
    main()
