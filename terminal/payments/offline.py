"""The offline policy: what the till may take while the cloud cannot be reached.

- Cash: always.
- Face pay against stored value: only within two caps from the cloud's config (pulled by
  sync): ``offline_face_pay_max_cents`` per payment and ``offline_face_pay_daily_cents``
  per business day on this till, and only up to the member's last pulled balance minus
  what was already spent offline and not yet forwarded. No config pulled yet means no
  offline face pay at all: the caps are the store's risk decision, not ours.
- Payment codes: never; the wallet must authorise every one of them online.

What must not live here: recording or forwarding the payment (``face_pay.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from terminal.payments.errors import OfflineRefused
from terminal.storage import meta, offline_payments
from terminal.storage.members import MemberRepository
from terminal.sync import inbound
from terminal.sync.status import ONLINE


@dataclass(frozen=True, slots=True)
class OfflineLimits:
    per_payment_cents: int = 0
    per_day_cents: int = 0

    @classmethod
    def from_cloud_config(cls, config: dict[str, Any] | None) -> OfflineLimits:
        if not config:
            return cls()
        return cls(
            per_payment_cents=int(config.get("offline_face_pay_max_cents") or 0),
            per_day_cents=int(config.get("offline_face_pay_daily_cents") or 0),
        )


def last_known_online(db: Database) -> bool:
    """What the sync worker last saw: offline only once it has failed to reach the cloud."""
    return meta.get(db, ONLINE) != "0"


class OfflinePolicy:
    def __init__(
        self,
        db: Database,
        members: MemberRepository,
        limits: Callable[[], OfflineLimits] | None = None,
    ) -> None:
        self._db = db
        self._members = members
        self._limits = limits or (lambda: OfflineLimits.from_cloud_config(inbound.cloud_config(db)))

    def check_face_pay(self, member_id: str, amount_cents: int, business_date: date) -> None:
        """Raise ``OfflineRefused`` (with what to do instead) unless this payment may go."""
        limits = self._limits()
        if limits.per_payment_cents <= 0 or limits.per_day_cents <= 0:
            raise OfflineRefused("offline.no_face_pay")
        if amount_cents > limits.per_payment_cents:
            raise OfflineRefused(
                "offline.over_payment_cap",
                limit_cents=limits.per_payment_cents,
                amount_cents=amount_cents,
            )
        spent = offline_payments.total_for_day(self._db, business_date)
        if spent + amount_cents > limits.per_day_cents:
            left = max(limits.per_day_cents - spent, 0)
            raise OfflineRefused(
                "offline.over_day_cap", left_cents=left, limit_cents=limits.per_day_cents
            )
        member = self._members.get(member_id)
        if member is None:
            raise OfflineRefused("offline.balance_unknown")
        spendable = member.balance_cents - offline_payments.unforwarded_for_member(
            self._db, member_id
        )
        if amount_cents > spendable:
            raise OfflineRefused(
                "offline.balance_short",
                balance_cents=max(spendable, 0),
                amount_cents=amount_cents,
            )

    @staticmethod
    def refuse_payment_code() -> OfflineRefused:
        return OfflineRefused("offline.payment_code")
