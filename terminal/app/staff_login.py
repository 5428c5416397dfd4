"""Staff at the till: who is signed in, a manager's approval, and the staff list.

``LoginService`` signs staff in and out and takes a manager's approval for a restricted
action. Every PIN it checks is recorded (``terminal/storage/staff.py``) before it answers,
and the lockout (``terminal/domain/staff.py``) is computed from that record, so it holds
across a restart. To keep ids from being probed:
- an id nobody holds is refused as ``staff.unknown`` after the same work as a wrong PIN
  (a decoy hash is checked), counts towards the lockout like any id, and shows the same
  words as ``staff.wrong_pin``;
- ``staff.disabled`` and ``staff.not_manager`` are said only after a right PIN;
- the typed PIN is never logged, stored or put in an error.

``StaffDirectory`` reads the staff list and keeps the till's local staff (added before
the till was registered; ``facepay-terminal staff``).

Checking a PIN takes ~0.1 s by design: call these on the store thread, never the GUI's.
What must not live here: SQL, hashing, the rules themselves, Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from sqlite_utils import Database

from terminal.clock import Clock, utc_now
from terminal.domain.staff import (
    LOCKOUT,
    STAFF_ID,
    Approval,
    LockoutPolicy,
    LockState,
    RestrictedAction,
    Role,
    StaffError,
    authorise,
    check_name,
    check_role,
    check_staff_id,
    is_pin,
    lock_state,
    may_approve,
    may_do,
)
from terminal.errors import InputError, TillError
from terminal.pin_hashes import hash_pin, spend_a_check, verify_pin
from terminal.storage import staff as staff_store
from terminal.storage.staff import Purpose, StaffExists, StaffRecord

log = logging.getLogger(__name__)


class LoginRefused(TillError):
    """A sign-in or an approval that was refused; the code says why."""

    CODES: ClassVar[Mapping[str, str]] = {
        "staff.refused": "the sign-in was refused",
        # The screens say the same for these two: an id cannot be told from a wrong PIN.
        "staff.unknown": "no staff member has that id here ({tries_left} tries before a lock)",
        "staff.wrong_pin": "wrong PIN for {staff_id} ({tries_left} tries before a lock)",
        "staff.locked": (
            "too many wrong PINs: signing in is locked for {minutes_left} more minute(s)"
        ),
        "staff.disabled": "staff member {staff_id} is disabled on this till",
        "staff.not_signed_in": "no one is signed in: sign in first",
    }
    DEFAULT = "staff.refused"


@dataclass(frozen=True, slots=True)
class Session:
    """Who is signed in at the till, since when."""

    staff_id: str
    name: str
    role: Role
    started_at: datetime


class StaffDirectory:
    """The staff this till knows: from the cloud, and its own local ones."""

    def __init__(self, db: Database, clock: Clock = utc_now):
        self._db = db
        self._clock = clock

    def get(self, staff_id: str) -> StaffRecord | None:
        return staff_store.get(self._db, staff_id)

    def all(self) -> list[StaffRecord]:
        return staff_store.all_staff(self._db)

    def has_staff(self) -> bool:
        """Whether anyone can sign in here (a till with no staff yet cannot ask for it)."""
        return staff_store.count_enabled(self._db) > 0

    def add_local(self, staff_id: str, name: str, role: str, pin: str) -> StaffRecord:
        """A staff member of this till only (a pull never overwrites them); the PIN is
        kept as its hash. ``StaffError`` for a bad id, name, role or PIN; ``InputError``
        if the id is taken."""
        record = StaffRecord(
            staff_id=check_staff_id(staff_id),
            name=check_name(name),
            role=check_role(role),
            pin_hash=hash_pin(pin),
            source="local",
        )
        try:
            staff_store.add_local(self._db, record, self._clock())
        except StaffExists as exc:
            where = "from the cloud" if exc.record.source == "cloud" else "local"
            state = ", disabled" if exc.record.disabled else ""
            raise InputError(
                f"staff id {staff_id} is taken on this till ({where}{state}); choose another"
            ) from None
        log.info("local staff member added", extra={"staff_id": staff_id, "role": str(role)})
        return record

    def disable_local(self, staff_id: str) -> bool:
        """Disable a local staff member; False if disabled already. Cloud staff are
        disabled in the cloud (``facepay-cloud staff disable``): ``InputError``."""
        found = self.get(staff_id)
        if found is None:
            raise InputError(f"no staff member {staff_id} on this till")
        if found.source != "local":
            raise InputError(
                f"staff member {staff_id} comes from the cloud: disable them there "
                "('facepay-cloud staff disable'); the till drops them at its next sync"
            )
        changed = staff_store.disable_local(self._db, staff_id, self._clock())
        if changed:
            log.info("local staff member disabled", extra={"staff_id": staff_id})
        return changed


class LoginService:
    """Sign-in, sign-out and managers' approvals on one till's store."""

    def __init__(self, db: Database, clock: Clock = utc_now, policy: LockoutPolicy = LOCKOUT):
        self._db = db
        self._clock = clock
        self._policy = policy
        self._session: Session | None = None

    @property
    def current(self) -> Session | None:
        return self._session

    def login(self, staff_id: str, pin: str) -> Session:
        """Sign ``staff_id`` in, ending whoever was signed in; ``LoginRefused`` if not."""
        record, now = self._check(staff_id, pin, "login")
        self._session = Session(record.staff_id, record.name, record.role, now)
        log.info("signed in", extra={"staff_id": record.staff_id, "role": str(record.role)})
        return self._session

    def logout(self) -> Session | None:
        """Sign out; the session that ended, if there was one."""
        ended, self._session = self._session, None
        if ended is not None:
            log.info("signed out", extra={"staff_id": ended.staff_id})
        return ended

    def approve(self, action: RestrictedAction, manager_id: str, pin: str) -> Approval:
        """A manager's approval of ``action``, given with their own id and PIN at the
        prompt; ``LoginRefused`` for a wrong id or PIN (counted like a sign-in),
        ``StaffError`` (``staff.not_manager``) if the PIN is right but not a manager's."""
        record, now = self._check(manager_id, pin, "approve")
        if not may_approve(record.role):
            raise StaffError("staff.not_manager", staff_id=record.staff_id)
        log.info(
            "manager approval",
            extra={"staff_id": record.staff_id, "action": str(action)},
        )
        return Approval(record.staff_id, action, now)

    def may(self, action: RestrictedAction) -> bool:
        """Whether the one signed in may do ``action`` without asking a manager."""
        return self._session is not None and may_do(self._session.role, action)

    def authorise(self, action: RestrictedAction, approval: Approval | None = None) -> None:
        """Raise unless someone is signed in and may do ``action``, on their own or with
        ``approval`` (a manager's, of this very action)."""
        if self._session is None:
            raise LoginRefused("staff.not_signed_in")
        authorise(self._session.role, action, approval)

    def lock_state(self, staff_id: str) -> LockState:
        now = self._clock()
        return self._lock_state(_as_recorded(staff_id), now)

    # -- the check -------------------------------------------------------------------

    def _lock_state(self, recorded_id: str, now: datetime) -> LockState:
        attempts = staff_store.attempts_since(self._db, now - self._policy.history)
        return lock_state(attempts, recorded_id, now, self._policy)

    def _check(self, staff_id: str, pin: str, purpose: Purpose) -> tuple[StaffRecord, datetime]:
        now = self._clock()
        recorded_id = _as_recorded(staff_id)
        before = self._lock_state(recorded_id, now)
        if before.locked_until is not None:
            raise LoginRefused("staff.locked", minutes_left=before.minutes_left(now))
        record = staff_store.get(self._db, recorded_id) if recorded_id else None
        # Not a PIN at all (a pasted page, a letter): checked as "" (never a PIN's hash),
        # so it is wrong in the same time as any wrong PIN.
        candidate = pin if is_pin(pin) else ""
        if record is None:
            spend_a_check(candidate)
            ok = False
        else:
            ok = verify_pin(record.pin_hash, candidate)
        signed_in = ok and record is not None and not record.disabled
        staff_store.record_attempt(
            self._db,
            recorded_id,
            ok=signed_in,
            at=now,
            purpose=purpose,
            keep_since=now - self._policy.history,
        )
        if record is None or not ok:
            after = self._lock_state(recorded_id, now)
            log.info("wrong staff id or PIN", extra={"purpose": purpose})
            if after.locked_until is not None:
                raise LoginRefused("staff.locked", minutes_left=after.minutes_left(now))
            if record is None:
                raise LoginRefused("staff.unknown", tries_left=after.tries_left)
            raise LoginRefused(
                "staff.wrong_pin", staff_id=record.staff_id, tries_left=after.tries_left
            )
        if record.disabled:
            raise LoginRefused("staff.disabled", staff_id=record.staff_id)
        return record, now


def _as_recorded(staff_id: str) -> str:
    """The id as the attempts record keeps it: as typed if it could be an id, else ""."""
    return staff_id if isinstance(staff_id, str) and STAFF_ID.fullmatch(staff_id) else ""
