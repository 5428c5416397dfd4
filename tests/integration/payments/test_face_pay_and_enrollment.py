"""Face pay (online, offline within the caps, offline over them) and enrollment, against
the real reference cloud: balances debited exactly once, the outbox delivering an
enrollment before the order that names its member."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from sqlite_utils import Database

from deploy.cloud import admin, member_records
from deploy.cloud.database import Database as CloudDatabase
from terminal.app.consent import GivenConsent, current
from terminal.app.enrollment import EnrollmentService
from terminal.clock import utc_now
from terminal.domain.errors import PaymentError
from terminal.domain.face_probe import FaceProbe
from terminal.domain.payment import PaymentState
from terminal.face.decide import Decision, Outcome
from terminal.payments.errors import OfflineRefused
from terminal.storage import offline_payments, outbox
from terminal.storage.orders import OrderRepository
from terminal.sync.client import CloudClient
from terminal.sync.cycle import sync_once
from tests.support.checkout_sessions import make_session
from tests.support.cloud_keys import VAULT
from tests.support.cloud_queries import cloud_balance
from tests.support.enrollments import MODEL, vector
from tests.support.face_payments import member_with_face
from tests.support.registered_till import Till

WATER = "6910263003875"  # 2.00
BIG_MILK = "6951929701551"  # 19.90, member 17.90


FACE = 7  # the seed of the member's face vector


def member_with_balance(
    cloud: CloudDatabase, till: Till, db: Database, client: CloudClient, cents: int
) -> str:
    member_id = member_with_face(cloud, "S001", FACE, balance_cents=cents)
    sync_once(db, client, till.members(db))  # pulls the member and the offline caps
    return member_id


def probe(seed: int = FACE, liveness: float = 0.95) -> FaceProbe:
    """The face at the camera, as the face worker hands it to a payment."""
    face = vector(seed, noise=0.1)
    return FaceProbe(MODEL, (face / np.linalg.norm(face)).astype("<f4").tobytes(), liveness)


BOTH = [
    GivenConsent("membership", current("membership").version, "zh_CN"),
    GivenConsent("face_pay", current("face_pay").version, "zh_CN"),
]


def test_face_pay_online_applies_member_prices_and_debits_once(
    till: Till, db: Database, client: CloudClient, cloud_admin: CloudDatabase
) -> None:
    member_id = member_with_balance(cloud_admin, till, db, client, 5000)
    session = make_session(till, db, client)
    session.scan(BIG_MILK)
    with pytest.raises(PaymentError, match="liveness"):
        session.pay_face(member_id, Decision(Outcome.SPOOF, member_id))
    prompt = session.pay_face(member_id, Decision(Outcome.PAY, member_id, score=0.7))
    assert prompt.amount_cents == 1790  # the member price
    assert prompt.name == "Face**"
    assert session.face_pay_prompt() == prompt
    result = session.confirm_face_pay(probe())
    assert result.paid and not result.offline
    assert result.payment.state is PaymentState.SUCCEEDED
    assert cloud_balance(cloud_admin, member_id) == 5000 - 1790
    sync_once(db, client, till.members(db))
    assert cloud_balance(cloud_admin, member_id) == 5000 - 1790
    order_no = result.order.order_no
    [remote] = [d for d in admin.export_orders(cloud_admin) if d["order_no"] == order_no]
    assert remote["member_id"] == member_id and remote["paid_cents"] == 1790
    # The face probe is gone from the till once the payment had its answer.
    assert db.execute("SELECT COUNT(*) FROM face_probes").fetchone()[0] == 0


def test_face_pay_with_another_face_is_declined_by_the_cloud(
    till: Till, db: Database, client: CloudClient, cloud_admin: CloudDatabase
) -> None:
    member_id = member_with_balance(cloud_admin, till, db, client, 5000)
    session = make_session(till, db, client)
    session.scan(WATER)
    session.pay_face(member_id, Decision(Outcome.PAY, member_id, score=0.7))
    result = session.confirm_face_pay(probe(seed=99))  # the till was fooled; the cloud is not
    assert not result.paid and result.payment.state is PaymentState.FAILED
    assert result.reason is not None and result.reason.code == "pay.declined.face_mismatch"
    assert cloud_balance(cloud_admin, member_id) == 5000


def test_offline_face_pay_within_the_caps_is_forwarded_exactly_once(
    till: Till, db: Database, client: CloudClient, cloud_admin: CloudDatabase
) -> None:
    member_id = member_with_balance(cloud_admin, till, db, client, 5000)
    # The call is attempted and gets no answer (nothing listens there): offline approval.
    with CloudClient("http://127.0.0.1:9", till.registration.token, timeout_s=1) as dead:
        session = make_session(till, db, dead)
        session.scan(WATER)
        session.pay_face(member_id, Decision(Outcome.PAY, member_id))
        result = session.confirm_face_pay(probe())
    assert result.paid and result.offline and result.payment.state is PaymentState.SUCCEEDED
    payment_id = result.payment.payment_id
    assert cloud_balance(cloud_admin, member_id) == 5000
    kinds = [row["kind"] for row in db.query("SELECT kind FROM outbox ORDER BY id")]
    assert kinds == ["face_payment.offline", "order.paid"]
    report = sync_once(db, client, till.members(db))
    assert report.ok and report.drain.sent == 2
    assert cloud_balance(cloud_admin, member_id) == 4800
    assert offline_payments.forwarded(db, payment_id) is not None
    # The probe went with the forwarded payment and is gone from the till now.
    assert db.execute("SELECT COUNT(*) FROM face_probes").fetchone()[0] == 0
    # A resend (the same payment id) is answered from the cloud's record: no second debit.
    again = client.face_pay(
        payment_id=payment_id, order_no=result.order.order_no, member_id=member_id,
        amount_cents=200, probe=None, liveness=None,
    )  # fmt: skip
    assert again["state"] == "SUCCESS" and cloud_balance(cloud_admin, member_id) == 4800


def test_offline_face_pay_over_the_cap_is_refused(
    till: Till, db: Database, client: CloudClient, cloud_admin: CloudDatabase
) -> None:
    admin.set_config(cloud_admin, "S001", offline_face_pay_max_cents=100)
    member_id = member_with_balance(cloud_admin, till, db, client, 5000)
    session = make_session(till, db, client, online=False)
    session.scan(WATER)
    session.pay_face(member_id, Decision(Outcome.PAY, member_id))
    with pytest.raises(OfflineRefused, match=r"limited to 1\.00 a payment"):
        session.confirm_face_pay(probe())
    assert session.order is not None
    stored = OrderRepository(db).load(session.order.order_no)
    assert [p.state for p in stored.payments] == [PaymentState.FAILED]  # never sent
    assert outbox.stats(db).pending == 0
    assert session.pay_cash(200).paid


def _template(seed: int) -> bytes:
    vector = np.random.default_rng(seed).standard_normal(128).astype("<f4")
    return (vector / np.linalg.norm(vector)).astype("<f4").tobytes()


def test_enrollment_is_usable_at_once_and_reaches_the_cloud_before_its_order(
    till: Till, db: Database, client: CloudClient, cloud_admin: CloudDatabase
) -> None:
    members = till.members(db)
    service = EnrollmentService(db, members, till.registration.device_id)
    invitation = service.invite()
    assert invitation.consent == current("membership") and invitation.consent.text("zh_CN")
    with pytest.raises(ValueError, match="membership and the face pay consent"):
        service.accept(model="sface_2021dec", vector=_template(1), consents=BOTH[:1])
    enrolled = service.accept(
        model="sface_2021dec", vector=_template(1), consents=BOTH, display_name="Li Si"
    )
    assert members.get(enrolled.member_id) is not None
    assert [t.member_id for t in members.templates("sface_2021dec")] == [enrolled.member_id]
    # Queued for the cloud, the template is sealed like the gallery's copy: no vector on disk.
    [queued] = outbox.entries_for(db, enrolled.enrollment_id)
    assert [set(t) for t in queued["payload"]["templates"]] == [{"model", "sealed"}]
    assert base64.b64encode(_template(1)).decode() not in json.dumps(queued["payload"])
    # Offline, in the very next sale: greeted, member prices, cash.
    session = make_session(till, db, None, online=False)
    greeting = session.recognise(enrolled.member_id)
    assert greeting.name == "Li**" and greeting.points == 0
    session.scan(BIG_MILK)
    paid = session.pay_cash(2000)
    assert paid.order.totals().total_cents == 1790
    kinds = [row["kind"] for row in db.query("SELECT kind FROM outbox ORDER BY id")]
    assert kinds == ["enrollment.created", "order.paid"]
    # A second enrollment of the same face: the cloud merges it into the first member.
    twin = service.accept(model="sface_2021dec", vector=_template(1), consents=BOTH)
    assert sync_once(db, client, members, pull=False).drain.sent == 3
    with cloud_admin.read() as conn:
        personal = member_records.personal(conn, VAULT, enrolled.member_id)
    assert personal.display_name == "Li**"
    [remote] = [d for d in admin.export_orders(cloud_admin) if d["order_no"] == paid.order.order_no]
    assert remote["member_id"] == enrolled.member_id
    assert offline_payments.canonical_member_id(db, twin.member_id) == enrolled.member_id
    assert members.get(twin.member_id) is None
    # Once delivered, no template stays in the clear in the outbox.
    assert all(
        not e["payload"]["templates"] for e in outbox.entries_for(db, enrolled.enrollment_id)
    )


def test_declining_enrollment_stores_nothing(till: Till, db: Database) -> None:
    members = till.members(db)
    EnrollmentService(db, members, till.registration.device_id, clock=utc_now).decline()
    assert members.count() == 0 and outbox.stats(db).pending == 0
