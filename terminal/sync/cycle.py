"""One sync cycle: send what waits, then pull what changed; record the outcome.

What must not live here: threads and timers (``worker.py``), SQL (``terminal/storage``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from terminal.clock import Clock, utc_now
from terminal.storage.members import MemberRepository
from terminal.sync import inbound, status
from terminal.sync.client import CloudClient, CloudError
from terminal.sync.outbound import BACKOFF_BASE_S, DrainReport, OutboxSender


@dataclass
class CycleReport:
    drain: DrainReport
    catalog_changes: int = 0
    member_changes: int = 0
    pulled: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def sync_once(
    db: Database,
    client: CloudClient,
    members: MemberRepository,
    *,
    pull: bool = True,
    clock: Clock = utc_now,
    max_entries: int = 10_000,
    backoff_base_s: float = BACKOFF_BASE_S,
) -> CycleReport:
    sender = OutboxSender(db, client, clock, backoff_base_s=backoff_base_s, members=members)
    report = CycleReport(drain=sender.drain(max_entries=max_entries))
    report.error = report.drain.error
    if pull and report.error is None:
        try:
            report.catalog_changes = inbound.pull_catalog(db, client, clock)
            report.member_changes = inbound.pull_members(db, client, members, clock)
            inbound.pull_staff(db, client, clock)
            inbound.pull_config(db, client)
            report.pulled = True
        except CloudError as exc:
            report.error = str(exc)
    if report.error is None:
        status.record_success(db, clock())
    else:
        reached = report.drain.sent > 0 or report.drain.dead > 0 or report.drain.auth_failed
        status.record_failure(db, report.error, clock(), reached_cloud=reached)
    return report
