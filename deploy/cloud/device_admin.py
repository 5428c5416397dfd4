"""Devices and their credentials in the database: one-time enrollment codes (kept only as
their sha256, with an expiry) and device tokens (listed, revoked).

Used by the registration routes, ``admin.create_code`` and the operator's ``facepay-cloud
devices`` commands. Functions taking a ``Connection`` run in the caller's transaction;
the others open their own.

What must not live here: HTTP (status codes, answers) and printing.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud.database import Database
from deploy.cloud.schema import devices, enrollment_codes

CODE_TTL = timedelta(hours=24)
# A code is a bearer credential until it is used: it must not lie around for months.
MAX_CODE_TTL = timedelta(days=30)
MAX_REVOKED_BY = 200  # schema: devices.revoked_by
SELF = "device itself"  # revoked_by when a device gives up its own token


class DeviceError(ValueError):
    """A device id or an enrollment code setting an operator gave is not acceptable."""


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    device_id: str
    store_id: str
    name: str | None
    created_at: str
    revoked_at: str | None
    revoked_by: str | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class Revocation:
    device: DeviceRecord
    already: bool  # the token was revoked before this call; nothing changed


def iso(moment: datetime) -> str:
    """As ``clock.utc_now_iso`` writes times, so stored times compare as text too."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


# -- enrollment codes ----------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """Codes are typed by people: ignore case, spaces and dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_digest(code: str) -> str:
    """What is stored of a code: the sha256 (hex) of its normalised form."""
    return hashlib.sha256(normalise_code(code).encode("ascii", "replace")).hexdigest()


def code_ttl_hours(hours: float) -> timedelta:
    """``--ttl-hours`` as a checked lifetime."""
    most = MAX_CODE_TTL.total_seconds() / 3600
    if not (math.isfinite(hours) and 0 < hours <= most):
        raise DeviceError(
            f"an enrollment code is valid for more than 0 and at most {most:g} hours, not {hours:g}"
        )
    return timedelta(hours=hours)


def check_code_ttl(ttl: timedelta) -> timedelta:
    if ttl <= timedelta(0):
        raise DeviceError(f"an enrollment code must be valid for some time, not {ttl}")
    if ttl > MAX_CODE_TTL:
        raise DeviceError(
            f"an enrollment code may be valid for {MAX_CODE_TTL.days} days at most, not {ttl}"
        )
    return ttl


def insert_code(
    conn: Connection, store_id: str, code: str, *, ttl: timedelta, now: datetime
) -> datetime:
    """Store a new code of ``store_id`` (its hash and expiry); returns when it expires."""
    expires = now + check_code_ttl(ttl)
    conn.execute(
        sa.insert(enrollment_codes).values(
            code_sha256=code_digest(code),
            store_id=store_id,
            created_at=iso(now),
            expires_at=iso(expires),
        )
    )
    return expires


def is_expired(expires_at: str, now: datetime) -> bool:
    return datetime.fromisoformat(expires_at) <= now


# -- device tokens ---------------------------------------------------------------------------


def list_devices(db: Database, store_id: str | None = None) -> list[DeviceRecord]:
    """Every device (of ``store_id`` if given), by store then device id."""
    query = sa.select(devices).order_by(devices.c.store_id, devices.c.device_id)
    if store_id is not None:
        query = query.where(devices.c.store_id == store_id)
    with db.read() as conn:
        return [_record(row) for row in conn.execute(query)]


def revoke(db: Database, device_id: str, *, by: str) -> Revocation:
    """Revoke ``device_id``'s token for good (see ``revoke_in``)."""
    with db.write() as conn:
        return revoke_in(conn, device_id, by=by)


def revoke_in(
    conn: Connection, device_id: str, *, by: str, now: datetime | None = None
) -> Revocation:
    """Revoke the device's token from the next request on; the row stays for the audit. A
    token revoked already stays as it was (who and when of the first revocation)."""
    by = by.strip()
    if not by or len(by) > MAX_REVOKED_BY:
        raise DeviceError(f"say who revokes in 1 to {MAX_REVOKED_BY} characters")
    changed = conn.execute(
        sa.update(devices)
        .where(devices.c.device_id == device_id, devices.c.revoked_at.is_(None))
        .values(revoked_at=iso(now or datetime.now(UTC)), revoked_by=by)
    ).rowcount
    row = conn.execute(sa.select(devices).where(devices.c.device_id == device_id)).first()
    if row is None:
        raise DeviceError(
            f"no device {device_id}; 'facepay-cloud devices list' shows the devices there are"
        )
    return Revocation(_record(row), already=changed == 0)


def _record(row: sa.Row[tuple[object, ...]]) -> DeviceRecord:
    return DeviceRecord(
        device_id=row.device_id,
        store_id=row.store_id,
        name=row.name,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        revoked_by=row.revoked_by,
    )
