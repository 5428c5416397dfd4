"""``CloudSide``: what the till's cloud thread works with. Its own connection to the store
(SQLite connections stay on the thread that opened them) and the payment services built
on it: wallet codes, face pay, the queue of payments whose result is unknown. It also
keeps the store's online flag true to the last call the till made, so both screens show
offline the moment a call fails instead of a sync cycle later.

Made, used and closed on the cloud thread only. What must not live here: the checkout
session (the store thread's), rules about closing an order.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlite_utils import Database

from terminal.app import forget_me
from terminal.app.forget_me import ForgetKind
from terminal.app.remote_tender import RemoteResult, RemoteTender, carry_out
from terminal.app.returns import RefundOutcome, carry_out_refund
from terminal.clock import Clock
from terminal.config import Settings
from terminal.payments.offline import last_known_online
from terminal.payments.pending_queue import Resolution
from terminal.payments.services import payment_services
from terminal.payments.wallet import PollSchedule
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from terminal.sync.client import CloudClient, Contact
from terminal.sync.member_keys import member_repository
from terminal.sync.registration import Registration
from terminal.sync.status import SyncStatus, read_status, record_failure, record_success

log = logging.getLogger(__name__)


class CloudSide:
    def __init__(
        self,
        db_path: Path,
        settings: Settings,
        registration: Registration,
        cloud: CloudClient,
        clock: Clock,
        *,
        wallet_schedule: PollSchedule | None = None,
    ) -> None:
        self._clock = clock
        self.db: Database = open_store(db_path, synchronous=settings.synchronous_mode)
        self.orders = OrderRepository(self.db)
        self._cloud = cloud
        self.members = member_repository(self.db, registration)
        services = payment_services(
            self.orders, self.members, cloud, clock, wallet_schedule=wallet_schedule
        )
        self.wallet, self.face, self.pending = services.wallet, services.face, services.pending

    @property
    def online(self) -> bool:
        return last_known_online(self.db)

    def carry_out(self, tender: RemoteTender) -> RemoteResult:
        return carry_out(tender, self.orders, self.wallet, self.face)

    def resolve_pending(self) -> list[Resolution]:
        return self.pending.resolve_all()

    def carry_out_refund(self, refund_no: str) -> RefundOutcome:
        """A refund's wallet refunds and member credits, through the cloud (never raises
        for the cloud: the outcome says what happened)."""
        return carry_out_refund(self.db, self._cloud, self._clock, refund_no)

    def ask_forget_code(self, member_id: str) -> str:
        return forget_me.ask_code(self._cloud, member_id)

    def forget(
        self, member_id: str, kind: ForgetKind, *, otp_id: str, code: str, face_verified: bool
    ) -> None:
        forget_me.forget(
            self._cloud,
            self.members,
            member_id,
            kind,
            otp_id=otp_id,
            code=code,
            face_verified=face_verified,
        )

    def note_contact(self, contact: Contact) -> bool:
        """Record a call's contact when it changes what the screens show; True if it did."""
        if contact.reached == self.online:
            return False
        now = self._clock()
        if contact.reached:
            record_success(self.db, now)
        else:
            record_failure(self.db, contact.error or "no answer", now, reached_cloud=False)
        log.warning("cloud contact changed", extra={"online": contact.reached})
        return True

    def status(self) -> SyncStatus:
        return read_status(self.db, self._clock(), registered=True)

    def close(self) -> None:
        self.db.close()
