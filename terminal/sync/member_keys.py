"""The member repository a registered device works with: its own template key for what
it stores, and the store's gallery key (from its registration) for what the cloud sends.
"""

from __future__ import annotations

from sqlite_utils import Database

from terminal.storage.members import MemberRepository
from terminal.storage.template_cipher import GalleryCipher, TemplateCipher
from terminal.sync.registration import Registration


def member_repository(db: Database, registration: Registration) -> MemberRepository:
    gallery_key = registration.gallery_key
    return MemberRepository(
        db,
        TemplateCipher(registration.template_key),
        gallery=GalleryCipher(gallery_key) if gallery_key is not None else None,
    )
