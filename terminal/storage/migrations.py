"""Versioned schema migrations, applied in order at start-up.

Each migration runs in its own transaction with the record that it ran (sqlite-utils'
``Migrations``), so a power cut mid-migration leaves the previous version intact. Never
edit a migration that has shipped: add a new one. A store written by a newer release
(a migration we do not know) is refused rather than guessed at.

What must not live here: reading or writing rows (the repositories).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from terminal.storage.errors import StoreError

MIGRATION_SET = "facepay-terminal"
MIGRATIONS = Migrations(MIGRATION_SET)


@MIGRATIONS(name="0001_initial")
def initial(db: Database) -> None:
    _run_script(db, _INITIAL_SCHEMA)


_INITIAL_SCHEMA = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE catalog_items (
    sku TEXT PRIMARY KEY,
    barcode TEXT,
    plu TEXT UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    price_cents INTEGER NOT NULL CHECK (price_cents > 0),
    member_price_cents INTEGER CHECK (member_price_cents >= 0),
    tax_rate_bp INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 9999),
    unit TEXT NOT NULL CHECK (unit IN ('each', 'kg')),
    updated_at TEXT NOT NULL
);
CREATE TABLE order_sequences (
    device_id TEXT NOT NULL,
    business_date TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (device_id, business_date)
);
CREATE TABLE orders (
    order_no TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    business_date TEXT NOT NULL,
    seq INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'tendering', 'paid', 'cancelled')),
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    updated_at TEXT NOT NULL,
    member_id TEXT,
    order_discount_cents INTEGER NOT NULL DEFAULT 0,
    subtotal_cents INTEGER NOT NULL DEFAULT 0,
    discount_cents INTEGER NOT NULL DEFAULT 0,
    tax_cents INTEGER NOT NULL DEFAULT 0,
    total_cents INTEGER NOT NULL DEFAULT 0,
    paid_cents INTEGER NOT NULL DEFAULT 0,
    cancel_reason TEXT,
    UNIQUE (device_id, business_date, seq)
);
CREATE INDEX orders_unfinished ON orders (state) WHERE state IN ('open', 'tendering');
CREATE TABLE order_lines (
    order_no TEXT NOT NULL REFERENCES orders (order_no),
    line_no INTEGER NOT NULL,
    sku TEXT NOT NULL,
    scanned_code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    unit TEXT NOT NULL,
    tax_rate_bp INTEGER NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    member_price_cents INTEGER,
    quantity INTEGER NOT NULL,
    weight_grams INTEGER,
    fixed_amount_cents INTEGER,
    discount_cents INTEGER NOT NULL DEFAULT 0,
    voided INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (order_no, line_no)
);
CREATE TABLE payments (
    payment_id TEXT PRIMARY KEY,
    order_no TEXT NOT NULL REFERENCES orders (order_no),
    method TEXT NOT NULL,
    state TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    tendered_cents INTEGER,
    change_cents INTEGER NOT NULL DEFAULT 0,
    provider TEXT,
    trade_no TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX payments_by_order ON payments (order_no);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    aggregate_type TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_pending ON outbox (state, id);
CREATE INDEX outbox_by_aggregate ON outbox (aggregate_id)
"""


@MIGRATIONS(name="0002_members")
def members(db: Database) -> None:
    _run_script(db, _MEMBERS_SCHEMA)


# Members come from the cloud (the 1:N gallery) or are enrolled here; templates are
# sealed with the device key (storage/template_cipher.py), never stored in the clear.
_MEMBERS_SCHEMA = """
CREATE TABLE members (
    member_id TEXT PRIMARY KEY,
    display_name TEXT,
    phone_last4 TEXT,
    points INTEGER NOT NULL DEFAULT 0,
    balance_cents INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE TABLE member_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id TEXT NOT NULL REFERENCES members (member_id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    sealed BLOB NOT NULL
);
CREATE INDEX member_templates_by_model ON member_templates (model, member_id)
"""


@MIGRATIONS(name="0003_payments")
def payments(db: Database) -> None:
    _run_script(db, _PAYMENTS_SCHEMA)


# Face payments approved on this till while the cloud could not be reached: the flag that
# they were offline, what the per-day cap sums, and what the cloud later answered. The
# payment itself stays in ``payments`` like any other. Member aliases: an enrollment the
# cloud merged into an existing member (local id -> the cloud's canonical id).
_PAYMENTS_SCHEMA = """
CREATE TABLE offline_face_payments (
    payment_id TEXT PRIMARY KEY,
    order_no TEXT NOT NULL,
    member_id TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    business_date TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    forwarded_at TEXT,
    cloud_state TEXT,
    cloud_reason TEXT
);
CREATE INDEX offline_face_payments_by_day ON offline_face_payments (business_date);
CREATE TABLE member_aliases (
    local_id TEXT PRIMARY KEY,
    canonical_id TEXT NOT NULL,
    merged_at TEXT NOT NULL
)
"""


@MIGRATIONS(name="0004_face_probes")
def face_probes(db: Database) -> None:
    _run_script(db, _FACE_PROBES_SCHEMA)


# The sealed probe of a face payment still waiting for the cloud's answer (see
# terminal/storage/face_probes.py); deleted once the payment is final.
_FACE_PROBES_SCHEMA = """
CREATE TABLE face_probes (
    payment_id TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    sealed BLOB NOT NULL,
    liveness REAL NOT NULL,
    created_at TEXT NOT NULL
)
"""


def _run_script(db: Database, script: str) -> None:
    """Run statements one by one: ``executescript`` would commit the migration's transaction."""
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


def check_schema_not_newer(db: Database) -> None:
    """Refuse a store that a newer release migrated: running old code on it could corrupt it."""
    known = {m.name for m in MIGRATIONS._migrations}  # no public accessor in sqlite-utils
    applied = {m.name for m in MIGRATIONS.applied(db)}
    unknown = sorted(applied - known)
    if unknown:
        raise StoreError(
            f"this store was written by a newer release (migrations {', '.join(unknown)}); "
            "update the terminal software instead of downgrading"
        )


@MIGRATIONS(name="0008_held_sales")
def held_sales(db: Database) -> None:
    _run_script(db, _HELD_SALES_SCHEMA)


# Sales the cashier set aside (挂单) to serve the next customer: still OPEN orders, kept
# out of start-up recovery until recalled (terminal/storage/orders.py ``hold``).
_HELD_SALES_SCHEMA = """
CREATE TABLE held_sales (
    order_no TEXT PRIMARY KEY REFERENCES orders (order_no),
    held_at TEXT NOT NULL
)
"""
