"""A terminal registered with the reference cloud, for tests that sync or pay through it:
its store and registration (``Till``), made through the real registration API. The
cloud's own database is not touched here: the caller brings the registration code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from terminal.storage.database import open_store
from terminal.storage.members import MemberRepository
from terminal.sync.client import CloudClient
from terminal.sync.member_keys import member_repository
from terminal.sync.registration import (
    Registration,
    load_registration,
    new_registration,
    save_registration,
    secrets_path_for,
)


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
        return member_repository(db, self.registration)


def register_till(cloud_url: str, code: str, db_path: Path, now: datetime) -> Till:
    """A new store at ``db_path`` registered with the cloud at ``cloud_url`` using the
    one-time ``code``; the secrets file is written and read back."""
    open_store(db_path).close()
    with CloudClient(cloud_url) as client:
        answer = client.register(code, "test till")
    registration = new_registration(cloud_url, answer, now, keep_key_of=None)
    path = secrets_path_for(db_path)
    save_registration(path, registration)
    assert load_registration(path) == registration
    return Till(db_path, registration)
