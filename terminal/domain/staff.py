"""Staff rules: who may do what at the till, the shape of a staff id and a PIN, and when
wrong PINs lock sign-in.

- Roles: a ``cashier`` sells; a ``manager`` may also do every ``RestrictedAction`` and
  approve one for a cashier (the manager types their own id and PIN at the prompt).
- Lockout, from the record of verified attempts (``Attempt``), so it is the same after a
  restart: 5 wrong PINs for one staff id within 15 minutes lock that id for 5 minutes
  (a correct PIN for the id clears its count); and 10 wrong PINs on the till, whatever
  the ids, within 15 minutes lock every sign-in on the till for 5 minutes (a correct
  PIN does not clear that count: someone who knows their own PIN cannot use it to keep
  guessing another's). Ids nobody holds are counted exactly like real ones, so a lock or
  the tries left never tell whether an id exists.

What must not live here: hashing PINs (``terminal/pin_hashes.py``), the attempts table
(``terminal/storage/staff.py``), the sign-in itself (``terminal/app/staff_login.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from terminal.domain.errors import DomainError

STAFF_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
PIN = re.compile(r"^[0-9]{4,8}$")  # ASCII digits only: "٣" is a digit to \d, not to a keypad
MAX_NAME = 100


class Role(StrEnum):
    CASHIER = "cashier"
    MANAGER = "manager"


class RestrictedAction(StrEnum):
    """What a cashier may do only with a manager's approval."""

    CANCEL_SALE = "cancel_sale"  # cancel a sale that has lines
    VOID_AFTER_TENDER = "void_after_tender"  # void a line once tendering has started
    DISCOUNT_OVER_LIMIT = "discount_over_limit"  # a discount above the configured limit
    PRICE_OVERRIDE = "price_override"
    REFUND = "refund"
    RETURN_WITHOUT_RECEIPT = "return_without_receipt"
    OPEN_DRAWER = "open_drawer"  # open the cash drawer without a sale
    MANUAL_WEIGHT = "manual_weight"  # type a weight instead of reading the scale


class StaffError(DomainError):
    """A staff record or an action that breaks a staff rule."""

    CODES: ClassVar[Mapping[str, str]] = {
        "staff.invalid": "that staff record breaks a rule",
        "staff.bad_id": (
            "staff id {staff_id!r} must be 1 to 16 letters, digits, '_' or '-' (e.g. alice-01)"
        ),
        "staff.bad_name": "a staff member's name must be 1 to {max_length} characters",
        "staff.bad_role": "role {role!r} is not cashier or manager",
        "staff.bad_pin": "a PIN is 4 to 8 digits",
        "staff.approval_needed": "{action} needs a manager's approval",
        "staff.not_manager": "{staff_id} is not a manager: only a manager can approve",
    }
    DEFAULT = "staff.invalid"


def check_staff_id(staff_id: str) -> str:
    if not isinstance(staff_id, str) or not STAFF_ID.fullmatch(staff_id):
        raise StaffError("staff.bad_id", staff_id=str(staff_id)[:40])
    return staff_id


def check_name(name: str) -> str:
    cleaned = name.strip() if isinstance(name, str) else ""
    if not cleaned or len(cleaned) > MAX_NAME or not cleaned.isprintable():
        raise StaffError("staff.bad_name", max_length=MAX_NAME)
    return cleaned


def check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise StaffError("staff.bad_role", role=str(role)[:40]) from None


def is_pin(pin: str) -> bool:
    return isinstance(pin, str) and PIN.fullmatch(pin) is not None


def check_pin(pin: str) -> str:
    """The PIN if it has the right shape; the error never repeats what was typed."""
    if not is_pin(pin):
        raise StaffError("staff.bad_pin")
    return pin


# -- what each role may do ------------------------------------------------------------

_MAY_DO: Mapping[Role, frozenset[RestrictedAction]] = {
    Role.CASHIER: frozenset(),
    Role.MANAGER: frozenset(RestrictedAction),
}


def may_do(role: Role, action: RestrictedAction) -> bool:
    """Whether ``role`` may do ``action`` on its own, without anyone's approval."""
    return action in _MAY_DO[role]


def may_approve(role: Role) -> bool:
    return role is Role.MANAGER


def needs_approval(role: Role, action: RestrictedAction) -> bool:
    return not may_do(role, action)


@dataclass(frozen=True, slots=True)
class Approval:
    """A manager's approval of one action, given at the till at ``at``."""

    manager_id: str
    action: RestrictedAction
    at: datetime


def authorise(role: Role, action: RestrictedAction, approval: Approval | None = None) -> None:
    """Raise ``staff.approval_needed`` unless ``role`` may do ``action`` itself or brings
    a manager's approval of exactly this action."""
    if may_do(role, action):
        return
    if approval is None or approval.action is not action:
        raise StaffError("staff.approval_needed", action=str(action))


# -- lockout ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attempt:
    """One PIN that was checked: for which id (as typed), when, and whether it was right."""

    staff_id: str
    at: datetime
    ok: bool


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    per_staff: int = 5  # wrong PINs for one id ...
    per_till: int = 10  # ... or for any ids on this till ...
    window: timedelta = timedelta(minutes=15)  # ... within this long ...
    lock: timedelta = timedelta(minutes=5)  # ... lock sign-in (of the id, of the till) this long

    # The attempts kept and replayed: far more than a window and a lock, so where the
    # replay starts does not change today's answer.
    history: timedelta = timedelta(days=1)


LOCKOUT = LockoutPolicy()


@dataclass(frozen=True, slots=True)
class LockState:
    locked_until: datetime | None
    tries_left: int  # wrong PINs before the next lock (of the id or of the till)

    def minutes_left(self, now: datetime) -> int:
        """Whole minutes, rounded up, until sign-in opens again (0: not locked)."""
        if self.locked_until is None or self.locked_until <= now:
            return 0
        return max(1, math.ceil((self.locked_until - now).total_seconds() / 60))


@dataclass(frozen=True, slots=True)
class _Streak:
    locked_until: datetime | None
    run: tuple[datetime, ...]  # the failures counting towards the next lock

    def failures_since(self, now: datetime, policy: LockoutPolicy) -> int:
        return sum(1 for t in self.run if now - t < policy.window)


def _walk(
    attempts: Iterable[Attempt], threshold: int, policy: LockoutPolicy, *, reset_on_success: bool
) -> _Streak:
    """Replay the attempts in time order: ``threshold`` failures within ``window`` lock
    for ``lock``, and counting starts again. Attempts made while locked are refused before
    any PIN is checked, so they are never recorded and never lengthen a lock."""
    run: list[datetime] = []
    locked_until: datetime | None = None
    for attempt in sorted(attempts, key=lambda a: a.at):
        if attempt.ok:
            if reset_on_success:
                run = []
            continue
        run = [*(t for t in run if attempt.at - t < policy.window), attempt.at]
        if len(run) >= threshold:
            locked_until = attempt.at + policy.lock
            run = []
    return _Streak(locked_until, tuple(run))


def lock_state(
    attempts: Iterable[Attempt], staff_id: str, now: datetime, policy: LockoutPolicy = LOCKOUT
) -> LockState:
    """Whether sign-in as ``staff_id`` is locked at ``now``, from the attempts on this till
    over the last ``policy.history`` (the store keeps that much). Failures older than
    ``window`` no longer count towards ``tries_left``. A clock set back never makes a lock
    last longer than ``policy.lock`` from ``now``."""
    attempts = list(attempts)
    own = _walk(
        (a for a in attempts if a.staff_id == staff_id),
        policy.per_staff,
        policy,
        reset_on_success=True,
    )
    till = _walk(attempts, policy.per_till, policy, reset_on_success=False)
    until = max(
        (t for t in (own.locked_until, till.locked_until) if t is not None and t > now),
        default=None,
    )
    if until is not None:
        until = min(until, now + policy.lock)
    return LockState(
        locked_until=until,
        tries_left=min(
            policy.per_staff - own.failures_since(now, policy),
            policy.per_till - till.failures_since(now, policy),
        ),
    )
