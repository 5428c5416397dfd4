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
from importlib.resources.abc import Traversable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud.clock import utc_now_iso
from deploy.cloud.database import Database
from deploy.cloud.face_templates import decode, encode
from deploy.cloud.schema import (
    catalog_items,
    enrollment_codes,
    member_templates,
    members,
    orders,
    stores,
)
from deploy.cloud.stores import DEFAULT_CONFIG, StoreError, bump, ensure_store, store_exists
from terminal import resources

DEMO_STORE = "S001"
DEMO_CATALOG = resources.demo_catalog()
# No 0/O, 1/I/L: a code is read off a screen and typed on a kiosk.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
_MEMBER_NAMESPACE = uuid.UUID("6a1f2b0e-8d7c-4e55-9a43-3f4c1d2e5b60")
DEMO_MEMBERS = (
    # (key, masked display name, phone last 4, points, balance in cents)
    ("zhang", "Zhang**", "1234", 120, 20000),
    ("li", "Li**", "5678", 40, 5000),
    ("wang", "Wang**", "9012", 0, 300),
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
    db: Database, store_id: str = DEMO_STORE, catalog: Traversable = DEMO_CATALOG
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
            found = conn.execute(
                sa.select(members.c.member_id).where(members.c.member_id == member_id)
            ).first()
            if found is None:
                _insert_member(
                    conn,
                    store_id,
                    member_id,
                    name=name,
                    phone=phone,
                    points=points,
                    balance_cents=balance,
                )
                added += 1
    return {"store_created": int(created), "catalog_changed": items, "members_added": added}


def _insert_member(
    conn: Connection,
    store_id: str,
    member_id: str,
    *,
    name: str | None,
    phone: str | None,
    points: int,
    balance_cents: int,
) -> None:
    now = utc_now_iso()
    conn.execute(
        sa.insert(members).values(
            member_id=member_id,
            store_id=store_id,
            display_name=name,
            phone_last4=phone,
            points=points,
            balance_cents=balance_cents,
            deleted=False,
            change_seq=bump(conn, store_id, "member_seq"),
            created_at=now,
            updated_at=now,
        )
    )


def create_member(
    db: Database,
    store_id: str,
    *,
    display_name: str | None = None,
    phone_last4: str | None = None,
    balance_cents: int = 0,
    points: int = 0,
) -> str:
    """A member without templates (a card member, or a test's customer)."""
    member_id = str(uuid.uuid4())
    with db.write() as conn:
        _require_store(conn, store_id)
        _insert_member(
            conn,
            store_id,
            member_id,
            name=display_name,
            phone=phone_last4,
            points=points,
            balance_cents=balance_cents,
        )
    return member_id


def add_member_template(
    db: Database, store_id: str, member_id: str, model: str, vector: bytes
) -> int:
    """Give a member of the store one more face template (little-endian float32, checked
    and L2-normalised as the enrollment API does), as a new member change so terminals
    pull it. For seeded demo members: a terminal's own enrollment goes through the API,
    with the customer's consent. Returns the member's new change number."""
    template = decode(model, encode(vector), f"template of member {member_id}")
    with db.write() as conn:
        _require_store(conn, store_id)
        row = conn.execute(
            sa.select(members.c.store_id, members.c.deleted).where(members.c.member_id == member_id)
        ).first()
        if row is None or row.store_id != store_id:
            raise StoreError(f"member {member_id} is not a member of store {store_id}")
        if row.deleted:
            raise StoreError(f"member {member_id} was erased")
        known = conn.execute(
            sa.select(member_templates.c.dim).where(member_templates.c.model == model).limit(1)
        ).scalar_one_or_none()
        if known is not None and known != template.dim:
            raise StoreError(
                f"model {model} templates have {known} values; this one has {template.dim}"
            )
        seq = bump(conn, store_id, "member_seq")
        now = utc_now_iso()
        conn.execute(
            sa.insert(member_templates).values(
                member_id=member_id,
                store_id=store_id,
                model=model,
                dim=template.dim,
                vector=template.to_bytes(),
                # No terminal enrollment: an operator's id, unique like an enrollment's.
                enrollment_id=str(uuid.uuid4()),
                created_at=now,
            )
        )
        conn.execute(
            sa.update(members)
            .where(members.c.member_id == member_id)
            .values(change_seq=seq, updated_at=now)
        )
    return seq


def create_code(db: Database, store_id: str = DEMO_STORE) -> str:
    """A new one-time enrollment code for a store (the store must exist)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    with db.write() as conn:
        _require_store(conn, store_id)
        conn.execute(
            sa.insert(enrollment_codes).values(
                code=code, store_id=store_id, created_at=utc_now_iso()
            )
        )
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
