"""Cloud and sync benchmark, over loopback against the real reference server.

Run: .venv/bin/python -m tests.bench.bench_cloud [--backlog 10000] [--terminals 50]

For SQLite and PostgreSQL (a throw-away cluster, if the server binaries are installed):
- drain rate of a backlog of orders from one terminal (orders/s, exactly-once checked);
- the server under ``--terminals`` simulated terminals, each pushing orders and pulling
  the member stream at once: requests/s and p50/p99 latency per kind.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from terminal.domain.order import Order
from terminal.domain.order_document import order_to_document
from terminal.domain.payment import cash_payment
from terminal.storage.database import open_store
from terminal.sync.client import CloudClient
from terminal.sync.outbound import OutboxSender
from tests.support.cloud_keys import VAULT, server_environment
from tests.support.orders import ITEMS, add_paid_orders
from tests.support.postgres_cluster import PostgresCluster, find_bin_dir, free_port


def start_server(db_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.cloud", "serve", "--db", db_url, "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=log.open("ab"), env=server_environment(),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def register(url: str, cloud: CloudDatabase) -> dict[str, str]:
    with CloudClient(url) as client:
        return client.register(admin.create_code(cloud, "S001"))


def bench_drain(url: str, cloud: CloudDatabase, folder: Path, backlog: int) -> float:
    device = register(url, cloud)
    db_path = folder / f"till-{device['device_id']}.db"
    add_paid_orders(db_path, device["device_id"], backlog)
    db = open_store(db_path)
    started = time.perf_counter()
    with CloudClient(url, device["token"]) as client:
        report = OutboxSender(db, client).drain(max_entries=backlog)
    elapsed = time.perf_counter() - started
    stored = [d for d in admin.export_orders(cloud) if d["device_id"] == device["device_id"]]
    assert report.sent == backlog == len(stored) == len({d["order_no"] for d in stored})
    return backlog / elapsed


def document(device_id: str, seq: int) -> dict[str, object]:
    now = datetime.now(UTC)
    order = Order(order_no=f"{device_id}-20261122-{seq:04d}", device_id=device_id,
                  business_date=date(2026, 11, 22), opened_at=now)  # fmt: skip
    order.cart.add(ITEMS[seq % len(ITEMS)], code=ITEMS[seq % len(ITEMS)].barcode or "")
    order.start_tender()
    order.add_payment(cash_payment(payment_id=f"p-{device_id}-{seq}", order_no=order.order_no,
                                   balance_due=order.balance_due_cents,
                                   tendered_cents=order.balance_due_cents, now=now))  # fmt: skip
    order.complete(now)
    return order_to_document(order)


def bench_terminals(url: str, cloud: CloudDatabase, terminals: int, per_terminal: int) -> str:
    devices = [register(url, cloud) for _ in range(terminals)]
    latencies: dict[str, list[float]] = {"push order": [], "pull members": []}
    lock = threading.Lock()
    failures: list[str] = []

    def terminal(device: dict[str, str]) -> None:
        headers = {"Authorization": f"Bearer {device['token']}"}
        with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
            for seq in range(1, per_terminal + 1):
                body = document(device["device_id"], seq)
                for kind in ("push order", "pull members"):
                    started = time.perf_counter()
                    if kind == "push order":
                        answer = http.put(f"/v1/orders/{body['order_no']}", json=body)
                    else:
                        answer = http.get("/v1/members", params={"cursor": 0})
                    took = (time.perf_counter() - started) * 1000
                    with lock:
                        latencies[kind].append(took)
                        if answer.status_code >= 300:
                            failures.append(f"{kind}: {answer.status_code}")

    threads = [threading.Thread(target=terminal, args=(d,)) for d in devices]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(len(v) for v in latencies.values())
    lines = [f"  {terminals} terminals, {total} requests in {elapsed:.1f} s: "
             f"{total / elapsed:.0f} requests/s, {len(failures)} failed"]  # fmt: skip
    for kind, values in latencies.items():
        ordered = sorted(values)
        p99 = ordered[int(0.99 * (len(ordered) - 1))]
        lines.append(f"  {kind:<13} p50 {statistics.median(values):6.1f} ms   p99 {p99:6.1f} ms")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backlog", type=int, default=10_000)
    parser.add_argument("--terminals", type=int, default=50)
    parser.add_argument("--per-terminal", type=int, default=20, help="orders per terminal")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        databases = [("sqlite", str(folder / "cloud.db"))]
        bin_dir = find_bin_dir()
        cluster = PostgresCluster.start(bin_dir) if bin_dir else None
        if cluster is not None:
            databases.append(("postgresql", cluster.new_database("bench")))
        try:
            for kind, url_of_db in databases:
                cloud = CloudDatabase(url_of_db)
                admin.seed(cloud, "S001", vault=VAULT)
                for n in range(200):  # a gallery to pull: members with balances
                    admin.create_member(cloud, "S001", display_name=f"Member {n}", vault=VAULT)
                proc, url = start_server(url_of_db, folder / f"{kind}.log")
                try:
                    rate = bench_drain(url, cloud, folder, args.backlog)
                    print(f"{kind}: drain of {args.backlog} queued orders: {rate:.0f} orders/s")
                    print(bench_terminals(url, cloud, args.terminals, args.per_terminal))
                finally:
                    proc.kill()
                    proc.wait()
                    cloud.close()
        finally:
            if cluster is not None:
                cluster.stop()


if __name__ == "__main__":
    main()
