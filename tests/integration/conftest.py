"""The real server over real HTTP, for the cloud tests and the attack suite
(tests/integration/security): uvicorn in a background thread on a free 127.0.0.1 port,
on SQLite in a temp folder and on a throw-away PostgreSQL cluster.

The server is started once per database for the session; each test makes its own store
(``cloud.new_store()``) and devices, so tests never see each other's data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.cloud.app import create_app
from deploy.cloud.database import Database
from deploy.cloud.rate_limit import AUTH_FAILURES, REGISTRATIONS, RateLimiter
from tests.support.cloud_api import MODEL_BYTES, SECRET, Cloud
from tests.support.cloud_keys import MASTER_KEY
from tests.support.cloud_server import serving


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
    app = create_app(db_url, models_dir, master_key=MASTER_KEY)
    # Every test talks to this one server from 127.0.0.1: the guessing limits stay out of
    # their way (the attack suite tests them on a server of its own).
    for limit in (REGISTRATIONS, AUTH_FAILURES):
        setattr(app.state, limit.state_name, RateLimiter(100_000, limit.window_s))
    with serving(app, f"cloud-{request.param}") as base_url:
        cloud = Cloud(kind=request.param, base_url=base_url, db=Database(db_url))
        try:
            yield cloud
        finally:
            for client in cloud.clients:
                client.close()
            cloud.db.close()
