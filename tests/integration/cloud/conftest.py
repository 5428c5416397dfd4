"""The real server over real HTTP: uvicorn in a background thread on a free 127.0.0.1
port, on SQLite in a temp folder and on a throw-away PostgreSQL cluster.

The server is started once per database for the session; each test makes its own store
(``cloud.new_store()``) and devices, so tests never see each other's data.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from deploy.cloud import admin
from deploy.cloud.app import create_app
from deploy.cloud.database import Database
from terminal.domain.order import Order
from terminal.domain.order_document import order_to_document
from terminal.domain.payment import cash_payment
from tests.conftest import WATER
from tests.support.postgres_cluster import free_port

MODEL_BYTES = {"face_embed_v1.onnx": os.urandom(70_000), "detector_v2.onnx": b"detector" * 100}
SECRET = b"not a model: must never be served"


@dataclass
class DeviceClient:
    device_id: str
    store_id: str
    token: str
    http: httpx.Client

    def order_no(self, seq: int) -> str:
        return f"{self.device_id}-20261122-{seq:04d}"


@dataclass
class Cloud:
    kind: str
    base_url: str
    db: Database  # a second handle, for what an operator does (admin functions)
    clients: list[httpx.Client] = field(default_factory=list)
    _stores: Iterator[int] = field(default_factory=itertools.count)

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = httpx.Client(base_url=self.base_url, headers=headers, timeout=20)
        self.clients.append(client)
        return client

    def new_store(self, *, seed: bool = False) -> str:
        store_id = f"X{uuid.uuid4().hex[:7].upper()}"
        if seed:
            admin.seed(self.db, store_id)
        else:
            admin.create_store(self.db, store_id)
        return store_id

    def register(self, store_id: str) -> DeviceClient:
        code = admin.create_code(self.db, store_id)
        answer = self.client().post("/v1/devices/register", json={"code": code})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        return DeviceClient(
            device_id=body["device_id"],
            store_id=body["store_id"],
            token=body["token"],
            http=self.client(body["token"]),
        )

    def new_device(self, store_id: str | None = None) -> DeviceClient:
        return self.register(store_id or self.new_store())


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cloud-models")
    (root / "secret.txt").write_bytes(SECRET)
    models = root / "models"
    models.mkdir()
    for name, data in MODEL_BYTES.items():
        (models / name).write_bytes(data)
    (models / "link.onnx").symlink_to(root / "secret.txt")
    (models / ".hidden.onnx").write_bytes(SECRET)
    return models


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def cloud(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, models_dir: Path
) -> Iterator[Cloud]:
    if request.param == "postgresql":
        db_url = request.getfixturevalue("pg_cluster").url
    else:
        db_url = str(tmp_path_factory.mktemp("cloud-sqlite") / "cloud.db")
    app = create_app(db_url, models_dir)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name=f"cloud-{request.param}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the cloud server did not start")
        time.sleep(0.02)
    cloud = Cloud(kind=request.param, base_url=f"http://127.0.0.1:{port}", db=Database(db_url))
    yield cloud
    for client in cloud.clients:
        client.close()
    server.should_exit = True
    thread.join(timeout=10)
    cloud.db.close()


def order_document(
    device_id: str, order_no: str, *, state: str = "paid", quantity: int = 1
) -> dict[str, Any]:
    """A real document from the terminal's own domain code: the contract's source."""
    opened = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    order = Order(order_no=order_no, device_id=device_id, business_date=date(2026, 11, 22),
                  opened_at=opened)  # fmt: skip
    order.cart.add(WATER, code=WATER.barcode or "", quantity=quantity)
    if state in ("tendering", "paid"):
        order.start_tender()
    if state == "paid":
        order.add_payment(
            cash_payment(
                payment_id=str(uuid.UUID(int=quantity)),
                order_no=order_no,
                balance_due=order.balance_due_cents,
                tendered_cents=1000,
                now=opened,
            )
        )
        order.complete(opened)
    if state == "cancelled":
        order.cancel("customer left", opened)
    return order_to_document(order)
