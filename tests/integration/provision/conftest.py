"""A real reference cloud on loopback serving a folder of small fake models, and a fresh
--root for the device (the helpers that run ``facepay-provision`` are in
tests/support/provisioning.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from tests.support.cloud_keys import VAULT
from tests.support.provisioning import FAKE_MODELS, ModelCloud


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "cloud-models"
    folder.mkdir()
    for name, size in FAKE_MODELS.items():
        (folder / name).write_bytes(os.urandom(size))
    return folder


@pytest.fixture
def cloud_db(tmp_path: Path) -> Iterator[CloudDatabase]:
    database = CloudDatabase(str(tmp_path / "cloud.db"))
    admin.seed(database, "S001", vault=VAULT)
    yield database
    database.close()


@pytest.fixture
def cloud(cloud_db: CloudDatabase, models_dir: Path, tmp_path: Path) -> Iterator[ModelCloud]:
    server = ModelCloud(tmp_path / "cloud.db", models_dir, tmp_path / "cloud.log")
    server.start()
    yield server
    server.kill()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "device"
