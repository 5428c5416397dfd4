"""The tables, as SQLAlchemy Core metadata; created at start by ``Database``.

Times are UTC ISO-8601 text and money integer cents (BIGINT), the same on SQLite and
PostgreSQL. Catalog items and members carry ``change_seq``, a number from a per-store
counter in ``stores`` bumped by every change, so a terminal pulls "everything after my
cursor" and gets each row once, in its newest state. Raise ``SCHEMA_VERSION`` with every
change to these tables.
"""

from __future__ import annotations

import sqlalchemy as sa

SCHEMA_VERSION = 2

MEMBER_ID = 64  # contract.Id
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
    # Server-side limits on face pay, checked on every payment whatever the device says.
    sa.Column("face_pay_max_cents", sa.BigInteger, nullable=False),
    sa.Column("face_pay_member_daily_cents", sa.BigInteger, nullable=False),
    sa.Column("face_pay_device_daily_cents", sa.BigInteger, nullable=False),
    sa.Column("face_pay_velocity_count", sa.Integer, nullable=False),
    sa.Column("face_pay_velocity_window_s", sa.Integer, nullable=False),
    sa.Column("face_pay_liveness_min", sa.Float, nullable=False),
    # The key member templates travel under to this store's tills, wrapped by the master
    # key; handed to a device only in its registration answer.
    sa.Column("gallery_key_wrapped", sa.LargeBinary),
    sa.Column("created_at", sa.String(40), nullable=False),
)

enrollment_codes = sa.Table(
    "enrollment_codes",
    metadata,
    # Only the code's sha256: a copy of the database registers no device.
    sa.Column("code_sha256", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
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
    # A revoked token gets 401 from the next request on; the row stays for the audit.
    sa.Column("revoked_at", sa.String(40)),
    sa.Column("revoked_by", sa.String(200)),
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
    # Kept, never refused, but flagged when the document disagrees with the cloud's own
    # payment records (JSON list of reason codes in ``flags``).
    sa.Column("flagged", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("flags", sa.Text),
    sa.Index("ix_orders_store_date", "store_id", "business_date"),
)

members = sa.Table(
    "members",
    metadata,
    sa.Column("member_id", sa.String(MEMBER_ID), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    # Personal data (masked name, phone, its last 4) as sealed JSON under the member's key;
    # cleared by an erasure, which leaves a tombstone row.
    sa.Column("personal_sealed", sa.LargeBinary),
    # False once face pay consent is withdrawn: a member without a face.
    sa.Column("face_enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("points", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("balance_cents", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("change_seq", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Index("ix_members_store_seq", "store_id", "change_seq"),
)

member_keys = sa.Table(
    "member_keys",
    metadata,
    sa.Column("member_id", sa.ForeignKey("members.member_id"), primary_key=True),
    # The member's data key, AES-GCM-wrapped by the master key. Deleting the row is the
    # erasure (crypto-shredding).
    sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

member_templates = sa.Table(
    "member_templates",
    metadata,
    sa.Column("template_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("member_id", sa.ForeignKey("members.member_id"), nullable=False),
    sa.Column("store_id", sa.String(12), nullable=False),
    sa.Column("model", sa.String(64), nullable=False),
    sa.Column("dim", sa.Integer, nullable=False),
    # L2-normalised little-endian float32, sealed (AES-GCM) with the member's data key.
    sa.Column("sealed", sa.LargeBinary, nullable=False),
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
    sa.Column("requested_member_id", sa.String(MEMBER_ID), nullable=False),
    sa.Column("member_id", sa.String(MEMBER_ID), nullable=False),
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
    sa.Column("member_id", sa.String(MEMBER_ID), nullable=False),
    sa.Column("amount_cents", sa.BigInteger, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("reason", sa.String(64)),
    sa.Column("balance_cents", sa.BigInteger, nullable=False),
    # The cloud's own 1:1 score of the probe against the member, and the liveness sent.
    sa.Column("score", sa.Float),
    sa.Column("liveness", sa.Float),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Index("ix_face_payments_member", "member_id", "created_at"),
    sa.Index("ix_face_payments_device", "device_id", "created_at"),
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

consent_texts = sa.Table(
    "consent_texts",
    metadata,
    # The registry of texts a customer can accept: an enrollment naming a version that is
    # not here is refused. A text is never edited; a change is a new version.
    sa.Column("version", sa.String(64), primary_key=True),
    sa.Column("language", sa.String(8), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # membership | face_pay
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

consents = sa.Table(
    "consents",
    metadata,
    # Proof of each consent: no personal data, kept after an erasure.
    sa.Column("consent_id", sa.String(36), primary_key=True),
    sa.Column("member_id", sa.String(MEMBER_ID), nullable=False),
    sa.Column("store_id", sa.String(12), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # membership | face_pay
    sa.Column("text_version", sa.String(64), nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("text_sha256", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(16), nullable=False),
    sa.Column("accepted_at", sa.String(40), nullable=False),  # the till's clock
    sa.Column("received_at", sa.String(40), nullable=False),  # ours
    sa.Column("withdrawn_at", sa.String(40)),
    sa.Column("withdrawn_via", sa.String(64)),
    sa.Index("ix_consents_member", "member_id"),
)

one_time_codes = sa.Table(
    "one_time_codes",
    metadata,
    # Codes sent to a member's phone to prove it is them (adding a template, erasure).
    sa.Column("otp_id", sa.String(36), primary_key=True),
    sa.Column("member_id", sa.String(MEMBER_ID), nullable=False),
    sa.Column("store_id", sa.String(12), nullable=False),
    sa.Column("purpose", sa.String(16), nullable=False),  # add_template | erase
    sa.Column("code_sha256", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(16)),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
    sa.Column("used_at", sa.String(40)),
    sa.Index("ix_one_time_codes_member", "member_id"),
)

sms_messages = sa.Table(
    "sms_messages",
    metadata,
    # The reference SMS gateway's outbox (tests and the demo read codes here); a real
    # provider replaces the gateway, not this contract. Purged for a member at erasure.
    sa.Column("message_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("member_id", sa.String(MEMBER_ID)),
    sa.Column("phone", sa.String(32), nullable=False),
    sa.Column("text", sa.String(500), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

erasures = sa.Table(
    "erasures",
    metadata,
    # The audit of every erasure: who asked, how it was proved, through what; no
    # personal data.
    sa.Column("erasure_id", sa.String(36), primary_key=True),
    sa.Column("member_id", sa.String(MEMBER_ID), nullable=False),
    sa.Column("store_id", sa.String(12), nullable=False),
    sa.Column("requested_by", sa.String(200), nullable=False),
    sa.Column("via", sa.String(16), nullable=False),  # device | operator
    sa.Column("device_id", sa.String(16)),
    sa.Column("proof", sa.String(16), nullable=False),  # face+otp | otp | operator
    sa.Column("created_at", sa.String(40), nullable=False),
)


staff_counters = sa.Table(
    "staff_counters",
    metadata,
    # The staff stream's per-store counter (``staff_records.next_seq``), kept apart from
    # ``stores``; as there, bumping locks the row until commit, so a pull by cursor never
    # skips a change.
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), primary_key=True),
    sa.Column("last_seq", sa.BigInteger, nullable=False),
)

staff = sa.Table(
    "staff",
    metadata,
    # Who may sign in at a store's tills. The PIN only as an argon2id hash (salted, slow):
    # tills check PINs offline, so the hash travels to them in the staff stream. Disabled
    # staff stay for the audit and reach the tills as a delete.
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), primary_key=True),
    sa.Column("staff_id", sa.String(16), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),  # cashier | manager
    sa.Column("pin_hash", sa.String(200), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("change_seq", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Index("ix_staff_store_seq", "store_id", "change_seq"),
)

shifts = sa.Table(
    "shifts",
    metadata,
    # The latest copy of each till shift (``document``: canonical JSON as received). A
    # copy with a higher revision that continues the stored one replaces it while the
    # shift is open; once closed, the shift never changes.
    sa.Column("shift_id", sa.String(36), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("device_id", sa.String(16), nullable=False),
    sa.Column("shift_no", sa.Integer, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("state", sa.String(8), nullable=False),  # open | closed
    sa.Column("opened_at", sa.String(40), nullable=False),
    sa.Column("closed_at", sa.String(40)),
    sa.Column("float_cents", sa.BigInteger, nullable=False),
    sa.Column("counted_cents", sa.BigInteger),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.UniqueConstraint("device_id", "shift_no", name="uq_shifts_device_shift_no"),
)

z_reports = sa.Table(
    "z_reports",
    metadata,
    # A till's Z reports, numbered per device, written once (a different copy is refused).
    # Flagged, never refused, when the cloud's own shift or orders disagree with it.
    sa.Column("device_id", sa.String(16), primary_key=True),
    sa.Column("z_number", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("shift_id", sa.String(36), nullable=False, unique=True),
    sa.Column("shift_no", sa.Integer, nullable=False),
    sa.Column("closed_at", sa.String(40), nullable=False),
    sa.Column("float_cents", sa.BigInteger, nullable=False),
    sa.Column("sales_cents", sa.BigInteger, nullable=False),
    sa.Column("refunds_cents", sa.BigInteger, nullable=False),
    sa.Column("net_cents", sa.BigInteger, nullable=False),
    sa.Column("cash_expected_cents", sa.BigInteger, nullable=False),
    sa.Column("counted_cents", sa.BigInteger, nullable=False),
    sa.Column("variance_cents", sa.BigInteger, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.Column("flagged", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("flags", sa.Text),
)

refunds = sa.Table(
    "refunds",
    metadata,
    # Refunds as tills send them (``document``: canonical JSON as received), checked
    # against the stored order and its earlier refunds (``refund_checks``): more than the
    # order sold is refused, other disagreements are stored flagged. A pending refund may
    # be replaced by the same refund done or failed, never the reverse.
    sa.Column("refund_no", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("device_id", sa.String(16), nullable=False),
    sa.Column("order_no", sa.String(64)),  # None: a return without a receipt
    sa.Column("order_device_id", sa.String(16)),  # the till that sold it (may differ)
    sa.Column("kind", sa.String(16), nullable=False),  # return | exchange | no_receipt
    sa.Column("state", sa.String(16), nullable=False),  # pending | done | failed
    sa.Column("total_cents", sa.BigInteger, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.Column("flagged", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("flags", sa.Text),
    sa.Index("ix_refunds_order", "order_no"),
)

micropay_refunds = sa.Table(
    "micropay_refunds",
    metadata,
    # The wallet simulator's refunds of payment-code trades, idempotent on out_refund_no
    # (a till's refund payment id); their sum per trade never exceeds the trade.
    sa.Column("out_refund_no", sa.String(64), primary_key=True),
    sa.Column("out_trade_no", sa.String(64), nullable=False),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("device_id", sa.String(16), nullable=False),  # the till that asked
    sa.Column("amount_cents", sa.BigInteger, nullable=False),
    sa.Column("refund_state", sa.String(16), nullable=False),
    sa.Column("refund_id", sa.String(32), nullable=False),
    sa.Column("answers", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Index("ix_micropay_refunds_trade", "out_trade_no"),
)

member_credits = sa.Table(
    "member_credits",
    metadata,
    # Stored value credited back to a member by a refund, idempotent on the refund
    # payment's id: never more than the face payment it goes back to (or, for a no-receipt
    # store credit, than the approved refund).
    sa.Column("credit_id", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.ForeignKey("stores.store_id"), nullable=False),
    sa.Column("device_id", sa.String(16), nullable=False),
    sa.Column("member_id", sa.String(MEMBER_ID), nullable=False),
    sa.Column("refund_no", sa.String(64), nullable=False),
    sa.Column("payment_id", sa.String(64)),  # the face payment; None: store credit
    sa.Column("amount_cents", sa.BigInteger, nullable=False),
    sa.Column("balance_cents", sa.BigInteger, nullable=False),  # the member's, after it
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Index("ix_member_credits_payment", "payment_id"),
    sa.Index("ix_member_credits_refund", "refund_no"),
)
