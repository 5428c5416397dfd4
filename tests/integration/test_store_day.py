"""A store's day through the headless till, as the screens would run it: staff sign in,
a shift opens with a float, sales in cash by two cashiers, a restricted action refused
without a manager and allowed with one (recorded on the order), a return refused without
a manager and refunded in cash with one, a return without a receipt (a manager's too),
a pay-out, the shift closed with the cash
counted and the Z figures (refunds included) checked against the orders."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from terminal.app.catalog_files import DEMO_CATALOG
from terminal.storage.database import open_store

WATER, COLA = "6910263003875", "6979104402918"


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "terminal", *args],
        input=stdin, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def staffed(tmp_path: Path) -> Path:
    db = tmp_path / "till.db"
    assert cli("catalog", "import", str(DEMO_CATALOG), "--db", str(db)).returncode == 0
    for staff_id, name, role, pin in (
        ("C01", "Li Na", "cashier", "1111"),
        ("C02", "Wang Fang", "cashier", "2222"),
        ("M01", "Zhao Lei", "manager", "9999"),
    ):
        added = cli(
            "staff", "add", "--id", staff_id, "--name", name, "--role", role, "--db", str(db),
            stdin=f"{pin}\n{pin}\n",
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
    return db


def test_a_day_of_sales_with_staff_a_shift_and_a_z_report(tmp_path: Path, staffed: Path) -> None:
    day = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y%m%d")
    third = f"T01-{day}-0003"
    script = tmp_path / "day.txt"
    script.write_text(
        f"scan {WATER}\n"  # 1: refused, nobody signed in
        "login C01 1111\n"
        f"scan {WATER}\n"  # 3: refused, no shift open
        "shift open 10000\n"
        f"scan {WATER}\n"
        f"scan {COLA}\n"
        "pay cash 1000\n"  # 5.50, change 4.50
        f"scan {COLA}\n"
        "cancel\n"  # 9: refused, a cashier cancelling a sale with lines
        "manager M01 9999\n"
        "cancel\n"  # approved and recorded on the order
        "logout\n"
        "login C02 2222\n"
        f"scan {WATER}\n"
        "pay cash 200\n"
        f"return {third}\n"  # 16: refused, a cashier refunding
        "manager M01 9999\n"
        f"return {third}\n"  # the water back, in cash
        f"return noreceipt {COLA}\n"  # 19: refused, no receipt needs a manager
        "manager M01 9999\n"
        f"return noreceipt {COLA}\n"  # a cola back without a receipt: 3.50 in cash
        "pay out 500 window cleaner\n"
        "shift close 9700\n"  # 100.00 + cash 7.50 - refunds 5.50 - 5.00 = 97.00
    )
    ran = cli("checkout", "--headless", "--script", str(script), "--db", str(staffed))
    errors = [line.split(":")[1] for line in ran.stderr.splitlines() if ":" in line][:5]
    assert errors == ["1", "3", "9", "16", "19"], ran.stderr
    assert "sign in" in ran.stderr and "shift" in ran.stderr and "manager" in ran.stderr
    out = ran.stdout
    assert "SIGNED IN C01 cashier" in out and "APPROVED BY M01" in out
    assert f"REFUND T01-{day}-R0001 200 cash 200 pending 0" in out
    assert f"REFUND T01-{day}-R0002 350 cash 350 pending 0" in out
    assert "Z 1 expected 9700 counted 9700 variance 0" in out

    z = cli("report", "z", "--json", "--db", str(staffed))
    assert z.returncode == 0, z.stderr
    figures = json.loads(z.stdout)
    assert (figures["float_cents"], figures["cash_expected_cents"]) == (10000, 9700)
    assert (figures["counted_cents"], figures["variance_cents"]) == (9700, 0)
    [cash] = [t for t in figures["tenders"] if t["tender"] == "cash"]
    assert (cash["sales_cents"], cash["refunds_cents"], cash["net_cents"]) == (750, 550, 200)

    db = open_store(staffed)
    try:
        rows = list(db.query(
            "SELECT state, cashier_id, approver_id, total_cents FROM orders ORDER BY opened_at"
        ))  # fmt: skip
    finally:
        db.close()
    assert [(r["state"], r["cashier_id"], r["approver_id"]) for r in rows] == [
        ("paid", "C01", None),
        ("cancelled", "C01", "M01"),
        ("paid", "C02", None),
    ]
