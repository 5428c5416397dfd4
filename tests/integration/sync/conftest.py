"""A cloud server process that tests can SIGKILL and restart, on SQLite or PostgreSQL,
and a terminal registered with it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlite_utils import Database

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from terminal.clock import utc_now
from terminal.storage.database import open_store
from terminal.storage.members import MemberRepository
from terminal.storage.template_cipher import TemplateCipher
from terminal.sync.client import CloudClient
from terminal.sync.registration import (
    Registration,
    load_registration,
    new_registration,
    save_registration,
    secrets_path_for,
)
from tests.support.cloud_process import CloudProcess
from tests.support.postgres_cluster import PostgresCluster


@dataclass
class Till:
    """A terminal's store and registration, with what its sync uses."""

    db_path: Path
    registration: Registration

    def client(self, base_url: str | None = None, timeout_s: float = 10.0) -> CloudClient:
        return CloudClient(base_url or self.registration.cloud_url, self.registration.token,
                           timeout_s=timeout_s)  # fmt: skip

    def members(self, db: Database) -> MemberRepository:
        """The gallery on ``db``: it must share the connection the sync cycle writes with."""
        return MemberRepository(db, TemplateCipher(self.registration.template_key))


@pytest.fixture(params=["sqlite", "postgresql"])
def cloud_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "cloud.db")
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database(f"sync_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def cloud_admin(cloud_db_url: str) -> Iterator[CloudDatabase]:
    database = CloudDatabase(cloud_db_url)
    admin.seed(database, "S001")
    yield database
    database.close()


@pytest.fixture
def cloud_server(
    cloud_db_url: str, cloud_admin: CloudDatabase, tmp_path: Path
) -> Iterator[CloudProcess]:
    server = CloudProcess(cloud_db_url, tmp_path / "cloud.log")
    server.start()
    yield server
    server.kill()


@pytest.fixture
def till(cloud_server: CloudProcess, cloud_admin: CloudDatabase, tmp_path: Path) -> Till:
    """A terminal registered with the seeded store, through the real API."""
    db_path = tmp_path / "till.db"
    open_store(db_path).close()
    with CloudClient(cloud_server.url) as client:
        answer = client.register(admin.create_code(cloud_admin, "S001"), "test till")
    registration = new_registration(cloud_server.url, answer, utc_now(), keep_key_of=None)
    path = secrets_path_for(db_path)
    save_registration(path, registration)
    assert load_registration(path) == registration
    return Till(db_path, registration)
