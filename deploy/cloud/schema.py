"""The tables, as SQLAlchemy Core metadata; created at start by ``Database``.

Times are UTC ISO-8601 text and money integer cents (BIGINT), the same on SQLite and
PostgreSQL. Catalog items and members carry ``change_seq``, a number from a per-store
counter in ``stores`` bumped by every change, so a terminal pulls "everything after my
cursor" and gets each row once, in its newest state. Raise ``SCHEMA_VERSION`` with every
change to these tables.
"""

from __future__ import annotations

import sqlalchemy as sa

SCHEMA_VERSION = 1

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
)

stores = sa.Table(
    "stores",
    metadata,
    sa.Column("store_id", sa.String(12), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    # Per-store counters: bumping one locks the store's row until commit, so changes are
    # committed in the order of their numbers and a pull by cursor never skips one.
    sa.Column("catalog_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("member_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("device_seq", sa.Integer, nullable=False, server_default="0"),
    sa.Column("config_version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("offline_face_pay_max_cents", sa.BigInteger, nullable=False),
    sa.Column("offline_face_pay_daily_cents", sa.BigInteger, nullable=False),
    sa.Column("membership_threshold", sa.Float, nullable=False),
    sa.Column("payment_threshold", sa.Float, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

enrollment_codes = sa.Table(
    "enrollment_codes",
    metadata,
    sa.Column("code", sa.String(32), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("used_at", sa.String(40)),
    sa.Column("device_id", sa.String(16)),
)

devices = sa.Table(
    "devices",
    metadata,
    sa.Column("device_id", sa.String(16), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("name", sa.String(200)),
    # sha256 of the bearer token: a stolen database does not hand out working tokens.
    sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(40), nullable=False),
)

catalog_items = sa.Table(
    "catalog_items",
    metadata,
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), primary_key=True),
    # The barcode, or "plu:<plu>" for weighed items without one.
    sa.Column("item_key", sa.String(64), primary_key=True),
    sa.Column("barcode", sa.String(32)),
    sa.Column("plu", sa.String(16)),
    sa.Column("name_zh", sa.String(200), nullable=False),
    sa.Column("name_en", sa.String(200), nullable=False),
    sa.Column("category", sa.String(64), nullable=False),
    sa.Column("price_cents", sa.BigInteger, nullable=False),
    sa.Column("member_price_cents", sa.BigInteger),
    sa.Column("tax_rate_bp", sa.Integer, nullable=False),
    sa.Column("unit", sa.String(8), nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("change_seq", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Index("ix_catalog_items_store_seq", "store_id", "change_seq"),
)

orders = sa.Table(
    "orders",
    metadata,
    sa.Column("order_no", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("device_id", sa.String(16), nullable=False),
    sa.Column("business_date", sa.String(10), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("total_cents", sa.BigInteger, nullable=False),
    sa.Column("paid_cents", sa.BigInteger, nullable=False),
    # Canonical JSON (sorted keys, no whitespace) of the body as received, extra keys too.
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.Index("ix_orders_store_date", "store_id", "business_date"),
)

members = sa.Table(
    "members",
    metadata,
    sa.Column("member_id", sa.String(36), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    # Personal data; all of it is cleared by an erasure, which leaves a tombstone row.
    sa.Column("display_name", sa.String(64)),
    sa.Column("phone_last4", sa.String(4)),
    sa.Column("points", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("balance_cents", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("change_seq", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Index("ix_members_store_seq", "store_id", "change_seq"),
)

member_templates = sa.Table(
    "member_templates",
    metadata,
    sa.Column("template_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("member_id", sa.ForeignKey("members.member_id"), nullable=False),
    sa.Column("store_id", sa.String(12), nullable=False),
    sa.Column("model", sa.String(64), nullable=False),
    sa.Column("dim", sa.Integer, nullable=False),
    # L2-normalised little-endian float32.
    sa.Column("vector", sa.LargeBinary, nullable=False),
    sa.Column("enrollment_id", sa.String(36), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Index("ix_member_templates_store_model", "store_id", "model"),
    sa.Index("ix_member_templates_member", "member_id"),
)

enrollments = sa.Table(
    "enrollments",
    metadata,
    # Kept after an erasure (ids and consent facts only, no personal data) so a late
    # resend of the same enrollment is answered as a repeat instead of re-creating the
    # member that was erased.
    sa.Column("enrollment_id", sa.String(36), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("device_id", sa.String(16), nullable=False),
    sa.Column("requested_member_id", sa.String(36), nullable=False),
    sa.Column("member_id", sa.String(36), nullable=False),
    sa.Column("merged", sa.Boolean, nullable=False),
    sa.Column("consent_text_version", sa.String(64), nullable=False),
    sa.Column("consent_accepted_at", sa.String(40), nullable=False),
    sa.Column("request_sha256", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

face_payments = sa.Table(
    "face_payments",
    metadata,
    sa.Column("payment_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("device_id", sa.String(16), nullable=False),
    sa.Column("order_no", sa.String(64), nullable=False),
    sa.Column("member_id", sa.String(36), nullable=False),
    sa.Column("amount_cents", sa.BigInteger, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("reason", sa.String(64)),
    sa.Column("balance_cents", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

micropay_trades = sa.Table(
    "micropay_trades",
    metadata,
    sa.Column("out_trade_no", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("device_id", sa.String(16), nullable=False),
    sa.Column("order_no", sa.String(64)),
    # Never the payment code itself: its hash (to spot a different resend) and the
    # simulator's outcome digit.
    sa.Column("auth_code_sha256", sa.String(64)),
    sa.Column("outcome_digit", sa.Integer),
    sa.Column("amount_cents", sa.BigInteger),
    sa.Column("trade_state", sa.String(16), nullable=False),
    sa.Column("trade_no", sa.String(32)),
    sa.Column("message", sa.String(200)),
    sa.Column("query_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Index("ix_micropay_trades_order", "order_no"),
)
