"""A shift from the float to the Z, synced to the real cloud over HTTP (a process that is
killed and restarted), on SQLite and PostgreSQL: sales in every tender, a cancelled sale
whose cash went back, pay-in and pay-out, the close; the cloud ends with the shift once,
closed, and the Z once, with the figures of the orders; resending everything changes
nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlite_utils import Database

from deploy.cloud.database import Database as CloudDatabase
from deploy.cloud.schema import shifts, z_reports
from terminal.app.returns import ReturnsService
from terminal.app.shifts import ShiftService
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.domain.refund_request import LineRequest
from terminal.storage import outbox
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from terminal.sync.client import CloudClient
from terminal.sync.cycle import sync_once
from tests.support.cloud_process import CloudProcess
from tests.support.fake_clock import FakeClock
from tests.support.registered_till import Till
from tests.support.shift_sales import cancelled_after_cash, paid_in, split_paid


def drain(db: Database, till: Till, client: CloudClient, clock: FakeClock) -> int:
    """Sync until the outbox is empty; how many entries went. None may be parked."""
    deadline, sent = time.monotonic() + 60, 0
    while outbox.stats(db).pending:
        report = sync_once(db, client, till.members(db), pull=False, clock=clock,
                           backoff_base_s=0.01)  # fmt: skip
        sent += report.drain.sent
        assert time.monotonic() < deadline, report.error
    assert outbox.stats(db).dead == 0, outbox.dead_entries(db)
    return sent


def cloud_rows(cloud: CloudDatabase, device_id: str) -> tuple[Sequence[Any], Sequence[Any]]:
    with cloud.read() as conn:
        return (
            conn.execute(sa.select(shifts).where(shifts.c.device_id == device_id)).all(),
            conn.execute(sa.select(z_reports).where(z_reports.c.device_id == device_id)).all(),
        )


def test_a_shift_and_its_z_reach_the_cloud_exactly_once(
    till: Till, cloud_server: CloudProcess, cloud_admin: CloudDatabase
) -> None:
    device = till.registration.device_id
    clock = FakeClock(utc_now())  # the sync's clock too: entries are due as soon as queued
    db = open_store(till.db_path)
    client = till.client(timeout_s=5)
    try:
        service, orders = ShiftService(db, device, clock=clock), OrderRepository(db)
        shift = service.open(20_000, "alice")
        paid_in(orders, device, clock, "cash", quantity=3, tendered_cents=1_000)  # 6.00
        paid_in(orders, device, clock, "wechat", quantity=2)  # 4.00
        assert drain(db, till, client, clock) == 3  # the shift's first copy and two orders

        cloud_server.kill()  # the rest is sold while the cloud is down
        paid_in(orders, device, clock, "alipay", quantity=4, discount_cents=50)  # 7.50
        paid_in(orders, device, clock, "face")  # 2.00
        split_paid(orders, device, clock, 300, "alipay")  # 3.00 cash + 7.00 alipay
        cancelled_after_cash(orders, device, clock, 500)  # 5.00 in and back out
        service.pay_in(5_000, "change from the bank", "alice")
        service.pay_out(1_200, "window cleaner", "alice")
        z = service.close(20_000 + 600 + 300 + 5_000 - 1_200 - 100, "bob")  # 1.00 short
        report = sync_once(db, client, till.members(db), pull=False, clock=clock)
        assert report.drain.sent == 0 and report.error
        cloud_server.start()
        assert drain(db, till, client, clock) == 4 + 3 + 1  # orders, shift copies, the Z

        shift_rows, z_rows = cloud_rows(cloud_admin, device)
        assert len(shift_rows) == 1 and len(z_rows) == 1
        stored_shift, stored_z = shift_rows[0], z_rows[0]
        assert (stored_shift.shift_id, stored_shift.state, stored_shift.revision) == (
            shift.shift_id, "closed", 4,
        )  # fmt: skip
        assert (stored_shift.float_cents, stored_shift.counted_cents) == (20_000, 24_600)
        cloud_z = json.loads(stored_z.document)
        assert cloud_z == service.z_document() and z.z_number == stored_z.z_number == 1
        tenders = {t["tender"]: (t["sales_cents"], t["refunds_cents"], t["net_cents"])
                   for t in cloud_z["tenders"]}  # fmt: skip
        assert tenders == {
            "cash": (600 + 300 + 500, 500, 900),
            "wechat": (400, 0, 400),
            "alipay": (750 + 700, 0, 1_450),
            "face": (200, 0, 200),
        }
        assert (cloud_z["sales_cents"], cloud_z["refunds_cents"], cloud_z["net_cents"]) == (
            3_450, 500, 2_950,
        )  # fmt: skip
        assert (cloud_z["orders_paid"], cloud_z["orders_cancelled"]) == (5, 1)
        assert cloud_z["discounts_cents"] == 50
        assert (stored_z.float_cents, stored_z.cash_expected_cents) == (20_000, 24_700)
        assert (stored_z.counted_cents, stored_z.variance_cents) == (24_600, -100)
        assert not stored_z.flagged, stored_z.flags  # the cloud's own orders agree

        # Every entry again (answers lost, a restart, a requeue): nothing changes.
        cloud_server.kill()
        cloud_server.start()
        db.execute("UPDATE outbox SET state = 'pending', next_attempt_at = NULL")
        db.conn.commit()
        assert drain(db, till, client, clock) == 6 + 4 + 1
        assert cloud_rows(cloud_admin, device) == (shift_rows, z_rows)
    finally:
        client.close()
        db.close()


def test_a_shifts_cash_refund_is_in_its_z_and_the_cloud_agrees(
    till: Till, cloud_server: CloudProcess, cloud_admin: CloudDatabase
) -> None:
    device = till.registration.device_id
    clock = FakeClock(utc_now())
    db = open_store(till.db_path)
    client = till.client(timeout_s=5)
    try:
        service, orders = ShiftService(db, device, clock=clock), OrderRepository(db)
        service.open(10_000, "alice")
        sold = paid_in(orders, device, clock, "cash", quantity=3, tendered_cents=1_000)  # 6.00
        returns = ReturnsService(db, Settings(device_id=device, db_path=till.db_path), clock)
        ticket = returns.refund(
            sold.order_no, [LineRequest(1, 1)], reason="broken bottle", cashier_id="alice"
        )
        assert ticket.cash_cents == 200
        z = service.close(10_000 + 600 - 200, "alice")
        assert z.variance_cents == 0
        drain(db, till, client, clock)
        _, z_rows = cloud_rows(cloud_admin, device)
        [stored_z] = z_rows
        cloud_z = json.loads(stored_z.document)
        assert cloud_z["refund_nos"] == [ticket.refund_no]
        [cash] = [t for t in cloud_z["tenders"] if t["tender"] == "cash"]
        assert (cash["sales_cents"], cash["refunds_cents"]) == (600, 200)
        assert not stored_z.flagged, stored_z.flags  # its refund is the cloud's too
    finally:
        client.close()
        db.close()
