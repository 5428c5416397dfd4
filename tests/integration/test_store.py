"""The store on a real SQLite file: pragmas, migrations, atomic writes, bad files."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from terminal.domain.order import OrderState
from terminal.domain.payment import cash_payment
from terminal.storage import outbox
from terminal.storage.database import open_store
from terminal.storage.errors import StoreError
from terminal.storage.migrations import MIGRATION_SET, MIGRATIONS
from terminal.storage.orders import OrderRepository
from tests.support.fake_clock import FakeClock
from tests.support.orders import queue_order_entry
from tests.support.water_order import tendering_water_order


def test_store_opens_in_wal_mode_with_full_sync(db: Database) -> None:
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrations_are_recorded_once_and_reopening_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    first = open_store(path)
    first["meta"].insert({"key": "k", "value": "v"})
    first.close()
    again = open_store(path)
    applied = [m.name for m in MIGRATIONS.applied(again)]
    assert applied[0] == "0001_initial" and len(applied) == len(set(applied))
    assert MIGRATIONS.pending(again) == []
    assert again["meta"].get("k")["value"] == "v"


def test_a_file_that_is_not_a_database_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match=r"garbage\.db.*not a usable database"):
        open_store(path)


def test_a_store_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    db = open_store(path)
    db["_sqlite_migrations"].insert(
        {"migration_set": MIGRATION_SET, "name": "9999_future", "applied_at": "2030-01-01"}
    )
    db.close()
    with pytest.raises(StoreError, match="newer release"):
        open_store(path)


def test_order_numbers_continue_across_restarts_and_restart_each_day(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "t.db"
    day = date(2026, 11, 22)
    first = OrderRepository(open_store(path))
    numbers = [first.open_order("T01", day, clock()).order_no for _ in range(3)]
    first.db.close()
    second = OrderRepository(open_store(path))
    numbers.append(second.open_order("T01", day, clock()).order_no)
    numbers.append(second.open_order("T01", date(2026, 11, 23), clock()).order_no)
    assert numbers == [
        "T01-20261122-0001",
        "T01-20261122-0002",
        "T01-20261122-0003",
        "T01-20261122-0004",
        "T01-20261123-0001",
    ]


def test_close_is_all_or_nothing_when_the_outbox_write_fails(
    orders: OrderRepository, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = tendering_water_order(orders, clock)
    order.add_payment(
        cash_payment(
            payment_id="p1",
            order_no=order.order_no,
            balance_due=200,
            tendered_cents=500,
            now=clock(),
        )
    )
    order.complete(clock())

    def broken_enqueue(*args: object, **kwargs: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(outbox, "enqueue", broken_enqueue)
    with pytest.raises(sqlite3.OperationalError):
        orders.close(order, clock())
    on_disk = orders.load(order.order_no)
    assert on_disk.state is OrderState.TENDERING
    assert on_disk.payments == []
    assert outbox.stats(orders.db).pending == 0


def test_outbox_entries_must_be_written_inside_a_transaction(
    db: Database, clock: FakeClock
) -> None:
    with pytest.raises(RuntimeError, match="inside the business transaction"):
        outbox.enqueue(db, kind="order.paid", aggregate_type="order", aggregate_id="T01-1",
                       idempotency_key="T01-1", payload={}, now=clock())  # fmt: skip
    queue_order_entry(db, "T01-20261122-0001", clock())
    stats = outbox.stats(db)
    assert stats.pending == 1 and stats.oldest_pending_at is not None


def test_the_same_idempotency_key_cannot_be_queued_twice(db: Database, clock: FakeClock) -> None:
    queue_order_entry(db, "T01-20261122-0001", clock())
    with pytest.raises(sqlite3.IntegrityError):
        queue_order_entry(db, "T01-20261122-0001", clock())
    assert outbox.stats(db).pending == 1
