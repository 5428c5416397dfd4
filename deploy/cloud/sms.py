"""Text messages to members' phones: the ``SmsGateway`` interface a provider plugs into,
and ``RecordingGateway``, the reference one, which keeps each message in
``sms_messages`` instead of sending it (tests and the demo read the codes there).

The outbox keeps the number masked (its last 4 digits), never the full number: it is
not sealed, and what is written to the database in the clear reaches its WAL and free
pages whatever is deleted later. The message itself holds a live code, which is why a
real deployment replaces this gateway.

What must not live here: what the messages say (``one_time_codes``), who may get one.
"""

from __future__ import annotations

import logging
from typing import Annotated, Protocol

import sqlalchemy as sa
from fastapi import Depends, Request

from deploy.cloud.clock import utc_now_iso
from deploy.cloud.database import Database
from deploy.cloud.schema import sms_messages

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The message could not be handed to the provider; the message says why."""


class SmsGateway(Protocol):
    def send(self, phone: str, text: str, member_id: str | None) -> None:
        """Send ``text`` to ``phone``, or raise ``SmsError``."""


class RecordingGateway:
    """Writes the message to ``sms_messages`` in a transaction of its own."""

    def __init__(self, db: Database):
        self._db = db

    def send(self, phone: str, text: str, member_id: str | None) -> None:
        with self._db.write() as conn:
            conn.execute(
                sa.insert(sms_messages).values(
                    member_id=member_id,
                    phone=mask_phone(phone),
                    text=text,
                    created_at=utc_now_iso(),
                )
            )
        log.info("text message recorded", extra={"member_id": mask_id(member_id)})


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def mask_id(member_id: str | None) -> str | None:
    return None if member_id is None else member_id[:8] + "..."


def gateway_of(request: Request) -> SmsGateway:
    """The app's gateway (``app.state.sms_gateway``); the recording one when none is set."""
    gateway: SmsGateway | None = getattr(request.app.state, "sms_gateway", None)
    if gateway is None:
        gateway = RecordingGateway(request.app.state.db)
        request.app.state.sms_gateway = gateway
    return gateway


CurrentSmsGateway = Annotated[SmsGateway, Depends(gateway_of)]
