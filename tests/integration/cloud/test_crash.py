"""Kill -9 the server in the middle of a stream of writes: what it acknowledged is
stored, and nothing is stored by halves (enrollment without its templates, member
without its enrollment, a change number above its store's counter)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import numpy as np
import pytest
import sqlalchemy as sa

from deploy.cloud import admin
from deploy.cloud.database import Database
from deploy.cloud.schema import enrollments, member_templates, members, orders, stores
from tests.support.cloud_keys import server_environment
from tests.support.enrollments import DIM, consents, template
from tests.support.order_documents import order_document
from tests.support.postgres_cluster import free_port

WRITERS = 6


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        url: str = request.getfixturevalue("pg_cluster").url
        return url
    return str(tmp_path / "crash.db")


def test_a_killed_server_keeps_every_acknowledged_write_and_no_half(db_url: str) -> None:
    db = Database(db_url)
    store = f"K{uuid.uuid4().hex[:7].upper()}"
    admin.create_store(db, store)
    codes = [admin.create_code(db, store) for _ in range(WRITERS)]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "deploy.cloud", "serve", "--db", db_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=server_environment(),
    )
    base = f"http://127.0.0.1:{port}"
    acknowledged: list[tuple[str, str]] = []  # (kind, key)
    stop = threading.Event()

    def writer(code: str) -> None:
        with httpx.Client(base_url=base, timeout=5) as http:
            device = http.post("/v1/devices/register", json={"code": code}).json()
            http.headers["Authorization"] = f"Bearer {device['token']}"
            rng = np.random.default_rng()
            seq = 0
            while not stop.is_set():
                seq += 1
                order_no = f"{device['device_id']}-20261122-{seq:04d}"
                enrollment_id = str(uuid.uuid4())
                templates = [
                    template(rng.standard_normal(DIM).astype(np.float32)) for _ in range(3)
                ]
                try:
                    answer = http.put(
                        f"/v1/orders/{order_no}",
                        json=order_document(device["device_id"], order_no),
                    )
                    if answer.status_code == 201:
                        acknowledged.append(("order", order_no))
                    answer = http.post(
                        "/v1/enrollments",
                        json={
                            "enrollment_id": enrollment_id,
                            "member_id": str(uuid.uuid4()),
                            "display_name": None,
                            "phone_last4": None,
                            "templates": templates,
                            "consents": consents(device["device_id"]),
                        },
                    )
                    if answer.status_code == 201:
                        acknowledged.append(("enrollment", enrollment_id))
                except httpx.TransportError:
                    return  # the server is gone

    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        threads = [threading.Thread(target=writer, args=(code,)) for code in codes]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert len(acknowledged) > 10, "too few writes before the kill to prove anything"

    db.close()
    db = Database(db_url)  # reopening recovers the WAL / PostgreSQL rolled back the rest
    with db.read() as conn:
        stored_orders = set(
            conn.execute(sa.select(orders.c.order_no).where(orders.c.store_id == store)).scalars()
        )
        stored_enrollments = set(
            conn.execute(
                sa.select(enrollments.c.enrollment_id).where(enrollments.c.store_id == store)
            ).scalars()
        )
        per_enrollment: dict[str, int] = dict(
            conn.execute(
                sa.select(member_templates.c.enrollment_id, sa.func.count())
                .where(member_templates.c.store_id == store)
                .group_by(member_templates.c.enrollment_id)
            ).all()
        )
        member_rows = conn.execute(
            sa.select(members.c.member_id, members.c.change_seq).where(members.c.store_id == store)
        ).all()
        counter = conn.execute(
            sa.select(stores.c.member_seq).where(stores.c.store_id == store)
        ).scalar_one()
        enrolled_members = set(
            conn.execute(
                sa.select(enrollments.c.member_id).where(enrollments.c.store_id == store)
            ).scalars()
        )
    for kind, key in acknowledged:
        assert key in (stored_orders if kind == "order" else stored_enrollments), (kind, key)
    assert set(per_enrollment) == stored_enrollments
    assert set(per_enrollment.values()) <= {3}
    assert {row.member_id for row in member_rows} == enrolled_members
    seqs = [row.change_seq for row in member_rows]
    assert len(set(seqs)) == len(seqs) and max(seqs, default=0) <= counter
    if db.dialect == "sqlite":
        with db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    db.close()
