"""What an operator does outside the API: seed the demo store, make enrollment codes,
change catalog items, credit members, give a seeded member a face template, export
orders. Used by the CLI, the demo's embedded cloud and tests; each function runs in its
own write transaction.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from importlib.resources.abc import Traversable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud import device_admin, member_records
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.database import Database
from deploy.cloud.face_templates import TemplateError, check_dimension, decode, encode
from deploy.cloud.member_records import Personal
from deploy.cloud.schema import catalog_items, orders, stores
from deploy.cloud.stores import DEFAULT_CONFIG, StoreError, bump, ensure_store, store_exists
from deploy.cloud.vault import Vault
from terminal import resources

DEMO_STORE = "S001"
DEMO_CATALOG = resources.demo_catalog()
# No 0/O, 1/I/L: a code is read off a screen and typed on a kiosk.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
_MEMBER_NAMESPACE = uuid.UUID("6a1f2b0e-8d7c-4e55-9a43-3f4c1d2e5b60")
DEMO_MEMBERS = (
    # (key, masked display name, phone, points, balance in cents)
    ("zhang", "Zhang**", "13800001234", 120, 20000),
    ("li", "Li**", "13900005678", 40, 5000),
    ("wang", "Wang**", "13700009012", 0, 300),
)


def demo_member_id(store_id: str, key: str) -> str:
    """Stable ids, so seeding twice finds the members it made the first time."""
    return str(uuid.uuid5(_MEMBER_NAMESPACE, f"{store_id}/{key}"))


def read_catalog_csv(path: Traversable = DEMO_CATALOG) -> list[dict[str, Any]]:
    # Bytes decoded here, not open(newline=""): a packaged resource's open() has no newline.
    text = io.StringIO(path.read_bytes().decode("utf-8"), newline="")
    return [catalog_record(row) for row in csv.DictReader(text)]


def catalog_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """A catalog row (CSV strings or typed values) as the columns of ``catalog_items``."""

    def text(key: str) -> str | None:
        value = row.get(key)
        return None if value in (None, "") else str(value)

    def cents(key: str) -> int | None:
        value = row.get(key)
        return None if value in (None, "") else int(value)

    barcode, plu = text("barcode"), text("plu")
    if barcode is None and plu is None:
        raise StoreError(f"catalog item {row.get('name_en')!r} has neither barcode nor plu")
    unit = text("unit") or "each"
    if unit not in ("each", "kg"):
        raise StoreError(f"catalog item {barcode or plu}: unit must be each or kg, not {unit}")
    return {
        "item_key": barcode if barcode is not None else f"plu:{plu}",
        "barcode": barcode,
        "plu": plu,
        "name_zh": text("name_zh") or "",
        "name_en": text("name_en") or "",
        "category": text("category") or "",
        "price_cents": cents("price_cents") or 0,
        "member_price_cents": cents("member_price_cents"),
        "tax_rate_bp": cents("tax_rate_bp") or 0,
        "unit": unit,
        "deleted": bool(row.get("deleted", False)),
    }


def upsert_catalog(db: Database, store_id: str, records: Iterable[Mapping[str, Any]]) -> int:
    """Insert or change items; only a real change takes a new change number. Returns how
    many items changed."""
    with db.write() as conn:
        _require_store(conn, store_id)
        return _upsert_catalog(conn, store_id, [catalog_record(r) for r in records])


def _upsert_catalog(conn: Connection, store_id: str, records: list[dict[str, Any]]) -> int:
    existing = {
        row.item_key: row._asdict()
        for row in conn.execute(
            sa.select(catalog_items).where(catalog_items.c.store_id == store_id)
        )
    }
    changed = 0
    now = utc_now_iso()
    for record in records:
        old = existing.get(record["item_key"])
        if old is not None and all(old[key] == value for key, value in record.items()):
            continue
        values = {**record, "change_seq": bump(conn, store_id, "catalog_seq"), "updated_at": now}
        if old is None:
            conn.execute(sa.insert(catalog_items).values(store_id=store_id, **values))
        else:
            conn.execute(
                sa.update(catalog_items)
                .where(
                    catalog_items.c.store_id == store_id,
                    catalog_items.c.item_key == record["item_key"],
                )
                .values(values)
            )
        existing[record["item_key"]] = {**record}
        changed += 1
    return changed


def seed(
    db: Database,
    store_id: str = DEMO_STORE,
    catalog: Traversable = DEMO_CATALOG,
    *,
    vault: Vault,
) -> dict[str, int]:
    """The demo store: catalog, a few members with balances (no templates), the default
    config. Running it again changes nothing that is already there."""
    records = read_catalog_csv(catalog)
    with db.write() as conn:
        created = ensure_store(conn, store_id, "Demo store" if store_id == DEMO_STORE else None)
        items = _upsert_catalog(conn, store_id, records)
        added = 0
        for key, name, phone, points, balance in DEMO_MEMBERS:
            member_id = demo_member_id(store_id, key)
            if member_records.find(conn, member_id) is None:
                personal = Personal(display_name=name, phone_last4=phone[-4:], phone=phone)
                member_records.insert(
                    conn, vault, store_id, member_id, personal, points=points, balance_cents=balance
                )
                added += 1
    return {"store_created": int(created), "catalog_changed": items, "members_added": added}


def create_member(
    db: Database,
    store_id: str,
    *,
    vault: Vault,
    display_name: str | None = None,
    phone_last4: str | None = None,
    phone: str | None = None,
    balance_cents: int = 0,
    points: int = 0,
) -> str:
    """A member without templates (a card member, or a test's customer)."""
    member_id = str(uuid.uuid4())
    last4 = phone_last4 or (phone[-4:] if phone else None)
    with db.write() as conn:
        _require_store(conn, store_id)
        member_records.insert(
            conn,
            vault,
            store_id,
            member_id,
            Personal(display_name=display_name, phone_last4=last4, phone=phone),
            points=points,
            balance_cents=balance_cents,
        )
    return member_id


def add_member_template(
    db: Database, store_id: str, member_id: str, model: str, vector: bytes, *, vault: Vault
) -> int:
    """Give a member of the store one more face template (little-endian float32, checked
    and L2-normalised as the enrollment API does), as a new member change so terminals
    pull it. For seeded demo members and operators: a till can never add a template to an
    existing member (that needs the member's one-time code). Returns the member's new
    change number."""
    try:
        template = decode(model, encode(vector), f"template of member {member_id}")
        check_dimension(template)
    except TemplateError as error:
        raise StoreError(str(error)) from None
    with db.write() as conn:
        _require_store(conn, store_id)
        row = member_records.find(conn, member_id)
        if row is None or row.store_id != store_id:
            raise StoreError(f"member {member_id} is not a member of store {store_id}")
        if row.deleted:
            raise StoreError(f"member {member_id} was erased")
        member_records.add_template(conn, vault, member_id, store_id, template)
        return member_records.touch(conn, store_id, member_id)


def create_code(
    db: Database,
    store_id: str = DEMO_STORE,
    *,
    ttl: timedelta = device_admin.CODE_TTL,
    now: datetime | None = None,
) -> str:
    """A new one-time enrollment code for a store (the store must exist), valid for
    ``ttl`` from ``now``. Only its sha256 and expiry are stored: the code itself exists in
    this answer only, so a copy of the database registers no device."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    with db.write() as conn:
        _require_store(conn, store_id)
        device_admin.insert_code(conn, store_id, code, ttl=ttl, now=now or datetime.now(UTC))
    return code


def create_store(db: Database, store_id: str, name: str | None = None) -> bool:
    with db.write() as conn:
        return ensure_store(conn, store_id, name)


def set_config(db: Database, store_id: str, **settings: int | float) -> int:
    """Change a store's terminal config; returns the new config version."""
    unknown = set(settings) - set(DEFAULT_CONFIG)
    if unknown:
        raise StoreError(f"unknown config keys: {', '.join(sorted(unknown))}")

    with db.write() as conn:
        _require_store(conn, store_id)
        return int(
            conn.execute(
                sa.update(stores)
                .where(stores.c.store_id == store_id)
                .values(config_version=stores.c.config_version + 1, **settings)
                .returning(stores.c.config_version)
            ).scalar_one()
        )


def export_orders(db: Database) -> list[dict[str, Any]]:
    """Every stored order document, by store and order number."""
    with db.read() as conn:
        rows = conn.execute(
            sa.select(orders.c.document).order_by(orders.c.store_id, orders.c.order_no)
        )
        return [json.loads(row.document) for row in rows]


def _require_store(conn: Connection, store_id: str) -> None:
    if not store_exists(conn, store_id):
        raise StoreError(f"store {store_id} does not exist; run 'facepay-cloud seed' first")
