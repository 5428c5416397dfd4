"""Shift and Z report upload, on SQLite and PostgreSQL: each copy of a shift stored once and
replaced only by one that continues it, a late older copy a duplicate, a closed shift and
a Z report never changed, another device's refused, figures that do not add up refused,
and figures the cloud's own records contradict stored flagged."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import sqlalchemy as sa

from deploy.cloud.schema import shifts, z_reports
from tests.support.cloud_api import Cloud, DeviceClient
from tests.support.shift_documents import ClosedShift, closed_shift


def put_shift(device: DeviceClient, document: dict[str, Any]) -> httpx.Response:
    return device.http.put(f"/v1/shifts/{document['shift_id']}", json=document)


def put_z(device: DeviceClient, document: dict[str, Any]) -> httpx.Response:
    return device.http.put(
        f"/v1/z-reports/{document['device_id']}/{document['z_number']}", json=document
    )


def stored_shift(cloud: Cloud, shift_id: str) -> sa.Row[Any]:
    with cloud.db.read() as conn:
        return conn.execute(sa.select(shifts).where(shifts.c.shift_id == shift_id)).one()


def delivered(device: DeviceClient, closed: ClosedShift) -> None:
    for order in closed.orders:
        assert device.http.put(f"/v1/orders/{order['order_no']}", json=order).status_code == 201
    for document in closed.copies:
        assert put_shift(device, document).status_code in (200, 201)


def test_each_copy_of_a_shift_continues_the_last_and_a_resend_is_a_duplicate(
    cloud: Cloud,
) -> None:
    device = cloud.new_device()
    closed = closed_shift(device.device_id)
    first, *later = closed.copies
    answer = put_shift(device, first)
    assert answer.status_code == 201 and answer.json()["status"] == "created"
    for document in later:
        answer = put_shift(device, document)
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "updated"
        assert answer.json()["revision"] == document["revision"]
    # Resends after a lost answer, the newest and the overtaken ones alike.
    for document in [closed.copies[-1], *closed.copies]:
        again = put_shift(device, document)
        assert again.status_code == 200 and again.json()["status"] == "duplicate"
        assert again.json()["revision"] == 4
    row = stored_shift(cloud, closed.shift.shift_id)
    assert (row.state, row.revision, row.float_cents, row.counted_cents) == (
        "closed", 4, 10_000, 10_900,
    )  # fmt: skip
    assert json.loads(row.document) == closed.copies[-1]


def test_a_closed_shift_never_changes_and_a_copy_that_rewrites_history_is_refused(
    cloud: Cloud,
) -> None:
    device = cloud.new_device()
    closed = closed_shift(device.device_id)
    opened, with_pay_in = closed.copies[0], closed.copies[1]
    assert put_shift(device, with_pay_in).status_code == 201  # the first copy was lost
    assert put_shift(device, opened).json()["status"] == "duplicate"  # ... and comes late

    other_float = dict(closed.copies[2], float_cents=1)
    assert put_shift(device, other_float).status_code == 409
    assert put_shift(device, closed.copies[-1]).json()["status"] == "updated"
    recounted = dict(closed.copies[-1], counted_cents=1)
    answer = put_shift(device, recounted)
    assert answer.status_code == 409 and answer.json()["error"] == "conflict"
    reopened = copy.deepcopy(closed.copies[-1])
    reopened["movements"].append(dict(reopened["movements"][0], movement_id="late"))
    reopened["revision"] += 1
    assert put_shift(device, reopened).status_code == 409
    assert stored_shift(cloud, closed.shift.shift_id).counted_cents == 10_900

    second = closed_shift(device.device_id)  # another shift claiming number 1
    assert put_shift(device, second.copies[0]).status_code == 409


def test_a_shift_copy_must_add_up(cloud: Cloud) -> None:
    device = cloud.new_device()
    closed = closed_shift(device.device_id)
    wrong_revision = dict(closed.copies[1], revision=5)
    answer = put_shift(device, wrong_revision)
    assert answer.status_code == 422 and "revision" in answer.json()["message"]
    half_closed = dict(closed.copies[0], closed_at="2026-11-22T09:00:00+00:00")
    assert put_shift(device, half_closed).status_code == 422


def test_the_z_report_is_stored_once_and_never_changed(cloud: Cloud) -> None:
    device = cloud.new_device()
    closed = closed_shift(device.device_id, counted_cents=10_850)
    delivered(device, closed)
    answer = put_z(device, closed.z)
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "created" and answer.json()["flags"] == []
    again = put_z(device, closed.z)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"

    recounted = dict(closed.z, counted_cents=10_900, variance_cents=0)
    assert put_z(device, recounted).status_code == 409
    renumbered = dict(closed.z, z_number=2)
    assert put_z(device, renumbered).status_code == 409  # the shift has its Z already
    with cloud.db.read() as conn:
        rows = conn.execute(
            sa.select(z_reports).where(z_reports.c.device_id == device.device_id)
        ).all()
    assert len(rows) == 1
    row = rows[0]
    assert (row.z_number, row.cash_expected_cents, row.counted_cents, row.variance_cents) == (
        1, 10_900, 10_850, -50,
    )  # fmt: skip
    assert (row.sales_cents, row.net_cents, row.flagged) == (600, 600, False)
    assert json.loads(row.document) == closed.z


def test_a_z_report_whose_figures_do_not_add_up_is_refused(cloud: Cloud) -> None:
    device = cloud.new_device()
    closed = closed_shift(device.device_id)
    for change in (
        {"cash_expected_cents": 1},
        {"variance_cents": 5},
        {"net_cents": 1},
        {"pay_ins_cents": 0},
        {"tenders": [dict(closed.z["tenders"][0], net_cents=1), *closed.z["tenders"][1:]]},
    ):
        answer = put_z(device, {**closed.z, **change})
        assert answer.status_code == 422, change
        assert "do not add up" in answer.json()["message"]


def test_a_z_report_the_clouds_records_contradict_is_stored_flagged(cloud: Cloud) -> None:
    device = cloud.new_device()
    closed = closed_shift(device.device_id)
    answer = put_z(device, closed.z)  # neither the shift nor the orders arrived
    assert answer.status_code == 201
    assert answer.json()["flags"] == ["orders_missing", "shift_missing"]

    other = closed_shift(device.device_id, shift_no=2, z_number=2)
    delivered(device, other)
    inflated = copy.deepcopy(other.z)
    cash = inflated["tenders"][0]
    cash.update(sales_cents=cash["sales_cents"] + 100, net_cents=cash["net_cents"] + 100)
    inflated.update(
        sales_cents=inflated["sales_cents"] + 100,
        net_cents=inflated["net_cents"] + 100,
        cash_expected_cents=inflated["cash_expected_cents"] + 100,
        variance_cents=inflated["variance_cents"] - 100,
    )
    answer = put_z(device, inflated)
    assert answer.status_code == 201 and answer.json()["flags"] == ["orders_disagree"]


def test_another_devices_shift_or_z_is_refused(cloud: Cloud) -> None:
    owner = cloud.new_device()
    thief = cloud.new_device(owner.store_id)
    closed = closed_shift(owner.device_id)
    assert put_shift(owner, closed.copies[0]).status_code == 201
    assert put_shift(thief, closed.copies[0]).status_code == 403
    assert put_shift(thief, dict(closed.copies[0], device_id=thief.device_id)).status_code == 403
    assert put_z(thief, closed.z).status_code == 403
    path = f"/v1/z-reports/{thief.device_id}/1"
    assert thief.http.put(path, json=closed.z).status_code == 403  # body names the owner
    anonymous = cloud.client().put(f"/v1/shifts/{closed.shift.shift_id}", json=closed.copies[0])
    assert anonymous.status_code == 401
