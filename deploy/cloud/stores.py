"""Stores: creating one with the default config, and its change counters.

``bump`` hands out the next number of a per-store counter inside the caller's write
transaction. The UPDATE locks the store's row until commit, so on PostgreSQL a second
writer waits and numbers are committed in order (SQLite has one writer at a time anyway):
a terminal that pulled up to N can never later meet a change numbered below N.
"""

from __future__ import annotations

import re
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud.clock import utc_now_iso
from deploy.cloud.schema import stores

STORE_ID = re.compile(r"^[A-Z0-9]{2,12}$")
Counter = Literal["catalog_seq", "member_seq", "device_seq"]

DEFAULT_CONFIG = {
    "offline_face_pay_max_cents": 5000,
    "offline_face_pay_daily_cents": 20000,
    "membership_threshold": 0.5,
    "payment_threshold": 0.6,
    # Face pay limits the cloud enforces on every payment (a device cannot lift them).
    "face_pay_max_cents": 50_000,
    "face_pay_member_daily_cents": 100_000,  # per member, rolling 24 hours
    "face_pay_device_daily_cents": 2_000_000,  # per device, rolling 24 hours
    "face_pay_velocity_count": 3,  # face payments per member ...
    "face_pay_velocity_window_s": 600,  # ... within this many seconds
    "face_pay_liveness_min": 0.7,  # the manifest's "real" threshold
}


class StoreError(Exception):
    """A store id or store setting an admin gave is not acceptable."""


def ensure_store(conn: Connection, store_id: str, name: str | None = None) -> bool:
    """Create the store with the default config unless it exists; True if created."""
    if not STORE_ID.fullmatch(store_id):
        raise StoreError(f"store id {store_id!r} must be 2 to 12 upper-case letters or digits")
    exists = conn.execute(sa.select(stores.c.store_id).where(stores.c.store_id == store_id)).first()
    if exists is not None:
        return False
    conn.execute(
        sa.insert(stores).values(
            store_id=store_id, name=name or store_id, created_at=utc_now_iso(), **DEFAULT_CONFIG
        )
    )
    return True


def store_exists(conn: Connection, store_id: str) -> bool:
    query = sa.select(stores.c.store_id).where(stores.c.store_id == store_id)
    return conn.execute(query).first() is not None


def bump(conn: Connection, store_id: str, counter: Counter) -> int:
    column = stores.c[counter]
    return int(
        conn.execute(
            sa.update(stores)
            .where(stores.c.store_id == store_id)
            .values({column: column + 1})
            .returning(column)
        ).scalar_one()
    )
