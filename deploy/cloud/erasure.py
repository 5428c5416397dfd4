"""How a member's data leaves on request: erasure of the whole member, and the withdrawal
of a consent (face pay: the face goes, the membership stays; membership: erasure).

Every erasure leaves an audit row in ``erasures`` (who asked, through what, how it was
proved; no personal data) and ends the member's consents. A member proves a request from
a till with a one-time code sent to their phone (``prove``); the till's own face check
is recorded beside the code but never trusted alone. After an erasure commits,
``scrub`` pushes the deleted bytes out of the database files.

What must not live here: HTTP routes; how the member's rows are erased
(``member_records``); sending codes (``one_time_codes``).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Literal, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud import consent_registry, member_records, one_time_codes
from deploy.cloud.clock import utc_now_iso
from deploy.cloud.database import Database
from deploy.cloud.member_records import MemberRow
from deploy.cloud.schema import (
    erasures,
    member_keys,
    member_templates,
    members,
    sms_messages,
)
from deploy.cloud.schema import (
    one_time_codes as one_time_codes_table,
)
from deploy.cloud.stores import StoreError
from deploy.cloud.vault import Vault

log = logging.getLogger(__name__)

Via = Literal["device", "operator"]
Proof = Literal["face+otp", "otp", "operator"]
# The tables an erasure deletes from: vacuumed after it on PostgreSQL.
ERASED_TABLES = (members, member_templates, member_keys, one_time_codes_table, sms_messages)


@dataclass(frozen=True, slots=True)
class Requester:
    """Who asked for an erasure or withdrawal, through what, and how it was proved."""

    requested_by: str  # free text: "customer at till", "ticket 4711"
    via: Via
    device_id: str | None
    proof: Proof

    @property
    def label(self) -> str:
        return f"device:{self.device_id}" if self.via == "device" else "operator"

    @classmethod
    def operator(cls, requested_by: str) -> Requester:
        return cls(requested_by, "operator", None, "operator")


@dataclass(frozen=True, slots=True)
class Erasure:
    member_id: str
    erasure_id: str | None  # None: erased before erasures were recorded
    proof: Proof | None
    created_at: str | None
    repeat: bool


@dataclass(frozen=True, slots=True)
class Withdrawal:
    member_id: str
    kind: str
    withdrawn_at: str
    erased: bool
    repeat: bool


def lock_member(conn: Connection, member_id: str) -> MemberRow | None:
    """The member, its row locked until commit: two requests for one member queue, and
    the second sees what the first did."""
    conn.execute(
        sa.select(members.c.member_id).where(members.c.member_id == member_id).with_for_update()
    )
    return member_records.find(conn, member_id)


def prove(
    conn: Connection,
    vault: Vault,
    member_id: str,
    otp_id: str,
    code: str,
    *,
    device_id: str,
    requested_by: str,
    face_verified: bool,
) -> Requester | one_time_codes.Check:
    """The requester a till speaks for once the member's erase code is right, else the
    failed check (commit it: the try is counted)."""
    check = one_time_codes.verify(conn, vault, otp_id, code, member_id=member_id, purpose="erase")
    if not check.ok:
        return check
    return Requester(requested_by, "device", device_id, "face+otp" if face_verified else "otp")


def erase_member(conn: Connection, member: MemberRow, requester: Requester) -> Erasure:
    """Erase ``member`` (locked by ``lock_member``) and record who asked; a member erased
    already is answered with the earlier erasure."""
    if member.deleted:
        return earlier(conn, member.member_id)
    member_records.erase(conn, member.store_id, member.member_id)
    now = utc_now_iso()
    consent_registry.mark_withdrawn(
        conn, member.member_id, consent_registry.KINDS, requester.label, now
    )
    erasure_id = str(uuid.uuid4())
    conn.execute(
        sa.insert(erasures).values(
            erasure_id=erasure_id,
            member_id=member.member_id,
            store_id=member.store_id,
            requested_by=requester.requested_by[:200],
            via=requester.via,
            device_id=requester.device_id,
            proof=requester.proof,
            created_at=now,
        )
    )
    log.info(
        "member erased",
        extra={"erasure_id": erasure_id, "via": requester.label, "proof": requester.proof},
    )
    return Erasure(member.member_id, erasure_id, requester.proof, now, repeat=False)


def earlier(conn: Connection, member_id: str) -> Erasure:
    row = conn.execute(
        sa.select(erasures.c.erasure_id, erasures.c.proof, erasures.c.created_at)
        .where(erasures.c.member_id == member_id)
        .order_by(erasures.c.created_at)
        .limit(1)
    ).first()
    if row is None:
        return Erasure(member_id, None, None, None, repeat=True)
    return Erasure(member_id, row.erasure_id, cast(Proof, row.proof), row.created_at, repeat=True)


def withdrawn_before(conn: Connection, member: MemberRow, kind: str) -> Withdrawal:
    """The answer for a member erased already: nothing is left to withdraw."""
    erased = earlier(conn, member.member_id)
    when = erased.created_at or utc_now_iso()
    return Withdrawal(member.member_id, kind, when, erased=True, repeat=True)


def withdraw(
    conn: Connection, vault: Vault, member: MemberRow, kind: str, requester: Requester
) -> Withdrawal:
    """End the member's consent of ``kind``: face pay takes the face (the templates, and
    face pay at every till), membership erases the member."""
    if member.deleted:
        return withdrawn_before(conn, member, kind)
    if kind == "membership":
        erasure = erase_member(conn, member, requester)
        when = erasure.created_at or utc_now_iso()
        return Withdrawal(member.member_id, kind, when, erased=True, repeat=erasure.repeat)
    if kind != "face_pay":
        raise ValueError(f"unknown consent kind {kind!r}")
    member_records.remove_face(conn, vault, member.store_id, member.member_id)
    when = consent_registry.mark_withdrawn(conn, member.member_id, ("face_pay",), requester.label)
    log.info("face pay consent withdrawn", extra={"via": requester.label})
    return Withdrawal(member.member_id, kind, when, erased=False, repeat=not member.face_enabled)


def erase_by_operator(db: Database, member_id: str, requested_by: str) -> Erasure:
    """An operator's erasure (the member asked at the service desk, in writing, ...)."""
    if not requested_by.strip():
        raise StoreError("--requested-by must say who asked for the erasure")
    with db.write() as conn:
        member = lock_member(conn, member_id)
        if member is None:
            raise StoreError(f"member {member_id} is not known")
        erasure = erase_member(conn, member, Requester.operator(requested_by.strip()))
    if not erasure.repeat:
        scrub(db)
    return erasure


def scrub(db: Database) -> None:
    """Once an erasure has committed: no deleted bytes left in the WAL or free pages."""
    db.scrub(ERASED_TABLES)
