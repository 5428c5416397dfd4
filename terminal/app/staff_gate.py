"""``StaffGate``: who may sell at this till and who approved what, on the store thread.

Once a till has staff (from the cloud, or added locally), selling needs a signed-in
cashier and an open shift, and the restricted actions (``RestrictedAction``: cancel a
sale with lines, void after tender, a discount over the limit, a typed weight, the drawer
without a sale, refunds) need a manager's PIN given at that moment. A till with no staff
at all (a fresh demo) sells as before: there is nobody to sign in.

A manager approves "the next restricted action" (the headless ``manager`` line, or the
approval prompt on screen): the approval is kept for ``APPROVAL_S`` and spent by the first
restricted action, which records the manager on its order.

What must not live here: PIN checks and lockout (``staff_login``), shift arithmetic and
storage (``shifts``), threads, Qt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from terminal.app.shifts import ShiftService, require_open_shift
from terminal.app.staff_login import LoginService, Session, StaffDirectory
from terminal.clock import Clock
from terminal.domain.staff import Approval, RestrictedAction
from terminal.errors import TillError

log = logging.getLogger(__name__)

APPROVAL_S = 120  # a manager's approval is for the action in front of them, not for later
NO_STAFF = "till"  # who opened a shift on a till without staff


@dataclass(frozen=True, slots=True)
class _Granted:
    manager_id: str
    at: datetime


class StaffGate:
    def __init__(
        self, staff: StaffDirectory, login: LoginService, shifts: ShiftService, clock: Clock
    ) -> None:
        self.staff = staff
        self.login = login
        self.shifts = shifts
        self._clock = clock
        self._granted: _Granted | None = None

    @property
    def enforced(self) -> bool:
        """Whether this till has staff, so the rules apply."""
        return self.staff.has_staff()

    @property
    def staff_id(self) -> str | None:
        session = self.login.current
        return session.staff_id if session is not None else None

    def sign_in(self, staff_id: str, pin: str) -> Session:
        self._granted = None
        return self.login.login(staff_id, pin)

    def sign_out(self) -> Session | None:
        self._granted = None
        return self.login.logout()

    def require_selling(self) -> None:
        """Before a new sale begins: a cashier signed in, in an open shift."""
        if not self.enforced:
            return
        if self.login.current is None:
            raise TillError("till.sign_in_first")
        require_open_shift(self.shifts)

    def grant(self, manager_id: str, pin: str) -> str:
        """A manager's PIN, for the next restricted action; their id."""
        # The action named here only labels the log line: the grant covers whichever
        # restricted action comes next, and is spent by it.
        approval = self.login.approve(RestrictedAction.CANCEL_SALE, manager_id, pin)
        self._granted = _Granted(approval.manager_id, self._clock())
        return approval.manager_id

    def authorise(self, action: RestrictedAction) -> str | None:
        """Raise unless the one signed in may do ``action`` (themselves, or with a fresh
        manager's grant, which this spends); the approving manager's id, if one was
        needed. Nothing to check on a till without staff."""
        if not self.enforced:
            return None
        if self.login.may(action):
            return None
        granted, self._granted = self._granted, None
        approval = None
        if granted is not None and self._clock() - granted.at <= timedelta(seconds=APPROVAL_S):
            approval = Approval(granted.manager_id, action, granted.at)
        self.login.authorise(action, approval)
        log.info("restricted action approved", extra={"action": str(action)})
        return approval.manager_id if approval is not None else None

    def shift_staff(self) -> str:
        """Who a shift event is recorded against."""
        return self.staff_id or NO_STAFF
