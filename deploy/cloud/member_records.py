"""Members as rows: personal data and templates sealed on the way in, opened on the way
out, and erasure by shredding the member's key. Every function runs in the caller's
transaction; routes and operator commands compose them.

What must not live here: HTTP (routes), who may ask (auth, one-time codes), the 1:N and
1:1 arithmetic (``face_templates``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud.clock import utc_now_iso
from deploy.cloud.face_templates import Template, from_bytes
from deploy.cloud.schema import member_templates, members, one_time_codes, sms_messages
from deploy.cloud.stores import bump
from deploy.cloud.vault import Vault


@dataclass(frozen=True, slots=True)
class Personal:
    """What identifies a member, never stored in the clear."""

    display_name: str | None = None  # masked: "Zhang**"
    phone_last4: str | None = None  # the tills' narrowing key
    phone: str | None = None  # the full number, for one-time codes; never sent to a till


@dataclass(frozen=True, slots=True)
class MemberRow:
    member_id: str
    store_id: str
    deleted: bool
    face_enabled: bool


def find(conn: Connection, member_id: str) -> MemberRow | None:
    row = conn.execute(
        sa.select(
            members.c.member_id, members.c.store_id, members.c.deleted, members.c.face_enabled
        ).where(members.c.member_id == member_id)
    ).first()
    if row is None:
        return None
    return MemberRow(row.member_id, row.store_id, bool(row.deleted), bool(row.face_enabled))


def insert(
    conn: Connection,
    vault: Vault,
    store_id: str,
    member_id: str,
    personal: Personal,
    *,
    points: int = 0,
    balance_cents: int = 0,
) -> bytes:
    """A new member with its own data key; returns the key (to seal its templates)."""
    now = utc_now_iso()
    seq = bump(conn, store_id, "member_seq")
    conn.execute(
        sa.insert(members).values(
            member_id=member_id,
            store_id=store_id,
            personal_sealed=None,
            face_enabled=True,
            points=points,
            balance_cents=balance_cents,
            deleted=False,
            change_seq=seq,
            created_at=now,
            updated_at=now,
        )
    )
    key = vault.create_member_key(conn, member_id)
    conn.execute(
        sa.update(members)
        .where(members.c.member_id == member_id)
        .values(personal_sealed=vault.seal_personal(key, member_id, asdict(personal)))
    )
    return key


def personal(conn: Connection, vault: Vault, member_id: str) -> Personal:
    """The member's personal data; empty for an erased member."""
    key = vault.member_key(conn, member_id)
    if key is None:
        return Personal()
    blob = conn.execute(
        sa.select(members.c.personal_sealed).where(members.c.member_id == member_id)
    ).scalar_one_or_none()
    return Personal(**vault.open_personal(key, member_id, blob))


def personal_of(
    conn: Connection, vault: Vault, rows: list[tuple[str, bytes | None]]
) -> dict[str, Personal]:
    """(member id, sealed personal data) rows opened in one go."""
    keys = vault.member_keys(conn, [member_id for member_id, _ in rows])
    return {
        member_id: Personal(**vault.open_personal(keys[member_id], member_id, blob))
        for member_id, blob in rows
        if member_id in keys
    }


def touch(conn: Connection, store_id: str, member_id: str) -> int:
    """A new change number for the member, so every till pulls it again."""
    seq = bump(conn, store_id, "member_seq")
    conn.execute(
        sa.update(members)
        .where(members.c.member_id == member_id)
        .values(change_seq=seq, updated_at=utc_now_iso())
    )
    return seq


def add_template(
    conn: Connection,
    vault: Vault,
    member_id: str,
    store_id: str,
    template: Template,
    *,
    enrollment_id: str | None = None,
) -> None:
    key = vault.member_key(conn, member_id)
    if key is None:
        raise LookupError(f"member {member_id} has no key (erased)")
    conn.execute(
        sa.insert(member_templates).values(
            member_id=member_id,
            store_id=store_id,
            model=template.model,
            dim=template.dim,
            sealed=vault.seal_template(key, member_id, template.model, template.to_bytes()),
            # An operator's template has no terminal enrollment: a fresh id like one.
            enrollment_id=enrollment_id or str(uuid.uuid4()),
            created_at=utc_now_iso(),
        )
    )


def templates(
    conn: Connection, vault: Vault, member_ids: list[str], model: str | None = None
) -> dict[str, list[Template]]:
    """The members' templates, opened, in the order they were added."""
    found: dict[str, list[Template]] = defaultdict(list)
    if not member_ids:
        return found
    keys = vault.member_keys(conn, member_ids)
    query = (
        sa.select(member_templates.c.member_id, member_templates.c.model, member_templates.c.sealed)
        .where(member_templates.c.member_id.in_(member_ids))
        .order_by(member_templates.c.template_id)
    )
    if model is not None:
        query = query.where(member_templates.c.model == model)
    for row in conn.execute(query):
        key = keys.get(row.member_id)
        if key is None:
            continue
        vector = vault.open_template(key, row.member_id, row.model, row.sealed)
        found[row.member_id].append(from_bytes(row.model, vector))
    return found


def store_gallery(
    conn: Connection, vault: Vault, store_id: str, model: str
) -> list[tuple[str, bytes]]:
    """(member id, normalised vector) of every face of the store for ``model``."""
    member_ids = [
        row.member_id
        for row in conn.execute(
            sa.select(member_templates.c.member_id)
            .where(member_templates.c.store_id == store_id, member_templates.c.model == model)
            .distinct()
        )
    ]
    opened = templates(conn, vault, member_ids, model)
    return [
        (member_id, template.to_bytes())
        for member_id, found in opened.items()
        for template in found
    ]


def remove_face(conn: Connection, vault: Vault, store_id: str, member_id: str) -> None:
    """Face pay consent withdrawn: the templates go, the membership stays. The member's
    key is replaced (the personal data sealed again under the new one), so the templates'
    sealed copies left in free pages, the WAL or a backup open with nothing any more."""
    kept = personal(conn, vault, member_id)
    Vault.shred_member_key(conn, member_id)
    key = vault.create_member_key(conn, member_id)
    conn.execute(
        sa.update(members)
        .where(members.c.member_id == member_id)
        .values(personal_sealed=vault.seal_personal(key, member_id, asdict(kept)))
    )
    conn.execute(sa.delete(member_templates).where(member_templates.c.member_id == member_id))
    conn.execute(
        sa.update(members).where(members.c.member_id == member_id).values(face_enabled=False)
    )
    touch(conn, store_id, member_id)


def erase(conn: Connection, store_id: str, member_id: str) -> None:
    """Erase the member: shred the key (every sealed copy anywhere becomes unreadable),
    delete the sealed rows and codes sent to the phone, and leave a tombstone change so
    every till drops the member too. The caller records who asked (``erasures``)."""
    seq = bump(conn, store_id, "member_seq")
    Vault.shred_member_key(conn, member_id)
    conn.execute(sa.delete(member_templates).where(member_templates.c.member_id == member_id))
    conn.execute(sa.delete(one_time_codes).where(one_time_codes.c.member_id == member_id))
    conn.execute(sa.delete(sms_messages).where(sms_messages.c.member_id == member_id))
    conn.execute(
        sa.update(members)
        .where(members.c.member_id == member_id)
        .values(
            personal_sealed=None,
            face_enabled=False,
            points=0,
            balance_cents=0,
            deleted=True,
            change_seq=seq,
            updated_at=utc_now_iso(),
        )
    )
