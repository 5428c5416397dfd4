"""Face templates at rest: AES-256-GCM with the device's template key.

Each sealed template is ``nonce (12 bytes) || ciphertext+tag``. The member id and the
model name are bound in as associated data, so a template copied onto another member's
row, or relabelled as another model's, fails to open instead of matching the wrong person.

What must not live here: where the key comes from (provisioning and the registration),
SQL (``members.py``).
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class TemplateKeyError(Exception):
    """A sealed template cannot be opened: wrong key, or the data was altered."""


class TemplateCipher:
    def __init__(self, key: bytes):
        if len(key) != 32:
            raise ValueError("the template key must be 32 bytes")
        self._aead = AESGCM(key)

    @staticmethod
    def _context(member_id: str, model: str) -> bytes:
        return f"{member_id}\x00{model}".encode()

    def seal(self, vector: bytes, *, member_id: str, model: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, vector, self._context(member_id, model))

    def open(self, sealed: bytes, *, member_id: str, model: str) -> bytes:
        nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        try:
            return self._aead.decrypt(nonce, body, self._context(member_id, model))
        except InvalidTag:
            raise TemplateKeyError(
                f"template of member {member_id[:8]} cannot be opened with this device's key"
            ) from None


GALLERY_FORMAT = b"\x01"


class GalleryCipher:
    """Opens the templates the cloud sends: sealed under the store's gallery key (handed
    to this device once, at registration), as ``01 || nonce || ciphertext+tag`` with
    ``gallery:<member id>:<model>`` as associated data (the cloud's ``vault.seal``)."""

    def __init__(self, key: bytes):
        if len(key) != 32:
            raise ValueError("the gallery key must be 32 bytes")
        self._aead = AESGCM(key)

    def open(self, sealed: bytes, *, member_id: str, model: str) -> bytes:
        if len(sealed) < 1 + NONCE_BYTES + 16 or sealed[:1] != GALLERY_FORMAT:
            raise TemplateKeyError(f"template of member {member_id[:8]} is not sealed as expected")
        nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, f"gallery:{member_id}:{model}".encode())
        except InvalidTag:
            raise TemplateKeyError(
                f"template of member {member_id[:8]} does not open with this store's gallery key"
            ) from None
