"""The cloud's keys: the master key from outside the database, the per-member data keys it
wraps, and the per-store gallery keys templates travel under to the tills.

- A member's name, phone and face templates are sealed (AES-256-GCM) with that member's
  data key; the data key is stored wrapped by the master key in ``member_keys``. Erasure
  deletes the key row (crypto-shredding): whatever copies of the sealed bytes remain in a
  free page, the WAL, ``pg_wal`` or a backup can no longer be opened.
- The master key is 32 random bytes, base64, read from a file (mode 0600) or from the
  environment, never from the database, so a stolen database holds nothing readable.
- Templates go to the tills of a store sealed with the store's gallery key, which a device
  receives once, in its registration answer: a bearer token alone reads no face.

Every sealed value binds its context as associated data (member id, model, purpose), so a
sealed blob moved to another member or another column does not open.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import Depends, Request
from sqlalchemy.engine import Connection

from deploy.cloud.clock import utc_now_iso
from deploy.cloud.schema import member_keys, stores

KEY_BYTES = 32
NONCE_BYTES = 12
FORMAT = b"\x01"  # the first byte of every sealed value: the layout below
MASTER_KEY_ENV = "FACEPAY_CLOUD_MASTER_KEY"
MASTER_KEY_FILE_ENV = "FACEPAY_CLOUD_MASTER_KEY_FILE"


class VaultError(Exception):
    """A key is missing or wrong, or a sealed value does not open: the message says which."""


def seal(key: bytes, plaintext: bytes, context: str) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return FORMAT + nonce + AESGCM(key).encrypt(nonce, plaintext, context.encode())


def open_sealed(key: bytes, blob: bytes, context: str) -> bytes:
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != FORMAT:
        raise VaultError(f"a sealed value for {context} is malformed")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, context.encode())
    except InvalidTag:
        raise VaultError(f"a sealed value for {context} does not open with this key") from None


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise VaultError(f"{where} is not base64") from None
    if len(key) != KEY_BYTES:
        raise VaultError(f"{where} must be {KEY_BYTES} bytes of base64; it has {len(key)}")
    return key


def load_master_key(path: Path | None = None) -> bytes:
    """The master key from ``path``, else ``$FACEPAY_CLOUD_MASTER_KEY_FILE``, else
    ``$FACEPAY_CLOUD_MASTER_KEY`` (base64 text)."""
    if path is None and os.environ.get(MASTER_KEY_FILE_ENV):
        path = Path(os.environ[MASTER_KEY_FILE_ENV])
    if path is not None:
        try:
            mode = path.stat().st_mode & 0o777
            text = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as error:
            raise VaultError(f"cannot read the master key file {path}: {error}") from None
        if mode & 0o077:
            raise VaultError(
                f"the master key file {path} is readable by others (mode {mode:o}); "
                f"chmod 600 {path}"
            )
        return decode_key(text, f"the master key file {path}")
    if os.environ.get(MASTER_KEY_ENV):
        return decode_key(os.environ[MASTER_KEY_ENV], f"${MASTER_KEY_ENV}")
    raise VaultError(
        f"no master key: give --master-key-file, or set ${MASTER_KEY_FILE_ENV} or "
        f"${MASTER_KEY_ENV} (make one with 'facepay-cloud keys new --out FILE')"
    )


def write_master_key(path: Path) -> None:
    """A new master key in a new file, mode 0600; an existing file is never overwritten."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (encode_key(new_key()) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


class Vault:
    """Sealing and opening with the keys of members and stores, in the caller's
    transaction."""

    def __init__(self, master_key: bytes):
        if len(master_key) != KEY_BYTES:
            raise VaultError(f"the master key must be {KEY_BYTES} bytes")
        self._master = master_key

    # -- member data keys -------------------------------------------------------------

    def create_member_key(self, conn: Connection, member_id: str) -> bytes:
        key = new_key()
        conn.execute(
            sa.insert(member_keys).values(
                member_id=member_id,
                wrapped_key=seal(self._master, key, f"member-key:{member_id}"),
                created_at=utc_now_iso(),
            )
        )
        return key

    def member_key(self, conn: Connection, member_id: str) -> bytes | None:
        """The member's data key; None once the member was erased."""
        wrapped = conn.execute(
            sa.select(member_keys.c.wrapped_key).where(member_keys.c.member_id == member_id)
        ).scalar_one_or_none()
        if wrapped is None:
            return None
        return open_sealed(self._master, bytes(wrapped), f"member-key:{member_id}")

    def member_keys(self, conn: Connection, member_ids: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for chunk_start in range(0, len(member_ids), 500):
            chunk = member_ids[chunk_start : chunk_start + 500]
            rows = conn.execute(
                sa.select(member_keys.c.member_id, member_keys.c.wrapped_key).where(
                    member_keys.c.member_id.in_(chunk)
                )
            )
            for row in rows:
                found[row.member_id] = open_sealed(
                    self._master, bytes(row.wrapped_key), f"member-key:{row.member_id}"
                )
        return found

    @staticmethod
    def shred_member_key(conn: Connection, member_id: str) -> None:
        conn.execute(sa.delete(member_keys).where(member_keys.c.member_id == member_id))

    # -- what the member keys seal ----------------------------------------------------

    @staticmethod
    def seal_personal(key: bytes, member_id: str, personal: dict[str, Any]) -> bytes:
        data = json.dumps(personal, sort_keys=True, separators=(",", ":")).encode()
        return seal(key, data, f"personal:{member_id}")

    @staticmethod
    def open_personal(key: bytes, member_id: str, blob: bytes | None) -> dict[str, Any]:
        if blob is None:
            return {}
        data: dict[str, Any] = json.loads(open_sealed(key, bytes(blob), f"personal:{member_id}"))
        return data

    @staticmethod
    def seal_template(key: bytes, member_id: str, model: str, vector: bytes) -> bytes:
        return seal(key, vector, f"template:{member_id}:{model}")

    @staticmethod
    def open_template(key: bytes, member_id: str, model: str, blob: bytes) -> bytes:
        return open_sealed(key, bytes(blob), f"template:{member_id}:{model}")

    # -- store gallery keys -----------------------------------------------------------

    def gallery_key(self, conn: Connection, store_id: str) -> bytes:
        """The store's gallery key, made the first time it is asked for."""
        wrapped = conn.execute(
            sa.select(stores.c.gallery_key_wrapped).where(stores.c.store_id == store_id)
        ).scalar_one_or_none()
        if wrapped is not None:
            return open_sealed(self._master, bytes(wrapped), f"gallery-key:{store_id}")
        key = new_key()
        conn.execute(
            sa.update(stores)
            .where(stores.c.store_id == store_id, stores.c.gallery_key_wrapped.is_(None))
            .values(gallery_key_wrapped=seal(self._master, key, f"gallery-key:{store_id}"))
        )
        # A concurrent first use may have won: read back what is stored.
        stored = conn.execute(
            sa.select(stores.c.gallery_key_wrapped).where(stores.c.store_id == store_id)
        ).scalar_one()
        return open_sealed(self._master, bytes(stored), f"gallery-key:{store_id}")


def seal_for_till(gallery_key: bytes, member_id: str, model: str, vector: bytes) -> str:
    """A template as a till receives it: base64 of the value sealed under the gallery key,
    bound to the member and model (the till opens it with ``open_from_cloud``)."""
    return base64.b64encode(seal(gallery_key, vector, f"gallery:{member_id}:{model}")).decode()


def vault_of(request: Request) -> Vault:
    vault: Vault = request.app.state.vault
    return vault


CurrentVault = Annotated[Vault, Depends(vault_of)]
