"""Who is calling: bearer tokens of registered devices, and the store they belong to.

Tokens are random (``secrets.token_urlsafe(32)``) and stored only as their sha256, so a
copy of the database does not hand out working tokens. Each route that needs a device
takes ``CurrentDevice``; ``require_own_device`` guards data keyed by a device prefix.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from deploy.cloud.database import Database
from deploy.cloud.errors import forbidden, unauthorized
from deploy.cloud.schema import devices

TOKEN_BYTES = 32
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
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("send 'Authorization: Bearer <token>' from device registration")
    token = credentials.credentials
    if not token or len(token) > 512:
        raise unauthorized("the bearer token is not valid")
    with database(request).read() as conn:
        row = conn.execute(
            sa.select(devices.c.device_id, devices.c.store_id).where(
                devices.c.token_sha256 == token_digest(token)
            )
        ).first()
    if row is None:
        raise unauthorized("the bearer token is not valid")
    return Device(device_id=row.device_id, store_id=row.store_id)


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
