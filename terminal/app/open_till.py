"""``OpenTill``: everything a till holds while its store is open, made in one place.

The till opens its SQLite store on its own thread and, from that connection, builds the
repositories, the checkout session and (on a registered till) the member repository and
the enrollment service. They live and die together, so they are one object: a till is
either open (it has an ``OpenTill``) or not, and no method checks seven optional fields.

What must not live here: threads (``Till`` runs this on its store thread), Qt, rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from terminal.app.checkout import CheckoutSession
from terminal.app.enrollment import EnrollmentService
from terminal.app.member_views import mask_name
from terminal.app.returns import ReturnsService
from terminal.app.sale_view import IDLE, MemberView, SaleView, view_of
from terminal.app.shifts import ShiftService
from terminal.app.staff_gate import StaffGate
from terminal.app.staff_login import LoginService, StaffDirectory
from terminal.clock import Clock
from terminal.config import Settings
from terminal.domain.order import Order
from terminal.payments.wallet import PollSchedule
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import open_store
from terminal.storage.members import MemberRepository
from terminal.storage.orders import OrderRepository
from terminal.sync.client import CloudClient
from terminal.sync.member_keys import member_repository
from terminal.sync.registration import Registration


@dataclass(slots=True)
class OpenTill:
    """The open store and what is built on it; see the module docstring."""

    db: Database
    orders: OrderRepository
    catalog: CatalogRepository
    session: CheckoutSession
    members: MemberRepository | None
    enrollment: EnrollmentService | None
    gate: StaffGate  # staff, sign-in, approvals and shifts
    returns: ReturnsService
    # The sale that just closed stays on screen (change, thank-you) until the next starts.
    closed: Order | None = None

    def view(self, touched: int | None = None) -> SaleView:
        """What the screens show now: the sale in progress, else the one just closed."""
        order = self.session.order
        if order is not None:
            return view_of(order, touched, self._member_view(order))
        if self.closed is not None:
            return view_of(self.closed, member=self._member_view(self.closed))
        return IDLE

    def note_finished(self, before: Order | None) -> None:
        """After a change: a sale that ended in it stays on screen as stored on disk; a sale
        in progress takes the closed one's place; a parked one leaves the screen."""
        if self.session.order is not None:
            self.closed = None
        elif before is not None:
            ended = self.orders.load(before.order_no)
            self.closed = ended if ended.is_final else None

    def close(self) -> None:
        self.db.close()

    def _member_view(self, order: Order) -> MemberView | None:
        if order.member_id is None or self.members is None:
            return None
        member = self.members.get(order.member_id)
        if member is None:
            return MemberView(order.member_id, "**")
        return MemberView(member.member_id, mask_name(member.display_name), member.points)


def open_till(
    db_path: Path,
    settings: Settings,
    *,
    clock: Clock,
    registration: Registration | None,
    cloud: CloudClient | None,
    wallet_schedule: PollSchedule | None = None,
) -> OpenTill:
    """Open the store at ``db_path`` and build the session on it (on the calling thread,
    which then owns the connection). Registered: members, joining, face pay and codes."""
    db = open_store(db_path, synchronous=settings.synchronous_mode)
    try:
        orders = OrderRepository(db)
        catalog = CatalogRepository(db)
        members: MemberRepository | None = None
        enrollment: EnrollmentService | None = None
        if registration is not None:
            members = member_repository(db, registration)
            enrollment = EnrollmentService(db, members, settings.device_id, clock=clock)
        session = CheckoutSession(
            orders=orders,
            catalog=catalog,
            settings=settings,
            clock=clock,
            members=members,
            cloud=cloud,
            wallet_schedule=wallet_schedule,
        )
        gate = StaffGate(
            StaffDirectory(db, clock),
            LoginService(db, clock),
            ShiftService(db, settings.device_id, clock=clock),
            clock,
        )
    except BaseException:
        db.close()
        raise
    return OpenTill(
        db, orders, catalog, session, members, enrollment, gate, ReturnsService(db, settings, clock)
    )
