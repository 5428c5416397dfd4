"""Members and their face templates on this device: the local gallery's source of truth.

Templates are sealed with the device key (``TemplateCipher``) before they touch the disk.
``erase`` deletes a member and every template in one transaction; with secure_delete on,
the bytes are overwritten, not left in free pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from terminal.storage.database import write_transaction
from terminal.storage.template_cipher import TemplateCipher


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
    def __init__(self, db: Database, cipher: TemplateCipher):
        self.db = db
        self._cipher = cipher

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
        self.db.execute("DELETE FROM member_templates WHERE member_id = ?", [member_id])
        cursor = self.db.execute("DELETE FROM members WHERE member_id = ?", [member_id])
        return bool(cursor.rowcount)

    def erase(self, member_id: str) -> bool:
        with write_transaction(self.db):
            return self.erase_in_transaction(member_id)

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

    def seal(self, template: Template) -> bytes:
        """A template sealed for storage outside the gallery table (the outbox)."""
        return self._cipher.seal(
            template.vector, member_id=template.member_id, model=template.model
        )

    def open(self, sealed: bytes, *, member_id: str, model: str) -> bytes:
        return self._cipher.open(sealed, member_id=member_id, model=model)

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM members").fetchone()[0])
