"""The staff tables of the till's store (migration 0005_staff, terminal/storage/staff.py):
local staff are never overwritten by the cloud, disabling one hands its id to the cloud,
and the attempts record outlives the connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from terminal.domain.staff import Role
from terminal.storage import meta
from terminal.storage import staff as staff_store
from terminal.storage.database import open_store, write_transaction
from terminal.storage.migrations import MIGRATIONS
from terminal.storage.staff import Source, StaffExists, StaffRecord

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
HASH = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"


def record(staff_id: str, *, source: Source = "cloud", role: Role = Role.CASHIER) -> StaffRecord:
    return StaffRecord(staff_id, staff_id.title(), role, HASH + staff_id, source)


def apply(db: Database, upserts: list[StaffRecord], deletes: Sequence[str] = ()) -> list[str]:
    with write_transaction(db):
        return staff_store.apply_cloud_changes_in_transaction(db, upserts, deletes, T0)


def test_an_old_store_gains_the_staff_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    MIGRATIONS.apply(old, stop_before="0005_staff")
    assert "staff" not in old.table_names()
    old.close()
    db = open_store(path)
    assert {"staff", "login_attempts"} <= set(db.table_names())
    assert staff_store.all_staff(db) == []


def test_cloud_changes_add_replace_and_delete_cloud_staff(db: Database) -> None:
    assert apply(db, [record("alice"), record("bob")]) == []
    apply(db, [StaffRecord("alice", "Alice B", Role.MANAGER, HASH + "new", "cloud")], ["bob"])
    [alice] = staff_store.all_staff(db)
    assert (alice.name, alice.role, alice.pin_hash) == ("Alice B", Role.MANAGER, HASH + "new")
    assert staff_store.get(db, "bob") is None


def test_a_local_staff_member_is_never_touched_by_the_cloud(db: Database) -> None:
    mine = record("carol", source="local", role=Role.MANAGER)
    staff_store.add_local(db, mine, T0)
    held = apply(db, [record("carol")], ["carol"])
    assert held == ["carol"]
    assert staff_store.get(db, "carol") == mine


def test_disabling_a_local_member_hands_the_id_to_the_cloud(db: Database) -> None:
    staff_store.add_local(db, record("carol", source="local"), T0)
    meta.put(db, staff_store.STAFF_CURSOR, "42")
    assert staff_store.disable_local(db, "carol", T0)
    assert not staff_store.disable_local(db, "carol", T0)  # once
    assert staff_store.staff_cursor(db) == 0  # the stream is read again from its start
    assert apply(db, [record("carol")]) == []
    carol = staff_store.get(db, "carol")
    assert carol is not None and carol.source == "cloud" and not carol.disabled


def test_an_id_is_added_once(db: Database) -> None:
    apply(db, [record("alice")])
    with pytest.raises(StaffExists) as taken:
        staff_store.add_local(db, record("alice", source="local"), T0)
    assert taken.value.record.source == "cloud"


def test_the_hash_stays_out_of_a_records_repr() -> None:
    assert "argon2" not in repr(record("alice"))


def test_attempts_survive_a_reopen_and_old_ones_are_pruned(tmp_path: Path) -> None:
    path = tmp_path / "till.db"
    db = open_store(path)
    staff_store.record_attempt(db, "alice", ok=False, at=T0)
    staff_store.record_attempt(db, "bob", ok=True, at=T0 + timedelta(seconds=1), purpose="approve")
    db.close()
    db = open_store(path)
    found = staff_store.attempts_since(db, T0 - timedelta(hours=1))
    assert [(a.staff_id, a.ok) for a in found] == [("alice", False), ("bob", True)]
    assert found[0].at == T0
    later = T0 + timedelta(days=2)
    staff_store.record_attempt(
        db, "carol", ok=False, at=later, keep_since=later - timedelta(days=1)
    )
    assert [a.staff_id for a in staff_store.attempts_since(db, T0 - timedelta(days=9))] == ["carol"]
