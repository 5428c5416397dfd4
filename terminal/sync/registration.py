"""The device's registration with the cloud: its id, store, bearer token, template key and
the store's gallery key.

Kept in a secrets file beside the store (``<db>.secrets.json`` unless configured), mode
0600, written atomically (temp file, fsync, rename) so a power cut leaves the old file or
the new one, never half of one. The template key encrypts face templates at rest; it
never leaves the device. The gallery key comes from the cloud, in the registration answer
only: member templates arrive sealed with it. A file saved before the cloud sent one has
none (``gallery_key`` is None): that till cannot open the faces it pulls until it is
registered again. A file naming a plain-http cloud that is not this machine (saved before
those were refused) loads as unusable (``RegistrationError``): the till sells without the
cloud rather than send its token in the clear. ``repr`` never shows the token or a key.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from terminal.errors import InputError
from terminal.sync.client import InsecureCloudUrlError, check_cloud_url

log = logging.getLogger(__name__)

SECRETS_MODE = 0o600
KEY_BYTES = 32


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
    # None in a file saved before the cloud handed gallery keys out.
    gallery_key_b64: str | None = None

    def __repr__(self) -> str:
        return (
            f"Registration(device_id={self.device_id!r}, store_id={self.store_id!r}, "
            f"cloud_url={self.cloud_url!r})"
        )

    @property
    def template_key(self) -> bytes:
        return base64.b64decode(self.template_key_b64)

    @property
    def gallery_key(self) -> bytes | None:
        """The store's key for the templates the cloud sends; None until registered with
        a cloud that hands it out."""
        if self.gallery_key_b64 is None:
            return None
        return base64.b64decode(self.gallery_key_b64)


def secrets_path_for(db_path: Path, configured: Path | None = None) -> Path:
    if configured is not None:
        return configured
    return db_path.with_name(db_path.stem + ".secrets.json")


def new_registration(
    cloud_url: str,
    answer: Mapping[str, object],
    now: datetime,
    keep_key_of: Registration | None,
) -> Registration:
    """Build the registration from the cloud's answer; an existing template key is kept so
    templates already enrolled on this device stay readable."""
    try:
        device_id, store_id, token = (str(answer[k]) for k in ("device_id", "store_id", "token"))
    except KeyError as exc:
        raise RegistrationError(f"the cloud's answer lacks {exc}") from None
    gallery_key = answer.get("gallery_key")
    if gallery_key is None:
        log.warning(
            "the cloud sent no gallery key: member faces cannot be opened on this till",
            extra={"device": device_id},
        )
    elif not isinstance(gallery_key, str) or _key_length(gallery_key) != KEY_BYTES:
        raise RegistrationError(
            f"the cloud's gallery key for device {device_id} is not {KEY_BYTES} bytes of "
            "base64; the cloud is misconfigured"
        )
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
        gallery_key_b64=gallery_key,
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
        if _key_length(registration.template_key_b64) != KEY_BYTES:
            raise ValueError("template key is not 32 bytes")
        if (
            registration.gallery_key_b64 is not None
            and _key_length(registration.gallery_key_b64) != KEY_BYTES
        ):
            raise ValueError("gallery key is not 32 bytes")
    except (ValueError, TypeError) as exc:
        raise RegistrationError(
            f"the secrets file {path} is damaged ({exc}); register the device again"
        ) from None
    try:
        check_cloud_url(registration.cloud_url)
    except InsecureCloudUrlError as exc:
        # Saved before plain http was refused: the token must not travel over it again.
        raise RegistrationError(
            f"the secrets file {path} names a cloud this till may no longer use ({exc}); "
            "register again: 'facepay-terminal register --force --cloud https://... --code CODE'"
        ) from None
    if registration.gallery_key_b64 is None:
        log.warning(
            "registered without a gallery key: member faces from the cloud cannot be opened; "
            "run 'facepay-terminal register --force' with a new code to receive them",
            extra={"device": registration.device_id, "secrets": str(path)},
        )
    return registration


def _key_length(text: str) -> int:
    """Bytes of base64 ``text``; -1 when it is not base64."""
    try:
        return len(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError, TypeError):
        return -1


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
