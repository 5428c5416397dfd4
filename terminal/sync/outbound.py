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

Kinds: ``order`` (PUT /orders), ``enrollment`` (POST /enrollments; when the cloud merged
it into an existing member, the local member is dropped and an alias local -> canonical
recorded, the canonical member's templates arrive with the next member pull; once sent,
the template is scrubbed from the stored payload so it does not stay on disk in the
clear), ``face_payment`` (POST /payments/face, a face payment approved offline, idempotent
on its payment id; a FAIL answer is parked as dead so the shortfall is shown, not lost),
``shift`` (PUT /shifts/{id}: the whole shift after each event, an older revision is a
duplicate) and ``z_report`` (PUT /z-reports/{device}/{number}: written once).

What must not live here: SQL (the outbox, members and offline payments modules of
``terminal/storage`` hold it; this module only composes their writes into transactions),
pulling from the cloud (``inbound.py``).
"""

from __future__ import annotations

import base64
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from terminal.clock import Clock, utc_now
from terminal.payments.refunds import deliver_refund
from terminal.storage import face_probes, members, offline_payments, outbox
from terminal.storage.database import write_transaction
from terminal.storage.members import MemberRepository
from terminal.storage.outbox import OutboxEntry
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
        members: MemberRepository | None = None,
    ):
        self.db = db
        self.client = client
        self.clock = clock
        self.backoff_base_s = backoff_base_s
        self.members = members  # opens the sealed templates of enrollments

    def _send(self, entry: OutboxEntry) -> None:
        if entry.aggregate_type == "order":
            self.client.put_order(entry.aggregate_id, entry.payload)
        elif entry.aggregate_type == "enrollment":
            answer = self.client.post_enrollment(self._opened(entry.payload))
            self._enrolled(entry, answer)
        elif entry.aggregate_type == "face_payment":
            self._forward_face_payment(entry)
        elif entry.aggregate_type == "shift":
            self.client.put_shift(entry.aggregate_id, entry.payload)
        elif entry.aggregate_type == "z_report":
            body = entry.payload
            self.client.put_z_report(str(body["device_id"]), int(body["z_number"]), body)
        elif entry.aggregate_type == "refund":
            # Carries the refund's waiting money back first (wallet, member credit), then
            # sends its document; idempotent on the refund's ids (terminal/payments/refunds).
            deliver_refund(self.db, self.client, entry.aggregate_id, self.clock)
        else:
            raise PermanentCloudError(0, "unknown_kind", f"this release cannot send {entry.kind}")

    def _opened(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The enrollment as the cloud takes it: templates opened only in memory."""
        member_id = str(payload.get("member_id"))
        templates = []
        for template in payload.get("templates") or []:
            if "sealed" not in template:
                templates.append(template)
                continue
            if self.members is None:
                raise TransientCloudError("no template key to open the enrollment with")
            vector = self.members.open(
                base64.b64decode(template["sealed"]), member_id=member_id, model=template["model"]
            )
            templates.append(
                {"model": template["model"], "vector": base64.b64encode(vector).decode()}
            )
        return dict(payload, templates=templates)

    def _enrolled(self, entry: OutboxEntry, answer: dict[str, Any]) -> None:
        local_id = str(entry.payload.get("member_id"))
        canonical = str(answer.get("member_id") or local_id)
        scrubbed = outbox.without_personal_data(entry.payload)
        with write_transaction(self.db):
            outbox.replace_payload_in_transaction(self.db, entry.id, scrubbed)
            if answer.get("merged") and canonical != local_id:
                offline_payments.record_alias_in_transaction(
                    self.db, local_id, canonical, self.clock()
                )
                # Two gallery entries for one face would make every search ambiguous.
                members.delete_member_in_transaction(self.db, local_id)
                log.info(
                    "enrollment merged into an existing member",
                    extra={"member": local_id[:8], "canonical": canonical[:8]},
                )

    def _forward_face_payment(self, entry: OutboxEntry) -> None:
        body = dict(entry.payload)
        payment_id = str(body["payment_id"])
        body["member_id"] = offline_payments.canonical_member_id(self.db, str(body["member_id"]))
        probe = face_probes.kept(self.db, self.members, payment_id)
        answer = self.client.face_pay(
            payment_id=payment_id,
            order_no=str(body["order_no"]),
            member_id=str(body["member_id"]),
            amount_cents=int(body["amount_cents"]),
            probe=probe.wire() if probe is not None else None,
            liveness=probe.liveness if probe is not None else None,
        )
        state, reason = str(answer.get("state")), answer.get("reason")
        with write_transaction(self.db):
            offline_payments.mark_forwarded_in_transaction(
                self.db, entry.aggregate_id, state, reason, self.clock()
            )
            face_probes.delete_in_transaction(self.db, payment_id)  # answered: the face goes
        if state != "SUCCESS":
            raise PermanentCloudError(
                200, "offline_face_pay_refused", f"the cloud refused it afterwards: {reason}"
            )

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
