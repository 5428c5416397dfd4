"""One-time codes sent to a member's phone, the proof that a request comes from the member
(adding a face template to an existing member, erasure, withdrawing a consent).

- A code is 6 random digits, valid ``LIFETIME``, used once, dead after ``MAX_ATTEMPTS``
  wrong tries. The database keeps only an HMAC of it, keyed by a key derived from the
  member's data key (``vault``), which is stored wrapped by the master key: a copy of the
  database cannot try the 10^6 codes offline, and erasure shreds that key too.
- Sending is rate limited from the rows themselves (per member and per device, over
  ``WINDOW``), so the limit holds across restarts.
- ``issue`` runs in the caller's write transaction and returns the message; the caller
  hands it to the SMS gateway (``deliver``) after commit, so no network call holds the
  database's write lock and no code is sent that was not stored.
- ``verify`` answers a ``Check`` instead of raising: a wrong try must be counted, so the
  caller commits it and raises ``refusal(check)`` afterwards.

What must not live here: HTTP routes; what a proved request then does.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Literal, get_args

import sqlalchemy as sa
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.engine import Connection

from deploy.cloud import member_records
from deploy.cloud.errors import ApiError, forbidden
from deploy.cloud.schema import members, one_time_codes
from deploy.cloud.sms import SmsGateway
from deploy.cloud.vault import Vault

log = logging.getLogger(__name__)

Purpose = Literal["add_template", "erase"]
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)
CODE_DIGITS = 6
LIFETIME = timedelta(minutes=5)
MAX_ATTEMPTS = 5
WINDOW = timedelta(minutes=15)
PER_MEMBER = 3  # codes a member's phone gets per WINDOW
PER_DEVICE = 20  # codes one till asks for per WINDOW, for all its customers
_KEY_INFO = b"facepay one-time code key v1"
_WORDS = {
    "add_template": ("添加刷脸模板", "add a face to your membership"),
    "erase": ("删除会员数据或撤回同意", "erase your data or withdraw a consent"),
}


class Verdict(StrEnum):
    OK = "ok"
    UNKNOWN = "otp_unknown"
    WRONG = "otp_wrong"
    EXPIRED = "otp_expired"
    USED = "otp_used"
    LOCKED = "otp_locked"


@dataclass(frozen=True, slots=True)
class Check:
    verdict: Verdict
    attempts_left: int = 0

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK


@dataclass(frozen=True, slots=True)
class PendingCode:
    """A stored code and the message that carries it, to be sent once committed."""

    otp_id: str
    member_id: str
    expires_at: str
    phone: str = field(repr=False)
    text: str = field(repr=False)


def issue(
    conn: Connection,
    vault: Vault,
    *,
    member_id: str,
    store_id: str,
    purpose: Purpose,
    device_id: str | None,
    now: datetime | None = None,
) -> PendingCode:
    """A new code for the member of ``store_id``. Raises ``ApiError``: 404 for an unknown
    member, 403 for one of another store, 409 for an erased member or one without a
    phone, 429 (with Retry-After) past the sending limits."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown one-time code purpose {purpose!r}")
    moment = now or datetime.now(UTC)
    # The member's row is locked first, so two requests at once cannot both slip under
    # the member's limit.
    found = conn.execute(
        sa.select(members.c.store_id, members.c.deleted)
        .where(members.c.member_id == member_id)
        .with_for_update()
    ).first()
    if found is None:
        raise ApiError(404, "member_unknown", f"member {member_id} is not known")
    if found.store_id != store_id:
        raise forbidden(f"member {member_id} belongs to another store")
    if found.deleted:
        raise ApiError(409, "member_erased", f"member {member_id} was erased")
    _check_limit(conn, one_time_codes.c.member_id == member_id, PER_MEMBER, moment, "member")
    if device_id is not None:
        _check_limit(conn, one_time_codes.c.device_id == device_id, PER_DEVICE, moment, "till")
    key = vault.member_key(conn, member_id)
    phone = member_records.personal(conn, vault, member_id).phone
    if key is None or not phone:
        raise ApiError(
            409,
            "member_no_phone",
            f"member {member_id} has no phone number on file: a code cannot be sent; an "
            "operator can help ('facepay-cloud members erase')",
        )
    otp_id = str(uuid.uuid4())
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    expires = moment + LIFETIME
    conn.execute(
        sa.insert(one_time_codes).values(
            otp_id=otp_id,
            member_id=member_id,
            store_id=store_id,
            purpose=purpose,
            code_sha256=_digest(key, otp_id, member_id, purpose, code),
            device_id=device_id,
            attempts=0,
            created_at=_iso(moment),
            expires_at=_iso(expires),
        )
    )
    log.info("one-time code issued", extra={"otp_id": otp_id, "purpose": purpose})
    return PendingCode(otp_id, member_id, _iso(expires), phone, message(code, purpose))


def deliver(gateway: SmsGateway, pending: PendingCode) -> None:
    gateway.send(pending.phone, pending.text, pending.member_id)


def message(code: str, purpose: Purpose) -> str:
    zh, en = _WORDS[purpose]
    minutes = int(LIFETIME.total_seconds() // 60)
    return (
        f"【facepay】验证码 {code}，用于{zh}，{minutes}分钟内有效。请勿告诉任何人，包括店员。"
        f" facepay code {code} to {en}; valid {minutes} min. Never tell it to anyone, "
        "staff included."
    )


def verify(
    conn: Connection,
    vault: Vault,
    otp_id: str,
    code: str,
    *,
    member_id: str,
    purpose: Purpose,
    now: datetime | None = None,
) -> Check:
    """Try ``code`` against the code ``otp_id`` of the member for ``purpose``; a right
    one is used up, a wrong one counted. Commit whatever the answer."""
    moment = now or datetime.now(UTC)
    row = conn.execute(
        sa.select(one_time_codes).where(one_time_codes.c.otp_id == otp_id).with_for_update()
    ).first()
    # Another member's code, or one for something else, is not this request's code: no
    # try is counted against it (its member is not the one guessing).
    if row is None or row.member_id != member_id or row.purpose != purpose:
        return Check(Verdict.UNKNOWN)
    if row.used_at is not None:
        return Check(Verdict.USED)
    if row.attempts >= MAX_ATTEMPTS:
        return Check(Verdict.LOCKED)
    if row.expires_at <= _iso(moment):
        return Check(Verdict.EXPIRED)
    key = vault.member_key(conn, member_id)
    right = key is not None and hmac.compare_digest(
        _digest(key, otp_id, member_id, purpose, code), row.code_sha256
    )
    attempts = row.attempts + 1
    values: dict[str, object] = {"attempts": attempts}
    if right:
        values["used_at"] = _iso(moment)
    conn.execute(sa.update(one_time_codes).where(one_time_codes.c.otp_id == otp_id).values(values))
    if right:
        return Check(Verdict.OK)
    left = MAX_ATTEMPTS - attempts
    log.info("wrong one-time code", extra={"otp_id": otp_id, "attempts_left": left})
    return Check(Verdict.LOCKED if left <= 0 else Verdict.WRONG, left)


_REFUSALS = {
    Verdict.UNKNOWN: "no such code for this member and purpose; ask for a new code",
    Verdict.EXPIRED: "the code has expired; ask for a new code",
    Verdict.USED: "the code was used already; ask for a new code",
    Verdict.LOCKED: "too many wrong codes; ask for a new code",
}


def refusal(check: Check) -> ApiError:
    """The 403 answer for a code that did not prove the member."""
    if check.verdict is Verdict.WRONG:
        tries = "try" if check.attempts_left == 1 else "tries"
        text = f"the code is wrong; {check.attempts_left} more {tries} with this code"
        return ApiError(403, check.verdict.value, text)
    return ApiError(403, check.verdict.value, _REFUSALS[check.verdict])


def _check_limit(
    conn: Connection, which: sa.ColumnElement[bool], limit: int, now: datetime, who: str
) -> None:
    since = _iso(now - WINDOW)
    recent = [
        row.created_at
        for row in conn.execute(
            sa.select(one_time_codes.c.created_at)
            .where(which, one_time_codes.c.created_at > since)
            .order_by(one_time_codes.c.created_at.desc())
            .limit(limit)
        )
    ]
    if len(recent) < limit:
        return
    # The oldest of the last ``limit`` codes has to leave the window first.
    free_at = datetime.fromisoformat(recent[-1]) + WINDOW
    retry = max(1, math.ceil((free_at - now).total_seconds()))
    log.info("one-time codes rate limited", extra={"per": who, "retry_after_s": retry})
    raise ApiError(
        429,
        "rate_limited",
        f"too many one-time codes for this {who}; try again in {retry} s",
        {"Retry-After": str(retry)},
    )


def _digest(member_key: bytes, otp_id: str, member_id: str, purpose: str, code: str) -> str:
    key = HKDF(algorithm=SHA256(), length=32, salt=None, info=_KEY_INFO).derive(member_key)
    message = f"{otp_id}\n{member_id}\n{purpose}\n{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
