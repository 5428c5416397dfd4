"""What the reference SMS gateway recorded (``sms_messages``): the codes a member's phone
would have received, read the way a customer reads them off their phone."""

from __future__ import annotations

import re

import sqlalchemy as sa

from deploy.cloud.database import Database
from deploy.cloud.schema import sms_messages

_CODE = re.compile(r"\b([0-9]{6})\b")


def messages(db: Database, member_id: str) -> list[tuple[str, str]]:
    """(phone as recorded, text) of every message to the member, oldest first."""
    with db.read() as conn:
        rows = conn.execute(
            sa.select(sms_messages.c.phone, sms_messages.c.text)
            .where(sms_messages.c.member_id == member_id)
            .order_by(sms_messages.c.message_id)
        )
        return [(row.phone, row.text) for row in rows]


def last_code(db: Database, member_id: str) -> str:
    found = messages(db, member_id)
    assert found, f"no text message was sent to member {member_id}"
    match = _CODE.search(found[-1][1])
    assert match is not None, "the last message carries no 6-digit code"
    return match.group(1)
