"""``facepay-terminal report x|z`` as a user runs it: a real process on a real store, the
JSON a back office reads, and exit 1 with the reason when there is nothing to report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from terminal.app.shifts import ShiftService
from terminal.cli import exit_codes
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from tests.support.fake_clock import FakeClock
from tests.support.shift_sales import cancelled_after_cash, paid_in


def report(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "terminal", "report", *args, "--db", str(db)],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "FACEPAY_DEVICE_ID": "T01"},
    )  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store with one shift: float 100.00, cash 6.00, WeChat 4.00, 3.00 cash taken
    and handed back, a pay-out of 1.50; still open."""
    path = tmp_path / "till.db"
    clock = FakeClock()
    db = open_store(path)
    try:
        service, orders = ShiftService(db, "T01", clock=clock), OrderRepository(db)
        service.open(10_000, "alice")
        paid_in(orders, "T01", clock, "cash", quantity=3, tendered_cents=2_000)
        paid_in(orders, "T01", clock, "wechat", quantity=2)
        cancelled_after_cash(orders, "T01", clock, 300)
        service.pay_out(150, "milk for the staff room", "alice")
    finally:
        db.close()
    return path


def close_shift(path: Path, counted_cents: int) -> None:
    db = open_store(path)
    try:
        ShiftService(db, "T01").close(counted_cents, "bob")
    finally:
        db.close()


def test_no_shift_no_report(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    for kind, reason in (("x", "no shift is open"), ("z", "no Z report yet")):
        result = report(empty, kind)
        assert result.returncode == exit_codes.BAD_INPUT
        assert reason in result.stderr and not result.stdout


def test_the_x_report_shows_the_open_shift_so_far(store: Path) -> None:
    result = report(store, "x", "--json")
    assert result.returncode == 0, result.stderr
    x = json.loads(result.stdout)
    assert x["kind"] == "X" and x["closed_at"] is None and "counted_cents" not in x
    assert x["cash_expected_cents"] == 10_000 + 600 - 150
    text = report(store, "x")
    assert text.returncode == 0
    assert "X report (so far): shift 1 of T01" in text.stdout
    assert "cash expected        104.50" in text.stdout


def test_the_z_report_is_the_closed_shift_as_written(store: Path) -> None:
    assert report(store, "z").returncode == exit_codes.BAD_INPUT  # not closed yet
    close_shift(store, 10_400)
    result = report(store, "z", "--json")
    assert result.returncode == 0, result.stderr
    z = json.loads(result.stdout)
    assert (z["kind"], z["z_number"], z["shift_no"]) == ("Z", 1, 1)
    assert (z["float_cents"], z["cash_expected_cents"]) == (10_000, 10_450)
    assert (z["counted_cents"], z["variance_cents"]) == (10_400, -50)
    tenders = {t["tender"]: t for t in z["tenders"]}
    assert {k: tenders["cash"][k] for k in ("sales_cents", "refunds_cents", "net_cents")} == {
        "sales_cents": 900, "refunds_cents": 300, "net_cents": 600,
    }  # fmt: skip
    assert tenders["wechat"]["net_cents"] == 400 and tenders["alipay"]["net_cents"] == 0
    assert json.loads(report(store, "z", "--shift", "1", "--json").stdout) == z
    text = report(store, "z").stdout
    assert "Z report 1: shift 1 of T01" in text and "variance              -0.50" in text

    # The X of a closed shift recomputes the same figures, without the count.
    x = json.loads(report(store, "x", "--shift", "1", "--json").stdout)
    assert x["cash_expected_cents"] == z["cash_expected_cents"] and x["tenders"] == z["tenders"]
    unknown = report(store, "z", "--shift", "9")
    assert unknown.returncode == exit_codes.BAD_INPUT
    assert "shift 9 is not in this till's store" in unknown.stderr
