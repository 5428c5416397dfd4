"""The reference cloud's API as the cloud tests drive it: a handle on a running server
(``Cloud``: new stores, registered devices, HTTP clients that are closed afterwards), a
registered device's client (``DeviceClient``), and what the server's models folder
holds. Starting and stopping the server is the fixtures' job (tests/integration/cloud)."""

from __future__ import annotations

import base64
import itertools
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx

from deploy.cloud import admin
from deploy.cloud.database import Database
from tests.support.cloud_keys import VAULT

# The models folder the server serves, and a file next to it that it must never serve.
MODEL_BYTES = {"face_embed_v1.onnx": os.urandom(70_000), "detector_v2.onnx": b"detector" * 100}
SECRET = b"not a model: must never be served"


@dataclass
class DeviceClient:
    device_id: str
    store_id: str
    token: str
    http: httpx.Client
    gallery_key: bytes = b""  # from the registration answer: opens the members' templates

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
            admin.seed(self.db, store_id, vault=VAULT)
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
            gallery_key=base64.b64decode(body["gallery_key"]),
        )

    def new_device(self, store_id: str | None = None) -> DeviceClient:
        return self.register(store_id or self.new_store())
