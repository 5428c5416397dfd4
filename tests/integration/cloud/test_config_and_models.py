"""Store config for terminals, and the model store (list, download, no traversal)."""

from __future__ import annotations

import hashlib

from deploy.cloud import admin
from tests.support.cloud_api import MODEL_BYTES, SECRET, Cloud


def test_config_has_the_defaults_then_what_the_operator_set(cloud: Cloud) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    assert device.http.get("/v1/config").json() == {
        "version": 1,
        "offline_face_pay_max_cents": 5000,
        "offline_face_pay_daily_cents": 20000,
        "membership_threshold": 0.5,
        "payment_threshold": 0.6,
    }
    assert admin.set_config(cloud.db, store, payment_threshold=0.7) == 2
    config = device.http.get("/v1/config").json()
    assert (config["version"], config["payment_threshold"]) == (2, 0.7)


def test_models_are_listed_with_sha256_and_downloadable(cloud: Cloud) -> None:
    device = cloud.new_device()
    listed = device.http.get("/v1/models").json()["models"]
    assert listed == [
        {
            "name": name.removesuffix(".onnx"),
            "file": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }
        for name, data in sorted(MODEL_BYTES.items())
    ]
    for name, data in MODEL_BYTES.items():
        answer = device.http.get(f"/v1/models/{name}")
        assert answer.status_code == 200
        assert answer.content == data
    assert cloud.client().get("/v1/models/detector_v2.onnx").status_code == 401


def test_paths_outside_the_model_list_are_refused(cloud: Cloud) -> None:
    device = cloud.new_device()
    for path in (
        "/v1/models/..%2Fsecret.txt",
        "/v1/models/%2E%2E%2Fsecret.txt",
        "/v1/models/..%5Csecret.txt",
        "/v1/models/link.onnx",  # a symlink out of the folder
        "/v1/models/.hidden.onnx",
        "/v1/models/nothing.onnx",
    ):
        answer = device.http.get(path)
        assert answer.status_code in (400, 404), path
        assert SECRET not in answer.content
    raw = device.http.get("/v1/models/../../etc/passwd")  # the client normalises the dots
    assert raw.status_code == 404 and b"root:" not in raw.content
