"""Security review, issue 13: an erasure leaves no bytes behind. A member with a
distinctive name, phone and face template is erased through the API; then the database's
files are searched the way someone holding a copy of the disk would: SQLite's main file,
-wal and -shm, PostgreSQL's whole data directory (base/, pg_wal/, ...). Neither the name,
nor the phone, nor any of several 16-byte windows of the template's float32 bytes may be
found, before the erasure or after it: everything personal is sealed with the member's
key before it is written, and the erasure shreds the key."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import pytest

from deploy.cloud import admin
from deploy.cloud.face_templates import decode, encode
from tests.support.cloud_api import Cloud
from tests.support.cloud_keys import VAULT
from tests.support.database_files import found_in
from tests.support.privacy_requests import MODEL, code_for, erase, member_state, raw_template
from tests.support.sms_outbox import messages

WINDOW = 16


def windows(name: str, data: bytes) -> dict[str, bytes]:
    starts = (0, len(data) // 3, len(data) // 2, len(data) - WINDOW)
    return {f"{name}[{start}:{start + WINDOW}]": data[start : start + WINDOW] for start in starts}


def test_an_erased_member_leaves_no_plaintext_in_the_database_files(
    cloud: Cloud, database_files: list[Path]
) -> None:
    store = cloud.new_store()
    device = cloud.new_device(store)
    name = f"Quixote{uuid.uuid4().hex[:10]}"
    phone = "186" + "".join(random.choices("0123456789", k=8))
    raw = raw_template(random.randrange(10**9))
    stored = decode(MODEL, encode(raw), "template").to_bytes()  # as the cloud keeps it
    member = admin.create_member(cloud.db, store, display_name=name, phone=phone, vault=VAULT)
    admin.add_member_template(cloud.db, store, member, MODEL, raw, vault=VAULT)
    needles = {
        "name": name.encode(),
        "phone": phone.encode(),
        **windows("template", stored),
        **windows("raw template", raw),
    }
    otp_id, code = code_for(cloud, device, member)  # the code's text message is stored too
    never_in_the_clear = found_in(database_files, needles)

    answer = erase(device, member, otp_id, code, face_verified=True)

    assert answer.status_code == 201, answer.text
    assert member_state(cloud.db, member)["deleted"]
    assert never_in_the_clear == []
    assert found_in(database_files, needles) == []
    # The search reads the files the rows live in: the tombstone's id is there.
    assert found_in(database_files, {"member id": member.encode()})


def test_on_sqlite_what_was_written_in_the_clear_is_zeroed_by_the_erasure(
    cloud: Cloud, database_files: list[Path]
) -> None:
    """The code's text message is the one row about the member written in the clear; the
    erasure deletes it, secure_delete zeroes it and the checkpoint empties the WAL."""
    if cloud.kind != "sqlite":
        pytest.skip("pg_wal keeps what was written in the clear until PostgreSQL recycles it")
    store = cloud.new_store()
    device = cloud.new_device(store)
    member = admin.create_member(
        cloud.db, store, display_name="Sancho**", phone="18611112222", vault=VAULT
    )
    otp_id, code = code_for(cloud, device, member)
    [(_phone, text)] = messages(cloud.db, member)
    needle = {"text message": text.encode()}
    assert found_in(database_files, needle)  # the control: it is on disk before

    assert erase(device, member, otp_id, code).status_code == 201

    assert found_in(database_files, needle) == []
    assert Path(f"{database_files[0]}-wal").stat().st_size == 0
