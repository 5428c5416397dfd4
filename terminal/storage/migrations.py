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


@MIGRATIONS(name="0005_staff")
def staff(db: Database) -> None:
    _run_script(db, _STAFF_SCHEMA)


# Staff who may sign in (terminal/storage/staff.py): from the cloud's staff stream, or
# added on this till before it was registered (``source = 'local'``, which a pull never
# overwrites). PINs only as argon2id hashes. Every PIN checked is recorded in
# ``login_attempts`` (the id as typed, never the PIN), so a lockout survives a restart.
_STAFF_SCHEMA = """
CREATE TABLE staff (
    staff_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
    pin_hash TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('cloud', 'local')),
    disabled INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('login', 'approve')),
    ok INTEGER NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_attempts_by_time ON login_attempts (at)
"""


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


@MIGRATIONS(name="0009_order_staff")
def order_staff(db: Database) -> None:
    _run_script(db, _ORDER_STAFF_SCHEMA)


# Who sold (the signed-in cashier) and who approved a restricted action on it (a
# manager's PIN at that moment), on every order: NULL on orders from before staff.
_ORDER_STAFF_SCHEMA = """
ALTER TABLE orders ADD COLUMN cashier_id TEXT;
ALTER TABLE orders ADD COLUMN approver_id TEXT
"""


@MIGRATIONS(name="0006_shifts")
def shifts(db: Database) -> None:
    for statement in _SHIFTS_SCHEMA:  # one by one: the triggers' bodies hold ';'
        db.execute(statement)


# Shifts, their cash movements and Z reports (terminal/storage/shifts.py). Which orders
# belong to a shift: the trigger below puts each order, in the very transaction that
# closes it (open/tendering -> paid/cancelled), into the shift open at that moment (at
# most one is: a store is one till). A closed shift, a movement and a Z report are never
# changed, and a Z report is written once: the triggers refuse it whatever the code does
# (an INSERT OR REPLACE too, which would delete without firing a delete trigger).
_SHIFTS_SCHEMA = (
    """CREATE TABLE shifts (
    shift_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    shift_no INTEGER NOT NULL CHECK (shift_no > 0),
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    float_cents INTEGER NOT NULL CHECK (float_cents >= 0),
    closed_at TEXT,
    closed_by TEXT,
    counted_cents INTEGER CHECK (counted_cents >= 0),
    UNIQUE (device_id, shift_no)
)""",
    "CREATE UNIQUE INDEX shifts_one_open ON shifts ((closed_at IS NULL)) WHERE closed_at IS NULL",
    """CREATE TABLE shift_movements (
    movement_id TEXT PRIMARY KEY,
    shift_id TEXT NOT NULL REFERENCES shifts (shift_id),
    kind TEXT NOT NULL CHECK (kind IN ('pay_in', 'pay_out')),
    cents INTEGER NOT NULL CHECK (cents > 0),
    reason TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    at TEXT NOT NULL
)""",
    "CREATE INDEX shift_movements_by_shift ON shift_movements (shift_id)",
    """CREATE TABLE shift_orders (
    order_no TEXT PRIMARY KEY REFERENCES orders (order_no) ON DELETE CASCADE,
    shift_id TEXT NOT NULL REFERENCES shifts (shift_id)
)""",
    "CREATE INDEX shift_orders_by_shift ON shift_orders (shift_id)",
    """CREATE TABLE z_reports (
    device_id TEXT NOT NULL,
    z_number INTEGER NOT NULL CHECK (z_number > 0),
    shift_id TEXT NOT NULL UNIQUE REFERENCES shifts (shift_id),
    shift_no INTEGER NOT NULL,
    closed_at TEXT NOT NULL,
    float_cents INTEGER NOT NULL,
    sales_cents INTEGER NOT NULL,
    refunds_cents INTEGER NOT NULL,
    net_cents INTEGER NOT NULL,
    cash_expected_cents INTEGER NOT NULL,
    counted_cents INTEGER NOT NULL,
    variance_cents INTEGER NOT NULL,
    document TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (device_id, z_number)
)""",
    """CREATE TRIGGER orders_join_the_open_shift AFTER UPDATE OF state ON orders
WHEN OLD.state IN ('open', 'tendering') AND NEW.state IN ('paid', 'cancelled')
BEGIN
    INSERT OR IGNORE INTO shift_orders (order_no, shift_id)
    SELECT NEW.order_no, shift_id FROM shifts WHERE closed_at IS NULL;
END""",
    """CREATE TRIGGER shifts_closed_never_change BEFORE UPDATE ON shifts
WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed shift is never changed');
END""",
    """CREATE TRIGGER shift_movements_while_open BEFORE INSERT ON shift_movements
WHEN (SELECT closed_at FROM shifts WHERE shift_id = NEW.shift_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the shift is closed: no more cash movements');
END""",
    """CREATE TRIGGER shift_movements_never_change BEFORE UPDATE ON shift_movements
BEGIN
    SELECT RAISE(ABORT, 'a cash movement is never changed');
END""",
    """CREATE TRIGGER z_reports_written_once BEFORE INSERT ON z_reports
WHEN EXISTS (
    SELECT 1 FROM z_reports
    WHERE (device_id = NEW.device_id AND z_number = NEW.z_number) OR shift_id = NEW.shift_id
) OR (SELECT closed_at FROM shifts WHERE shift_id = NEW.shift_id) IS NULL
BEGIN
    SELECT RAISE(ABORT, 'a Z report is written once, for a closed shift');
END""",
    """CREATE TRIGGER z_reports_never_change BEFORE UPDATE ON z_reports
BEGIN
    SELECT RAISE(ABORT, 'a Z report is never changed');
END""",
)


@MIGRATIONS(name="0007_refunds")
def refunds(db: Database) -> None:
    _run_script(db, _REFUNDS_SCHEMA)


# Refunds (terminal/storage/refunds.py): a record of their own, linked to the order by its
# number only (it may be another till's order, fetched from the cloud), numbered per
# device and business day like orders, with their lines and the payments that carry the
# money back to the original tenders.
_REFUNDS_SCHEMA = """
CREATE TABLE refund_sequences (
    device_id TEXT NOT NULL,
    business_date TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (device_id, business_date)
);
CREATE TABLE refunds (
    refund_no TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    business_date TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('return', 'exchange', 'no_receipt')),
    order_no TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    reason TEXT NOT NULL,
    cashier_id TEXT NOT NULL,
    approver_id TEXT,
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    created_at TEXT NOT NULL,
    completed_at TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (device_id, business_date, seq)
);
CREATE INDEX refunds_by_order ON refunds (order_no);
CREATE INDEX refunds_pending ON refunds (state) WHERE state = 'pending';
CREATE TABLE refund_lines (
    refund_no TEXT NOT NULL REFERENCES refunds (refund_no),
    position INTEGER NOT NULL,
    line_no INTEGER,
    sku TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    quantity INTEGER,
    weight_grams INTEGER,
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    PRIMARY KEY (refund_no, position)
);
CREATE TABLE refund_payments (
    refund_payment_id TEXT PRIMARY KEY,
    refund_no TEXT NOT NULL REFERENCES refunds (refund_no),
    method TEXT NOT NULL CHECK (method IN ('cash', 'wallet_code', 'face', 'store_credit')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
    original_payment_id TEXT,
    member_id TEXT,
    provider TEXT,
    reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX refund_payments_by_refund ON refund_payments (refund_no)
"""
