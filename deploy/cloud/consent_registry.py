"""Consent texts and the proof of each consent.

The registry holds every text a customer can accept: (version, language) names one text
of one kind (``membership`` or ``face_pay``: PIPL art. 29 wants face data consented to
on its own), with the sha256 of its exact words. A registered text is never edited; a
change is a new version. ``record_consent`` stores that a member accepted one of them:
the till's time, the cloud's receipt time and the text's sha256, no personal data, kept
after an erasure; ``mark_withdrawn`` ends consents.

What must not live here: HTTP routes; who may withdraw (one-time codes) and what a
withdrawal removes (``erasure``).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, cast, get_args

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from deploy.cloud.clock import utc_now_iso
from deploy.cloud.errors import ApiError
from deploy.cloud.schema import consent_texts, consents
from terminal.app import consent as terminal_consent

log = logging.getLogger(__name__)

Kind = Literal["membership", "face_pay"]
Language = Literal["zh_CN", "en"]
KINDS: tuple[Kind, ...] = get_args(Kind)
LANGUAGES: tuple[Language, ...] = get_args(Language)
MAX_VERSION = 64
# A till's clock may run this far ahead of ours; a consent given further in the future
# is not a consent anyone gave.
CLOCK_SKEW = timedelta(minutes=5)
# A till sells offline for days (a weekend, a broken line) and delivers its enrollments
# when it is back; an acceptance older than this is refused rather than recorded as fresh.
MAX_AGE = timedelta(days=30)


class RegistryError(ValueError):
    """A consent text an operator gave cannot be registered: the message says why."""


@dataclass(frozen=True, slots=True)
class ConsentText:
    version: str
    language: str
    kind: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class RegisteredText:
    version: str
    language: Language
    kind: Kind
    sha256: str
    text: str
    created_at: str


def register(conn: Connection, text: ConsentText) -> bool:
    """Add ``text`` to the registry; False if exactly this text is registered already."""
    _check(text)
    earlier = conn.execute(
        sa.select(consent_texts.c.kind, consent_texts.c.sha256).where(
            consent_texts.c.version == text.version, consent_texts.c.language == text.language
        )
    ).first()
    if earlier is not None:
        if earlier.kind == text.kind and earlier.sha256 == text.sha256:
            return False
        if earlier.kind != text.kind:
            raise RegistryError(
                f"consent text {text.version} ({text.language}) is registered as "
                f"{earlier.kind}; one version is one kind: give the {text.kind} text a "
                "version of its own"
            )
        raise RegistryError(
            f"consent text {text.version} ({text.language}) is registered with other words "
            f"(sha256 {earlier.sha256[:12]}...); a shown text is never edited: register "
            "the change as a new version"
        )
    conn.execute(
        sa.insert(consent_texts).values(
            version=text.version,
            language=text.language,
            kind=text.kind,
            sha256=text.sha256,
            text=text.text,
            created_at=utc_now_iso(),
        )
    )
    log.info(
        "consent text registered",
        extra={"version": text.version, "language": text.language, "kind": text.kind},
    )
    return True


def seed_texts(conn: Connection, texts: Iterable[ConsentText]) -> int:
    """Register every text not registered yet (the tills' texts, say); how many were new."""
    return sum(register(conn, text) for text in texts)


def terminal_texts() -> list[ConsentText]:
    """The texts this release's terminal shows (``assets/consent/texts.toml``), each kind
    in both languages."""
    return [
        ConsentText(entry.version, language, entry.kind, entry.text(language))
        for entry in terminal_consent.all_texts()
        for language in LANGUAGES
    ]


def registered(
    conn: Connection, *, kind: str | None = None, language: str | None = None
) -> list[RegisteredText]:
    query = sa.select(consent_texts).order_by(
        consent_texts.c.kind, consent_texts.c.version, consent_texts.c.language
    )
    if kind is not None:
        query = query.where(consent_texts.c.kind == kind)
    if language is not None:
        query = query.where(consent_texts.c.language == language)
    return [
        RegisteredText(
            row.version,
            cast(Language, row.language),
            cast(Kind, row.kind),
            row.sha256,
            row.text,
            row.created_at,
        )
        for row in conn.execute(query)
    ]


def check_consent(
    conn: Connection,
    *,
    kind: str,
    text_version: str,
    language: str,
    accepted_at: str,
    now: datetime | None = None,
) -> str:
    """The sha256 of the registered text a consent names; refused (``ApiError`` 422) for a
    text the registry does not hold under that version, language and kind, and for an
    acceptance time in the future or older than ``MAX_AGE``: the till's word on the time
    is kept, beside ours, not trusted."""
    digest = conn.execute(
        sa.select(consent_texts.c.sha256).where(
            consent_texts.c.version == text_version,
            consent_texts.c.language == language,
            consent_texts.c.kind == kind,
        )
    ).scalar_one_or_none()
    if digest is None:
        raise ApiError(
            422,
            "consent_unknown_version",
            f"no {kind} consent text {text_version!r} in language {language!r} is registered",
        )
    received = now or datetime.now(UTC)
    accepted = _moment(accepted_at)
    if accepted > received + CLOCK_SKEW:
        raise ApiError(
            422,
            "consent_in_future",
            f"consent accepted_at {accepted_at} is ahead of the cloud's clock "
            f"({received.isoformat(timespec='seconds')}); check the till's clock",
        )
    if accepted < received - MAX_AGE:
        raise ApiError(
            422,
            "consent_too_old",
            f"consent accepted_at {accepted_at} is more than {MAX_AGE} old; ask again",
        )
    return str(digest)


def record_consent(
    conn: Connection,
    *,
    member_id: str,
    store_id: str,
    device_id: str,
    kind: str,
    text_version: str,
    language: str,
    accepted_at: str,
    now: datetime | None = None,
) -> str:
    """Store that the member accepted a registered text on a device (``check_consent``
    first); the consent id."""
    received = now or datetime.now(UTC)
    digest = check_consent(
        conn,
        kind=kind,
        text_version=text_version,
        language=language,
        accepted_at=accepted_at,
        now=received,
    )
    consent_id = str(uuid.uuid4())
    conn.execute(
        sa.insert(consents).values(
            consent_id=consent_id,
            member_id=member_id,
            store_id=store_id,
            kind=kind,
            text_version=text_version,
            language=language,
            text_sha256=digest,
            device_id=device_id,
            accepted_at=accepted_at,
            received_at=received.isoformat(timespec="microseconds"),
        )
    )
    return consent_id


def mark_withdrawn(
    conn: Connection, member_id: str, kinds: Iterable[str], via: str, now: str | None = None
) -> str:
    """End the member's open consents of ``kinds``; the withdrawal time."""
    when = now or utc_now_iso()
    conn.execute(
        sa.update(consents)
        .where(
            consents.c.member_id == member_id,
            consents.c.kind.in_(list(kinds)),
            consents.c.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=when, withdrawn_via=via[:64])
    )
    return when


def _check(text: ConsentText) -> None:
    if not text.version or len(text.version) > MAX_VERSION or not text.version.isprintable():
        raise RegistryError(f"a consent version is 1 to {MAX_VERSION} printable characters")
    if text.language not in LANGUAGES:
        raise RegistryError(f"language {text.language!r} is not one of {', '.join(LANGUAGES)}")
    if text.kind not in KINDS:
        raise RegistryError(f"kind {text.kind!r} is not one of {', '.join(KINDS)}")
    if not text.text.strip():
        raise RegistryError(f"consent text {text.version} ({text.language}) is empty")


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ApiError(
            422, "invalid", f"consent accepted_at {text!r} is not an ISO-8601 time with offset"
        )
    return moment
