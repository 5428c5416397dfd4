"""Who is calling: bearer tokens of registered devices, and the store they belong to.

Tokens are random (``secrets.token_urlsafe(32)``) and stored only as their sha256, so a
copy of the database does not hand out working tokens. A revoked token (``devices.
revoked_at``) is refused from the next request on. Each route that needs a device takes
``CurrentDevice``; ``require_own_device`` guards data keyed by a device prefix.

Wrong tokens are rate-limited per client address (``rate_limit.AUTH_FAILURES``): only
failures count, but once an address is over the limit every request from it that carries
a token waits, a valid one's too, checked before the token is looked up. Letting valid
tokens through would answer 200 for a right guess and 429 for a wrong one: the limit would
slow nothing. A till behind the same address as a prober waits for the window like it
waits for a cloud that is down (429 is a retry for the client).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from deploy.cloud.database import Database
from deploy.cloud.errors import ApiError, forbidden, unauthorized
from deploy.cloud.rate_limit import AUTH_FAILURES, client_key, limiter_for, rate_limited
from deploy.cloud.schema import devices

log = logging.getLogger(__name__)

TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 512
_bearer = HTTPBearer(auto_error=False, description="the token from /v1/devices/register")


@dataclass(frozen=True, slots=True)
class Device:
    device_id: str
    store_id: str


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def current_device(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Device:
    # No token guesses nothing: not counted against the address.
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("send 'Authorization: Bearer <token>' from device registration")
    limiter = limiter_for(request, AUTH_FAILURES)
    client = client_key(request)
    wait = limiter.wait(client)
    if wait is not None:
        raise rate_limited(wait, AUTH_FAILURES)
    token = credentials.credentials
    row = None
    if token and len(token) <= MAX_TOKEN_CHARS:
        with database(request).read() as conn:
            row = conn.execute(
                sa.select(devices.c.device_id, devices.c.store_id, devices.c.revoked_at).where(
                    devices.c.token_sha256 == token_digest(token)
                )
            ).first()
    if row is None or row.revoked_at is not None:
        limiter.hit(client)
        if limiter.wait(client) is not None:
            log.warning(
                "too many wrong tokens; refusing the address for a while",
                extra={"client": client, "window_s": limiter.window_s},
            )
        if row is None:
            raise unauthorized("the bearer token is not valid")
        raise token_revoked(row.revoked_at)
    return Device(device_id=row.device_id, store_id=row.store_id)


def token_revoked(revoked_at: str) -> ApiError:
    return ApiError(
        401,
        "token_revoked",
        f"this device's token was revoked at {revoked_at}; register the device again "
        "with a new enrollment code",
        {"WWW-Authenticate": "Bearer"},
    )


CurrentDevice = Annotated[Device, Depends(current_device)]
Db = Annotated[Database, Depends(database)]


def device_prefix(order_no: str) -> str:
    """The device part of an order number: the text before the first '-'."""
    return order_no.split("-", 1)[0]


def require_own_order_no(device: Device, order_no: str) -> None:
    if device_prefix(order_no) != device.device_id:
        raise forbidden(f"order {order_no} does not belong to device {device.device_id}")


def require_same_store(device: Device, store_id: str, what: str) -> None:
    if store_id != device.store_id:
        raise forbidden(f"{what} belongs to another store")
