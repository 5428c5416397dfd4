"""Members and their face templates on this device: the local gallery's source of truth.

Templates are sealed with the device key (``TemplateCipher``) before they touch the disk.
``erase`` deletes a member and every template in one transaction; with secure_delete on,
the bytes are overwritten, not left in free pages. Two writes need no template key and so
are plain functions: dropping a member the cloud merged into another
(``delete_member_in_transaction``) and caching the balance the cloud just answered
(``set_balance``).

What must not live here: searching the templates (``terminal/face/gallery.py``), the
offline spending caps (``terminal/payments/offline.py``), pulling members from the cloud
(``terminal/sync/inbound.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from terminal.storage import outbox
from terminal.storage.database import checkpoint, write_transaction
from terminal.storage.template_cipher import GalleryCipher, TemplateCipher, TemplateKeyError


@dataclass(frozen=True, slots=True)
class Member:
    member_id: str
    display_name: str | None
    phone_last4: str | None
    points: int
    balance_cents: int


@dataclass(frozen=True, slots=True)
class Template:
    member_id: str
    model: str
    vector: bytes  # little-endian float32, as the cloud and the embedder make them


class MemberRepository:
    def __init__(
        self, db: Database, cipher: TemplateCipher, *, gallery: GalleryCipher | None = None
    ):
        self.db = db
        self._cipher = cipher
        self._gallery = gallery  # opens what the cloud sends; None: never received a key

    def open_from_cloud(self, sealed: bytes, *, member_id: str, model: str) -> bytes:
        """A template as the cloud sent it (sealed under the store's gallery key), opened."""
        if self._gallery is None:
            raise TemplateKeyError(
                "this device has no gallery key (registered before faces were sealed): "
                "register it again to receive members' faces"
            )
        return self._gallery.open(sealed, member_id=member_id, model=model)

    def upsert_in_transaction(
        self, member: Member, templates: Iterable[Template], now: datetime
    ) -> None:
        """Replace a member and all its templates; call inside a write transaction."""
        self.db.execute(
            "INSERT INTO members (member_id, display_name, phone_last4, points, balance_cents,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (member_id) DO UPDATE SET"
            " display_name = excluded.display_name, phone_last4 = excluded.phone_last4,"
            " points = excluded.points, balance_cents = excluded.balance_cents,"
            " updated_at = excluded.updated_at",
            [
                member.member_id,
                member.display_name,
                member.phone_last4,
                member.points,
                member.balance_cents,
                now.isoformat(),
            ],
        )
        self.db.execute("DELETE FROM member_templates WHERE member_id = ?", [member.member_id])
        for template in templates:
            sealed = self._cipher.seal(
                template.vector, member_id=member.member_id, model=template.model
            )
            self.db.execute(
                "INSERT INTO member_templates (member_id, model, sealed) VALUES (?, ?, ?)",
                [member.member_id, template.model, sealed],
            )

    def upsert(self, member: Member, templates: Iterable[Template], now: datetime) -> None:
        with write_transaction(self.db):
            self.upsert_in_transaction(member, templates, now)

    def erase_in_transaction(self, member_id: str) -> bool:
        return delete_member_in_transaction(self.db, member_id)

    def erase(self, member_id: str) -> bool:
        with write_transaction(self.db):
            return self.erase_in_transaction(member_id)

    def forget(self, member_id: str) -> None:
        """The member erased in the cloud: their row and templates, and their personal data
        in the outbox, gone from this till and from the WAL."""
        with write_transaction(self.db):
            self.erase_in_transaction(member_id)
            outbox.scrub_member_in_transaction(self.db, member_id)
        checkpoint(self.db)

    def forget_face(self, member_id: str) -> None:
        """Face pay withdrawn: the member's templates gone, the membership kept."""
        with write_transaction(self.db):
            self.db.execute("DELETE FROM member_templates WHERE member_id = ?", [member_id])
        checkpoint(self.db)

    def get(self, member_id: str) -> Member | None:
        row = self.db.execute(
            "SELECT member_id, display_name, phone_last4, points, balance_cents FROM members"
            " WHERE member_id = ?",
            [member_id],
        ).fetchone()
        return Member(*row) if row else None

    def templates(self, model: str) -> Iterator[Template]:
        """Every template made by ``model``, opened; other models' are never compared."""
        for member_id, sealed in self.db.execute(
            "SELECT member_id, sealed FROM member_templates WHERE model = ? ORDER BY id", [model]
        ):
            yield Template(
                member_id, model, self._cipher.open(sealed, member_id=member_id, model=model)
            )

    def phone_last4_by_member(self) -> dict[str, str]:
        """Member id -> the last 4 digits of the phone, for members that gave one."""
        return {
            str(member_id): str(last4)
            for member_id, last4 in self.db.execute("SELECT member_id, phone_last4 FROM members")
            if last4
        }

    def seal(self, template: Template) -> bytes:
        """A template sealed for storage outside the gallery table (the outbox)."""
        return self._cipher.seal(
            template.vector, member_id=template.member_id, model=template.model
        )

    def open(self, sealed: bytes, *, member_id: str, model: str) -> bytes:
        return self._cipher.open(sealed, member_id=member_id, model=model)

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM members").fetchone()[0])


def delete_member_in_transaction(db: Database, member_id: str) -> bool:
    """Delete a member and every template of it; False if there was no such member. Call
    inside a write transaction."""
    db.execute("DELETE FROM member_templates WHERE member_id = ?", [member_id])
    cursor = db.execute("DELETE FROM members WHERE member_id = ?", [member_id])
    return bool(cursor.rowcount)


def set_balance(db: Database, member_id: str, balance_cents: int) -> None:
    """Record the stored-value balance the cloud just answered with, until the next pull."""
    with write_transaction(db):
        db.execute(
            "UPDATE members SET balance_cents = ? WHERE member_id = ?", [balance_cents, member_id]
        )
