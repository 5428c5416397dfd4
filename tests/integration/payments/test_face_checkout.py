"""``FaceCheckout`` over a real ``Till`` against the real reference cloud, with the face
worker's decisions given directly: greeting and member prices, face pay confirmed,
"not me", the last-4 fallback, joining with consent, a wallet code scanned at the till.
Results are delivered to the test's thread (as the Qt bridge delivers them to the GUI
thread), so the checkout runs on one thread as in the product."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlite_utils import Database

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from terminal.app.consent import current
from terminal.app.customer_panel import CustomerPanel, Stage
from terminal.app.face_checkout import FaceCheckout
from terminal.app.sale_view import SaleState, SaleView
from terminal.app.till import Till as AppTill
from terminal.config import Settings
from terminal.domain.face_probe import FaceProbe
from terminal.face.decide import Decision, Outcome
from terminal.face.embed import Embedding, normalize
from terminal.face.gallery import Gallery
from terminal.face.worker import FaceEvent, TemplateResult
from terminal.storage.orders import OrderRepository
from terminal.sync.client import CloudClient
from terminal.sync.cycle import sync_once
from tests.support.checkout_sessions import FAST
from tests.support.cloud_keys import VAULT
from tests.support.registered_till import Till

WATER = "6910263003875"  # 2.00
BIG_MILK = "6951929701551"  # 19.90, member 17.90
MODEL = "sface_2021dec"


class FakeFace:
    """The face worker's controls, recorded; templates come from a fixed vector."""

    def __init__(self, vector: np.ndarray) -> None:
        self.narrowed: list[str] = []
        self.resets = 0
        self.vector = vector

    def narrow(self, last4: str) -> None:
        self.narrowed.append(last4)

    def reset(self) -> None:
        self.resets += 1

    def request_template(self, callback: Callable[[TemplateResult], None]) -> None:
        callback(Embedding(self.vector, MODEL))


class Rig:
    def __init__(self, till: AppTill, face: FakeFace, gallery: Gallery) -> None:
        self.inbox: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.till = till
        self.face = face
        self.panels: list[CustomerPanel] = []
        self.checkout = FaceCheckout(
            till, face, post=self.inbox.put, show_panel=self.panels.append, gallery=gallery
        )
        till.on_sale_changed(lambda view: self.inbox.put(lambda: self.checkout.on_sale(view)))

    def pump(self, timeout_s: float = 10.0) -> None:
        """Run delivered callbacks until the till has nothing in flight."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                self.inbox.get(timeout=0.02)()
            except queue.Empty:
                if self.till.busy == 0 and self.inbox.empty():
                    return
        raise AssertionError("the till did not settle")

    def decide(self, outcome: Outcome, member_id: str | None = None) -> None:
        decision = Decision(outcome, member_id, score=0.7, margin=0.3, votes=3)
        # The face at the camera is the one the face worker would send as evidence.
        probe = FaceProbe(MODEL, self.face.vector.astype("<f4").tobytes(), 0.95)
        self.checkout.on_face(
            FaceEvent(1, time.monotonic(), (640, 480), (), None, "", "", None, decision, 0.0, {},
                      probe if outcome is Outcome.PAY else None)
        )  # fmt: skip
        self.pump()

    @property
    def stage(self) -> Stage:
        return self.checkout.panel.stage

    @property
    def view(self) -> SaleView:
        return self.till.view


@pytest.fixture
def rig(till: Till, db: Database, client: CloudClient, cloud_admin: CloudDatabase) -> Iterator[Rig]:
    vector = normalize(np.random.default_rng(7).standard_normal(128).astype(np.float32))
    # Zhang's face in the cloud: face pay is checked against it there.
    zhang = admin.demo_member_id("S001", "zhang")
    admin.add_member_template(cloud_admin, "S001", zhang, MODEL, vector.tobytes(), vault=VAULT)
    sync_once(db, client, till.members(db))  # the demo members and the offline caps
    settings = Settings(device_id=till.registration.device_id, db_path=till.db_path)
    app_till = AppTill(till.db_path, settings, registration=till.registration,
                       wallet_schedule=FAST)  # fmt: skip
    made = Rig(app_till, FakeFace(vector), Gallery(MODEL))
    app_till.start().success(lambda _report: None)
    made.pump()
    yield made
    app_till.stop()


def test_member_greeted_then_pays_by_face_and_the_cloud_gets_the_order_once(
    rig: Rig, till: Till, db: Database, client: CloudClient, cloud_admin: CloudDatabase
) -> None:
    zhang = admin.demo_member_id("S001", "zhang")
    rig.till.scan(BIG_MILK)
    rig.pump()
    assert rig.stage is Stage.LOOKING
    assert rig.view.total_cents == 1990

    rig.decide(Outcome.MEMBER, zhang)
    assert rig.stage is Stage.GREETING
    assert rig.checkout.panel.greeting is not None
    assert rig.checkout.panel.greeting.name == "Zhang**"
    assert rig.view.member is not None and rig.view.member.masked_name == "Zhang**"
    assert rig.view.total_cents == 1790  # member price

    rig.checkout.want_face_pay()
    rig.pump()
    rig.decide(Outcome.PAY, zhang)
    assert rig.stage is Stage.CONFIRM
    prompt = rig.checkout.panel.prompt
    assert prompt is not None and prompt.amount_cents == 1790
    assert prompt.name == "Zhang**"

    rig.checkout.confirm()
    rig.pump()
    assert rig.view.state is SaleState.PAID
    assert rig.stage is Stage.OFF
    assert rig.checkout.panel.greeting is not None  # kept for the thank-you page
    assert rig.face.resets == 1  # the next customer starts afresh

    report = sync_once(db, client, till.members(db), pull=False)
    assert report.drain.error is None
    exported = [o for o in admin.export_orders(cloud_admin) if o["order_no"] == rig.view.order_no]
    assert len(exported) == 1


def test_not_me_drops_member_prices_and_the_match(rig: Rig) -> None:
    zhang = admin.demo_member_id("S001", "zhang")
    rig.till.scan(BIG_MILK)
    rig.pump()
    rig.decide(Outcome.MEMBER, zhang)
    assert rig.view.total_cents == 1790
    rig.checkout.not_me()
    rig.pump()
    assert rig.view.member is None and rig.view.total_cents == 1990
    assert rig.stage is Stage.LOOKING
    rig.decide(Outcome.MEMBER, zhang)  # the same wrong match again is ignored
    assert rig.stage is Stage.LOOKING and rig.view.member is None


def test_unclear_match_asks_for_the_last_4_digits(rig: Rig) -> None:
    li = admin.demo_member_id("S001", "li")
    rig.till.scan(WATER)
    rig.pump()
    rig.checkout.want_face_pay()
    rig.decide(Outcome.ASK_LAST4, li)  # greeted first
    rig.decide(Outcome.ASK_LAST4, li)
    assert rig.stage is Stage.LAST4
    rig.checkout.enter_last4("12")
    assert rig.stage is Stage.LAST4 and rig.face.narrowed == []
    rig.checkout.enter_last4("5678")
    assert rig.face.narrowed == ["5678"]
    assert rig.stage is Stage.LOOKING
    rig.decide(Outcome.PAY, li)
    assert rig.stage is Stage.CONFIRM


def test_unknown_face_joins_with_consent_and_is_recognised_next_sale(
    rig: Rig, db: Database
) -> None:
    rig.till.scan(WATER)
    rig.pump()
    rig.decide(Outcome.UNKNOWN)
    assert rig.stage is Stage.INVITE
    assert rig.checkout.panel.consent == current("membership")
    rig.checkout.accept_join()
    rig.pump()
    assert rig.checkout.panel.consent == current("face_pay")  # its own page, its own Accept
    rig.checkout.accept_join()
    rig.pump()
    rig.pump()
    assert rig.stage is Stage.GREETING
    assert rig.checkout.panel.joined
    assert rig.checkout.gallery is not None and rig.checkout.gallery.members == 1
    member_id = rig.view.member.member_id if rig.view.member else ""
    kinds = [row["kind"] for row in db.query("select kind from outbox order by id")]
    assert "enrollment.created" in kinds
    # The gallery finds the new member from the same face in the next sale.
    found = rig.checkout.gallery.search(Embedding(rig.face.vector, MODEL))
    assert found.best is not None and found.best.member_id == member_id
    rig.till.pay_cash()
    rig.pump()
    assert rig.view.state is SaleState.PAID


def test_declined_invitation_stores_nothing_and_is_not_repeated(rig: Rig, db: Database) -> None:
    rig.till.scan(WATER)
    rig.pump()
    rig.decide(Outcome.UNKNOWN)
    rig.checkout.decline_join()
    rig.pump()
    assert rig.stage is Stage.LOOKING
    rig.decide(Outcome.UNKNOWN)
    assert rig.stage is Stage.LOOKING
    assert db["members"].count == 3  # the demo members only


def test_a_wallet_code_scanned_at_the_till_pays_the_sale(rig: Rig, tmp_path: Path) -> None:
    rig.till.scan(WATER)
    rig.pump()
    rig.till.scan("134567890123456786")  # USERPAYING, then SUCCESS
    rig.pump()
    assert rig.view.state is SaleState.PAID
    order = OrderRepository(Database(rig.till.db_path)).load(rig.view.order_no or "")
    assert [p.method for p in order.payments] == ["wallet_code"]


def test_an_invited_customer_recognised_after_all_is_greeted_instead(rig: Rig) -> None:
    zhang = admin.demo_member_id("S001", "zhang")
    rig.till.scan(WATER)
    rig.pump()
    rig.decide(Outcome.UNKNOWN)
    assert rig.stage is Stage.INVITE
    rig.decide(Outcome.MEMBER, zhang)
    assert rig.stage is Stage.GREETING
    assert rig.checkout.panel.consent is None
