"""A checkout session on a registered till's store, wired to the cloud the way the
payment tests need it (fast wallet polling, no real sleeping)."""

from __future__ import annotations

from sqlite_utils import Database

from terminal.app.checkout import CheckoutSession
from terminal.config import Settings
from terminal.payments.wallet import PollSchedule
from terminal.storage.catalog import CatalogRepository
from terminal.storage.orders import OrderRepository
from terminal.sync.client import CloudClient
from tests.support.registered_till import Till

# Wallet polls every 10 ms and gives up after 50 ms: enough for the reference cloud.
FAST = PollSchedule(interval_s=0.01, total_s=0.05)


def make_session(
    till: Till,
    db: Database,
    client: CloudClient | None,
    *,
    online: bool = True,
    schedule: PollSchedule = FAST,
) -> CheckoutSession:
    return CheckoutSession(
        orders=OrderRepository(db),
        catalog=CatalogRepository(db),
        settings=Settings(device_id=till.registration.device_id, db_path=till.db_path),
        members=till.members(db),
        cloud=client,
        online=lambda: online,
        wallet_schedule=schedule,
        sleep=lambda _s: None,
    )
