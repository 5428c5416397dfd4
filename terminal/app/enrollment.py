"""Enrolling an unknown face as a member: invitation, consent, local gallery, outbox.

- ``invite()``: the first consent text (membership, current version, zh_CN and en) for
  the customer screen; the face pay text follows on its own page.
- ``accept(...)``: with both consents given, one transaction writes the member and its
  (sealed) template to the local gallery, usable in the very next sale even offline, and
  an outbox entry (aggregate_type ``enrollment``) with the two consent records (kind, text
  version, language, accepted_at UTC, this terminal's id). The outbox is delivered
  strictly in order, so the enrollment reaches the cloud before any order that names the
  member.
- ``decline()``: nothing is stored at all.

When the cloud merges the enrollment into a member it already had (same face), the
outbox sender drops the local member and records an alias local -> canonical id; the
canonical member comes down with the next pull. Orders already queued keep the local id;
the cloud keeps the same mapping (its enrollment records the requested id).

What must not live here: making the template (``terminal/face/enroll.py``), Qt.
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from terminal.app.consent import KINDS, ConsentText, GivenConsent, consent_text, current
from terminal.clock import Clock, utc_now
from terminal.storage import outbox
from terminal.storage.database import write_transaction
from terminal.storage.members import Member, MemberRepository, Template

log = logging.getLogger(__name__)

OUTBOX_KIND = "enrollment.created"


@dataclass(frozen=True, slots=True)
class Invitation:
    consent: ConsentText


@dataclass(frozen=True, slots=True)
class Enrolled:
    member_id: str
    enrollment_id: str
    consent_versions: tuple[str, ...]


class EnrollmentService:
    def __init__(
        self,
        db: Database,
        members: MemberRepository,
        device_id: str,
        *,
        clock: Clock = utc_now,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self._db = db
        self._members = members
        self._device_id = device_id
        self._clock = clock
        self._new_id = new_id

    def invite(self) -> Invitation:
        return Invitation(current("membership"))

    def accept(
        self,
        *,
        model: str,
        vector: bytes,
        consents: list[GivenConsent],
        display_name: str | None = None,
        phone_last4: str | None = None,
    ) -> Enrolled:
        """Enrol now; ``consents`` are the texts the customer saw and accepted, one of
        each kind (membership, face pay)."""
        texts = [consent_text(given.version) for given in consents]
        if sorted(text.kind for text in texts) != sorted(KINDS):
            raise ValueError("enrolling a face needs the membership and the face pay consent")
        if not vector or len(vector) % 4:
            raise ValueError("a face template is a non-empty array of float32")
        member_id, enrollment_id = self._new_id(), self._new_id()
        now = self._clock()
        sealed = self._members.seal(Template(member_id, model, vector))
        payload = {
            "enrollment_id": enrollment_id,
            "member_id": member_id,
            "display_name": display_name,
            "phone_last4": phone_last4,
            # Sealed like the gallery's copy: the outbox is on disk until the cloud has it.
            "templates": [{"model": model, "sealed": base64.b64encode(sealed).decode()}],
            "consents": [
                {
                    "kind": text.kind,
                    "text_version": text.version,
                    "language": "zh_CN" if given.language.startswith("zh") else "en",
                    "accepted_at": now.isoformat(),
                    "terminal": self._device_id,
                }
                for text, given in zip(texts, consents, strict=True)
            ],
        }
        member = Member(member_id, display_name, phone_last4, points=0, balance_cents=0)
        with write_transaction(self._db):
            self._members.upsert_in_transaction(member, [Template(member_id, model, vector)], now)
            outbox.enqueue(
                self._db,
                kind=OUTBOX_KIND,
                aggregate_type="enrollment",
                aggregate_id=enrollment_id,
                idempotency_key=enrollment_id,
                payload=payload,
                now=now,
            )
        versions = tuple(text.version for text in texts)
        log.info("member enrolled", extra={"member": member_id[:8], "consents": versions})
        return Enrolled(member_id, enrollment_id, versions)

    def decline(self) -> None:
        """The customer said no: nothing about them is kept."""
        log.info("enrollment declined")
