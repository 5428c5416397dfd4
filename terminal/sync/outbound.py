"""Outbound: drain the outbox to the cloud, at least once, in order, never losing an entry.

Each entry carries its idempotency key (the order number; the enrollment id), and the
cloud answers a repeat with the stored result, so resending after any failure is safe.
Per entry:
- delivered (201 created, 200 duplicate) -> marked sent;
- transient failure -> retried later with exponential backoff and jitter, and the drain
  stops there, so later entries never overtake it (an enrollment stays ahead of the
  order that names its member);
- permanent refusal (4xx other than 401/408/429) -> parked as dead, shown to the cashier,
  never dropped; the drain goes on with the next entry;
- the device itself refused (401) -> the drain stops and nothing is marked.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from terminal.clock import Clock, utc_now
from terminal.store import outbox
from terminal.store.outbox import OutboxEntry
from terminal.sync.client import AuthError, CloudClient, PermanentCloudError, TransientCloudError

log = logging.getLogger(__name__)

BACKOFF_BASE_S = 1.0
BACKOFF_MAX_S = 300.0


@dataclass
class DrainReport:
    sent: int = 0
    dead: int = 0
    retry_at: datetime | None = None
    error: str | None = None
    auth_failed: bool = False

    @property
    def reached_cloud(self) -> bool:
        return self.error is None or self.sent > 0 or self.dead > 0


def backoff(
    attempts: int, rng: Callable[[], float] = random.random, base_s: float = BACKOFF_BASE_S
) -> timedelta:
    """Exponential with 'equal jitter': half fixed, half random, so retries spread out."""
    ceiling = min(BACKOFF_MAX_S, base_s * 2 ** min(attempts, 20))
    return timedelta(seconds=ceiling / 2 + rng() * ceiling / 2)


class OutboxSender:
    def __init__(
        self,
        db: Database,
        client: CloudClient,
        clock: Clock = utc_now,
        *,
        backoff_base_s: float = BACKOFF_BASE_S,
    ):
        self.db = db
        self.client = client
        self.clock = clock
        self.backoff_base_s = backoff_base_s

    def _send(self, entry: OutboxEntry) -> None:
        if entry.aggregate_type == "order":
            self.client.put_order(entry.aggregate_id, entry.payload)
        elif entry.aggregate_type == "enrollment":
            self.client.post_enrollment(entry.payload)
        else:
            raise PermanentCloudError(0, "unknown_kind", f"this release cannot send {entry.kind}")

    def drain(self, max_entries: int = 10_000, batch: int = 200) -> DrainReport:
        report = DrainReport()
        while report.sent + report.dead < max_entries:
            room = max_entries - report.sent - report.dead
            entries = outbox.due(self.db, self.clock(), min(batch, room))
            if not entries:
                break
            delivered: list[int] = []
            try:
                stopped = self._send_batch(entries, delivered, report)
            finally:
                outbox.mark_sent(self.db, delivered, self.clock())
            if stopped:
                break
        return report

    def _send_batch(
        self, entries: list[OutboxEntry], delivered: list[int], report: DrainReport
    ) -> bool:
        """Send in order; True when the drain must stop (auth refused, or a retry ahead)."""
        for entry in entries:
            try:
                self._send(entry)
            except AuthError as exc:
                report.error, report.auth_failed = str(exc), True
                log.error("cloud refused the device", extra={"error": str(exc)})
                return True
            except TransientCloudError as exc:
                retry_at = self.clock() + backoff(entry.attempts, base_s=self.backoff_base_s)
                outbox.mark_retry(self.db, entry.id, str(exc), retry_at)
                report.error, report.retry_at = str(exc), retry_at
                log.warning(
                    "sync will retry", extra={"entry": entry.idempotency_key, "error": str(exc)}
                )
                return True
            except PermanentCloudError as exc:
                outbox.mark_dead(self.db, entry.id, str(exc))
                report.dead += 1
                log.error(
                    "cloud refused an entry; parked",
                    extra={"entry": entry.idempotency_key, "error": str(exc)},
                )
                continue
            delivered.append(entry.id)
            report.sent += 1
        return False
