"""Face templates through the store: sealed at rest, unreadable without the device key,
loaded into the gallery only for their own model, and still matching after the trip."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from terminal.face.gallery import Gallery
from terminal.face.pipeline import FaceModels
from terminal.storage.members import Member, MemberRepository, Template
from terminal.storage.template_cipher import TemplateCipher, TemplateKeyError
from tests.support.face_photos import embed_photo

KEY = bytes(range(32))
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def test_round_trip_through_the_encrypted_store(
    db: Database, face_models: FaceModels, faces_dir: Path
) -> None:
    members = MemberRepository(db, TemplateCipher(KEY))
    model = face_models.model_name
    people = {"m-scarlett": "scarlett_johansson", "m-obama": "barack_obama"}
    for member_id, name in people.items():
        embedding = embed_photo(face_models, faces_dir / "identities" / name / "1.jpg")
        members.upsert(
            Member(member_id, name, "1234" if "obama" in member_id else "5678", 0, 0),
            [Template(member_id, model, embedding.to_bytes())],
            NOW,
        )
    # A template of another model must not reach this gallery.
    members.upsert(
        Member("m-other", "other", None, 0, 0), [Template("m-other", "arcface", b"\0" * 512)], NOW
    )
    raw = [row[0] for row in db.execute("SELECT sealed FROM member_templates")]
    plain = embed_photo(face_models, faces_dir / "identities" / "barack_obama" / "1.jpg")
    assert all(plain.to_bytes()[:64] not in blob for blob in raw)

    gallery = Gallery.from_repository(members, model)
    assert gallery.members == 2
    probe = embed_photo(face_models, faces_dir / "identities" / "barack_obama" / "2.jpg")
    result = gallery.search(probe)
    assert result.best is not None and result.best.member_id == "m-obama"
    narrowed = gallery.search(probe, last4="5678")
    assert narrowed.best is not None and narrowed.best.member_id == "m-scarlett"

    with pytest.raises(TemplateKeyError):
        Gallery.from_repository(MemberRepository(db, TemplateCipher(bytes(32))), model)
