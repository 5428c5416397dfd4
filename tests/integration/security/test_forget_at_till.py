"""A member asks at the till to be forgotten: the till's side of the erasure workflow
against the real cloud in its own process. The code goes to the member's phone; with it
the cloud erases (or takes the face only) and the till forgets the same: the member, the
templates, the personal data in the outbox; without it nothing moves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlite_utils import Database

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from deploy.cloud.erasure import erase_by_operator
from terminal.app import forget_me
from terminal.app.consent import GivenConsent, current
from terminal.app.enrollment import EnrollmentService
from terminal.app.forget_me import ForgetKind, ForgetRefused
from terminal.storage import outbox
from terminal.storage.database import open_store
from terminal.sync.client import CloudClient
from terminal.sync.cycle import sync_once
from tests.support.cloud_keys import VAULT
from tests.support.enrollments import MODEL, vector
from tests.support.privacy_requests import member_state
from tests.support.registered_till import Till
from tests.support.sms_outbox import last_code

PHONE = "13912340077"


@pytest.fixture
def db(till: Till) -> Iterator[Database]:
    database = open_store(till.db_path)
    yield database
    database.close()


@pytest.fixture
def client(till: Till) -> Iterator[CloudClient]:
    with till.client(timeout_s=5) as made:
        yield made


def member_on_till(cloud: CloudDatabase, till: Till, db: Database, client: CloudClient) -> str:
    member_id = admin.create_member(cloud, "S001", display_name="Qian**", phone=PHONE,
                                    balance_cents=500, vault=VAULT)  # fmt: skip
    admin.add_member_template(cloud, "S001", member_id, MODEL, vector(77).tobytes(), vault=VAULT)
    assert sync_once(db, client, till.members(db)).ok
    assert len([t for t in till.members(db).templates(MODEL) if t.member_id == member_id]) == 1
    return member_id


def test_the_member_erases_themselves_with_the_code(
    till: Till, db: Database, client: CloudClient, cloud_admin: CloudDatabase
) -> None:
    member_id = member_on_till(cloud_admin, till, db, client)
    members = till.members(db)
    otp_id = forget_me.ask_code(client, member_id)
    code = last_code(cloud_admin, member_id)
    forget_me.forget(client, members, member_id, ForgetKind.MEMBERSHIP, otp_id=otp_id,
                     code=code, face_verified=True)  # fmt: skip
    assert members.get(member_id) is None
    assert [t for t in members.templates(MODEL) if t.member_id == member_id] == []
    state = member_state(cloud_admin, member_id)
    assert state["deleted"] and state["templates"] == 0 and state["keys"] == 0
    assert [row["proof"] for row in state["erasures"]] == ["face+otp"]
    # The next pull agrees, and the WAL holds nothing of the member's name any more.
    assert sync_once(db, client, members).ok
    assert b"Qian" not in (till.db_path.parent / f"{till.db_path.name}-wal").read_bytes()


def test_the_member_deletes_only_their_face(
    till: Till, db: Database, client: CloudClient, cloud_admin: CloudDatabase
) -> None:
    member_id = member_on_till(cloud_admin, till, db, client)
    members = till.members(db)
    otp_id = forget_me.ask_code(client, member_id)
    forget_me.forget(client, members, member_id, ForgetKind.FACE, otp_id=otp_id,
                     code=last_code(cloud_admin, member_id), face_verified=False)  # fmt: skip
    assert members.get(member_id) is not None  # still a member
    assert [t for t in members.templates(MODEL) if t.member_id == member_id] == []
    assert sync_once(db, client, members).ok
    assert members.get(member_id) is not None
    assert [t for t in members.templates(MODEL) if t.member_id == member_id] == []
    assert member_state(cloud_admin, member_id)["templates"] == 0


def test_without_the_right_code_nothing_is_forgotten(
    till: Till, db: Database, client: CloudClient, cloud_admin: CloudDatabase
) -> None:
    member_id = member_on_till(cloud_admin, till, db, client)
    members = till.members(db)
    otp_id = forget_me.ask_code(client, member_id)
    code = last_code(cloud_admin, member_id)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(ForgetRefused) as refused:
        forget_me.forget(client, members, member_id, ForgetKind.MEMBERSHIP, otp_id=otp_id,
                         code=wrong, face_verified=True)  # fmt: skip
    assert refused.value.code == "forget.code_wrong"
    assert refused.value.params == {"tries_left": 4}
    assert members.get(member_id) is not None
    assert not member_state(cloud_admin, member_id)["deleted"]


def test_a_cloud_out_of_reach_is_said_plainly(till: Till, db: Database) -> None:
    dead = CloudClient("http://127.0.0.1:9", till.registration.token, timeout_s=1)
    with dead, pytest.raises(ForgetRefused) as refused:
        forget_me.ask_code(dead, "any-member")
    assert refused.value.code == "forget.offline"


def test_an_erased_members_personal_data_leaves_the_outbox(
    till: Till, db: Database, client: CloudClient, cloud_admin: CloudDatabase
) -> None:
    """Enrolled here, sent, then erased (by the operator): the sent enrollment entry no
    longer holds the name or phone."""
    members = till.members(db)
    service = EnrollmentService(db, members, till.registration.device_id)
    consents = [GivenConsent(kind, current(kind).version, "en")
                for kind in ("membership", "face_pay")]  # fmt: skip
    enrolled = service.accept(model=MODEL, vector=vector(78).tobytes(), consents=consents,
                              display_name="Sun Li", phone_last4="4321")  # fmt: skip
    assert sync_once(db, client, members).ok
    [entry] = outbox.entries_for(db, enrolled.enrollment_id)
    assert entry["payload"]["display_name"] is None and entry["payload"]["phone_last4"] is None
    assert entry["payload"]["templates"] == []
    erase_by_operator(cloud_admin, enrolled.member_id, "the member, in writing")
    assert sync_once(db, client, members).ok
    assert members.get(enrolled.member_id) is None
    raw = (
        till.db_path.read_bytes() + (till.db_path.parent / f"{till.db_path.name}-wal").read_bytes()
    )
    assert b"Sun Li" not in raw and b"4321" not in raw
