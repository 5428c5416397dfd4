"""``PaymentServices``: the payment objects a connection to the store works with (wallet
codes, face pay with its offline policy, the queue of unresolved payments), wired in one
place. The checkout session builds them on the store thread's connection (the synchronous
path), the till's cloud thread on its own; both get the same wiring from here.

What must not live here: any payment rule (the modules it wires), threads.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from terminal.clock import Clock
from terminal.payments.face_pay import FacePay
from terminal.payments.offline import OfflineLimits, OfflinePolicy, last_known_online
from terminal.payments.pending_queue import PendingPayments
from terminal.payments.wallet import PollSchedule, Sleep, WalletPayments
from terminal.storage.members import MemberRepository
from terminal.storage.orders import OrderRepository
from terminal.sync.client import CloudClient


@dataclass(frozen=True, slots=True)
class PaymentServices:
    wallet: WalletPayments | None  # needs the cloud
    face: FacePay | None  # needs the members (offline within the caps, online via the cloud)
    pending: PendingPayments
    online: Callable[[], bool]


def payment_services(
    orders: OrderRepository,
    members: MemberRepository | None,
    cloud: CloudClient | None,
    clock: Clock,
    *,
    online: Callable[[], bool] | None = None,
    offline_limits: Callable[[], OfflineLimits] | None = None,
    wallet_schedule: PollSchedule | None = None,
    sleep: Sleep = time.sleep,
) -> PaymentServices:
    """The services on ``orders``' connection. ``online`` defaults to what the store last
    recorded (the sync worker's or the till's last contact), so a dead network costs no
    timeout."""
    db = orders.db
    is_online = online or (lambda: last_known_online(db))
    wallet = (
        WalletPayments(orders, cloud, clock, schedule=wallet_schedule, sleep=sleep)
        if cloud is not None
        else None
    )
    face = (
        FacePay(
            db,
            orders,
            cloud,
            OfflinePolicy(db, members, offline_limits),
            clock,
            online=is_online,
            sealer=members,
        )
        if members is not None
        else None
    )
    return PaymentServices(
        wallet, face, PendingPayments(db, orders, wallet=wallet, face=face), is_online
    )
