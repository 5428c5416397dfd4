"""Inbound: what the cloud sends down, pulled by cursor (catalog, members, staff,
configuration).

Members' templates arrive sealed under the store's gallery key (received at
registration); they are opened here and sealed again with this device's own key in the
gallery table.

Each page is applied together with its new cursor in one transaction, so a crash never
skips or repeats a page. An erased member's templates are purged the moment the deletion
arrives, with their personal data in the outbox, and the WAL is checkpointed. A bad
record is skipped and logged; it never stops the stream. Staff arrive with their PINs'
argon2id hashes (never logged); a staff id held by a local staff member is left alone.

What must not live here: SQL (each page goes through the catalog, members and meta
modules of ``terminal/storage``), sending the outbox (``outbound.py``).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from typing import Any

from sqlite_utils import Database

from terminal.clock import Clock, utc_now
from terminal.domain.catalog import CatalogItem
from terminal.domain.catalog_records import item_from_record
from terminal.domain.errors import DomainError
from terminal.domain.staff import check_name, check_role, check_staff_id
from terminal.pin_hashes import usable
from terminal.storage import meta, outbox
from terminal.storage import staff as staff_store
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import checkpoint, write_transaction
from terminal.storage.members import Member, MemberRepository, Template
from terminal.storage.template_cipher import TemplateKeyError
from terminal.sync.client import CloudClient, PermanentCloudError

log = logging.getLogger(__name__)

CATALOG_CURSOR = "sync.cursor.catalog"
MEMBERS_CURSOR = "sync.cursor.members"
CLOUD_CONFIG = "sync.cloud_config"
MAX_PAGES = 1000  # a guard against a server that always says has_more


def _cursor(db: Database, key: str) -> int:
    value = meta.get(db, key)
    return int(value) if value else 0


def pull_catalog(db: Database, client: CloudClient, clock: Clock = utc_now) -> int:
    applied = 0
    for _ in range(MAX_PAGES):
        page = client.catalog_changes(_cursor(db, CATALOG_CURSOR))
        upserts: list[CatalogItem] = []
        deleted: list[str] = []
        for record in page.get("items", []):
            try:
                item = item_from_record(record)
            except (DomainError, ValueError) as exc:
                log.warning("skipped a catalog record", extra={"error": str(exc)})
                continue
            if record.get("deleted"):
                deleted.append(item.sku)
            else:
                upserts.append(item)
        with write_transaction(db):
            CatalogRepository(db).apply_changes_in_transaction(upserts, deleted, clock())
            meta.put_in_transaction(db, CATALOG_CURSOR, str(int(page["next_cursor"])))
        applied += len(upserts) + len(deleted)
        if not page.get("has_more"):
            break
    return applied


def _templates(
    members: MemberRepository, member_id: str, raw: list[dict[str, Any]]
) -> list[Template]:
    templates = []
    for entry in raw:
        model = str(entry.get("model", ""))
        try:
            sealed = base64.b64decode(entry["sealed"], validate=True)
            vector = members.open_from_cloud(sealed, member_id=member_id, model=model)
        except (KeyError, binascii.Error, TypeError):
            log.warning("skipped a malformed template", extra={"member": member_id[:8]})
            continue
        except TemplateKeyError as exc:
            log.warning("skipped a template", extra={"member": member_id[:8], "error": str(exc)})
            continue
        if not vector or len(vector) % 4:
            log.warning("skipped a template of odd length", extra={"member": member_id[:8]})
            continue
        templates.append(Template(member_id, model, vector))
    return templates


def pull_members(
    db: Database, client: CloudClient, members: MemberRepository, clock: Clock = utc_now
) -> int:
    applied = 0
    erased = False
    for _ in range(MAX_PAGES):
        page = client.member_changes(_cursor(db, MEMBERS_CURSOR))
        now = clock()
        with write_transaction(db):
            for change in page.get("changes", []):
                member_id = str(change.get("member_id") or "")
                if not member_id:
                    continue
                if change.get("type") == "delete":
                    members.erase_in_transaction(member_id)
                    outbox.scrub_member_in_transaction(db, member_id)
                    erased = True
                else:
                    member = Member(
                        member_id=member_id,
                        display_name=change.get("display_name"),
                        phone_last4=change.get("phone_last4"),
                        points=int(change.get("points") or 0),
                        balance_cents=int(change.get("balance_cents") or 0),
                    )
                    templates = _templates(members, member_id, change.get("templates") or [])
                    members.upsert_in_transaction(member, templates, now)
                applied += 1
            meta.put_in_transaction(db, MEMBERS_CURSOR, str(int(page["next_cursor"])))
        if not page.get("has_more"):
            break
    if erased:
        checkpoint(db)  # the erased pages leave the WAL too, not only the main file
    return applied


def pull_config(db: Database, client: CloudClient) -> dict[str, Any]:
    config = client.config()
    meta.put(db, CLOUD_CONFIG, json.dumps(config, sort_keys=True))
    return config


def cloud_config(db: Database) -> dict[str, Any] | None:
    raw = meta.get(db, CLOUD_CONFIG)
    return json.loads(raw) if raw else None


def pull_staff(db: Database, client: CloudClient, clock: Clock = utc_now) -> int:
    """Apply the store's staff changes after the staff cursor; how many were read. A cloud
    without a staff stream (older than this till) is not an error: nothing to pull."""
    applied = 0
    for _ in range(MAX_PAGES):
        try:
            page = client.staff_changes(staff_store.staff_cursor(db))
        except PermanentCloudError as exc:
            if exc.status == 404:
                log.info("the cloud has no staff stream; staff are not pulled")
                return applied
            raise
        upserts: list[staff_store.StaffRecord] = []
        deletes: list[str] = []
        for change in page.get("changes", []):
            if not isinstance(change, dict):
                continue
            if change.get("type") == "delete":
                staff_id = _staff_id_of(change)
                if staff_id is not None:
                    deletes.append(staff_id)
            else:
                record = _staff_record(change)
                if record is not None:
                    upserts.append(record)
        with write_transaction(db):
            held = staff_store.apply_cloud_changes_in_transaction(db, upserts, deletes, clock())
            meta.put_in_transaction(db, staff_store.STAFF_CURSOR, str(int(page["next_cursor"])))
        for staff_id in held:
            log.warning(
                "a local staff member holds this id: the cloud's entry is not applied until "
                "the local one is disabled",
                extra={"staff_id": staff_id},
            )
        applied += len(upserts) + len(deletes)
        if not page.get("has_more"):
            break
    return applied


def _staff_id_of(change: dict[str, Any]) -> str | None:
    try:
        return check_staff_id(str(change.get("staff_id") or ""))
    except DomainError:
        log.warning("skipped a staff change with a malformed id")
        return None


def _staff_record(change: dict[str, Any]) -> staff_store.StaffRecord | None:
    staff_id = _staff_id_of(change)
    if staff_id is None:
        return None
    pin_hash = change.get("pin_hash")
    if not isinstance(pin_hash, str) or not usable(pin_hash):
        # Never the hash itself in the log: it is what a PIN guesser would want.
        log.warning(
            "skipped a staff member whose PIN hash is not usable", extra={"staff_id": staff_id}
        )
        return None
    try:
        return staff_store.StaffRecord(
            staff_id=staff_id,
            name=check_name(str(change.get("name") or "")),
            role=check_role(str(change.get("role") or "")),
            pin_hash=pin_hash,
            source="cloud",
        )
    except DomainError as exc:
        log.warning("skipped a staff member", extra={"staff_id": staff_id, "error": str(exc)})
        return None
