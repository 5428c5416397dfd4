"""What the cloud's own checks cost: verified face pay, sealed member pulls, enrollment
against a sealed gallery.

Run: .venv/bin/python -m tests.bench.bench_cloud_trust [--members 2000] [--pays 200] [--json]

The reference cloud on SQLite in a temp folder, served by uvicorn in this process, over
real HTTP. Prints:
- face pay round trip p50/p99 (the probe checked 1:1 against the member's templates,
  opened with the member's key, then the limits and the debit);
- a full member pull (``--members`` members, 500 a page, each template sealed under the
  gallery key) in seconds and members per second;
- one enrollment's round trip against a store of ``--members`` faces (the duplicate check
  opens every template of the store: it grows with the store).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import uvicorn

from deploy.cloud import admin
from deploy.cloud.app import create_app
from deploy.cloud.database import Database
from tests.support.cloud_keys import MASTER_KEY, VAULT
from tests.support.enrollments import MODEL, consents, template
from tests.support.postgres_cluster import free_port


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def serve(db_url: str) -> tuple[uvicorn.Server, threading.Thread, str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(db_url, master_key=MASTER_KEY),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


def faces(count: int, seed: int = 1) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, 128)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def run(members: int, pays: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-trust-") as tmp:
        db_url = str(Path(tmp) / "cloud.db")
        db = Database(db_url)
        admin.create_store(db, "S001")
        admin.set_config(db, "S001", face_pay_velocity_count=1_000_000,
                         face_pay_member_daily_cents=10**12,
                         face_pay_device_daily_cents=10**12)  # fmt: skip
        gallery = faces(members)
        started = time.perf_counter()
        ids = []
        for n in range(members):
            member_id = admin.create_member(db, "S001", display_name=f"M{n}**",
                                            phone=f"139{n:08d}", balance_cents=10**9,
                                            vault=VAULT)  # fmt: skip
            admin.add_member_template(db, "S001", member_id, MODEL, gallery[n].tobytes(),
                                      vault=VAULT)  # fmt: skip
            ids.append(member_id)
        seed_s = time.perf_counter() - started
        server, thread, url = serve(db_url)
        try:
            code = admin.create_code(db, "S001")
            device = httpx.post(f"{url}/v1/devices/register", json={"code": code}).json()
            http = httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {device['token']}"}, timeout=30
            )
            pay_ms = []
            for n in range(pays):
                member = n % members
                body = {
                    "payment_id": str(uuid.uuid4()),
                    "order_no": f"{device['device_id']}-20261208-{n + 1:04d}",
                    "member_id": ids[member],
                    "amount_cents": 1,
                    "probe": template(gallery[member]),
                    "liveness": 0.95,
                }
                t0 = time.perf_counter()
                answer = http.post("/v1/payments/face", json=body).json()
                pay_ms.append((time.perf_counter() - t0) * 1000)
                assert answer["state"] == "SUCCESS", answer
            t0 = time.perf_counter()
            cursor, pulled = 0, 0
            while True:
                page = http.get("/v1/members", params={"cursor": cursor, "limit": 500}).json()
                pulled += len(page["changes"])
                cursor = page["next_cursor"]
                if not page["has_more"]:
                    break
            pull_s = time.perf_counter() - t0
            enroll_ms = []
            for n in range(5):
                body = {
                    "enrollment_id": str(uuid.uuid4()),
                    "member_id": str(uuid.uuid4()),
                    "display_name": None,
                    "phone_last4": None,
                    "templates": [template(faces(1, seed=1000 + n)[0])],
                    "consents": consents(device["device_id"]),
                }
                t0 = time.perf_counter()
                assert http.post("/v1/enrollments", json=body).status_code == 201
                enroll_ms.append((time.perf_counter() - t0) * 1000)
            http.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            db.close()
    return {
        "members": members,
        "seed_s": round(seed_s, 1),
        "face_pay_ms_p50": round(statistics.median(pay_ms), 1),
        "face_pay_ms_p99": round(percentile(pay_ms, 0.99), 1),
        "member_pull_s": round(pull_s, 2),
        "members_per_s": round(pulled / pull_s),
        "enrollment_ms_p50": round(statistics.median(enroll_ms), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--pays", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.members, args.pays)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:>20}: {value}")


if __name__ == "__main__":
    main()
