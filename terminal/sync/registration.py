"""The device's registration with the cloud: its id, store, bearer token and template key.

Kept in a secrets file beside the store (``<db>.secrets.json`` unless configured), mode
0600, written atomically (temp file, fsync, rename) so a power cut leaves the old file or
the new one, never half of one. The template key encrypts face templates at rest; it
never leaves the device. ``repr`` never shows the token or the key.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from terminal.errors import InputError

SECRETS_MODE = 0o600


class RegistrationError(InputError):
    """The secrets file is missing, unreadable or malformed: register the device again.
    A technician's to fix, not a cashier's: the till sells without the cloud meanwhile."""


@dataclass(frozen=True, slots=True)
class Registration:
    cloud_url: str
    device_id: str
    store_id: str
    token: str
    template_key_b64: str
    registered_at: str

    def __repr__(self) -> str:
        return (
            f"Registration(device_id={self.device_id!r}, store_id={self.store_id!r}, "
            f"cloud_url={self.cloud_url!r})"
        )

    @property
    def template_key(self) -> bytes:
        return base64.b64decode(self.template_key_b64)


def secrets_path_for(db_path: Path, configured: Path | None = None) -> Path:
    if configured is not None:
        return configured
    return db_path.with_name(db_path.stem + ".secrets.json")


def new_registration(
    cloud_url: str, answer: dict[str, object], now: datetime, keep_key_of: Registration | None
) -> Registration:
    """Build the registration from the cloud's answer; an existing template key is kept so
    templates already enrolled on this device stay readable."""
    try:
        device_id, store_id, token = (str(answer[k]) for k in ("device_id", "store_id", "token"))
    except KeyError as exc:
        raise RegistrationError(f"the cloud's answer lacks {exc}") from None
    key = (
        keep_key_of.template_key_b64
        if keep_key_of is not None
        else base64.b64encode(secrets.token_bytes(32)).decode()
    )
    return Registration(
        cloud_url=cloud_url.rstrip("/"),
        device_id=device_id,
        store_id=store_id,
        token=token,
        template_key_b64=key,
        registered_at=now.isoformat(),
    )


def load_registration(path: Path) -> Registration | None:
    """The saved registration, or None when the device was never registered."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RegistrationError(f"cannot read the secrets file {path}: {exc}") from None
    try:
        data = json.loads(raw)
        registration = Registration(**data)
        if len(registration.template_key) != 32:
            raise ValueError("template key is not 32 bytes")
    except (ValueError, TypeError) as exc:
        raise RegistrationError(
            f"the secrets file {path} is damaged ({exc}); register the device again"
        ) from None
    return registration


def save_registration(path: Path, registration: Registration) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = json.dumps(asdict(registration), indent=1).encode()
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, SECRETS_MODE)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(temp, SECRETS_MODE)  # O_CREAT's mode is masked by umask; this is not
    os.replace(temp, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
