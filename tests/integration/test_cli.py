"""The command line as a user runs it: real processes, real files, exit codes, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from terminal.app.catalog_files import DEMO_CATALOG
from terminal.cli import exit_codes

WATER = "6910263003875"
COLA = "6979104402918"


def cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "terminal", *args],
        input=stdin,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def stocked_db(tmp_path: Path) -> Path:
    db = tmp_path / "till.db"
    result = cli("catalog", "import", str(DEMO_CATALOG), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "imported 204 item(s)" in result.stdout
    return db


def test_headless_checkout_prints_paid_and_goes_on_after_a_bad_line(
    stocked_db: Path, tmp_path: Path
) -> None:
    script = tmp_path / "sales.txt"
    script.write_text(
        f"# two sales and some mistakes\nscan {WATER}\nscan {COLA}\nqty 2\npay cash 1000\n"
        "scan 123\nfly away\n"
        f"scan {COLA}\nvoid\nscan {WATER}\ndiscount 50\npay cash 150\n"
    )
    result = cli("checkout", "--headless", "--script", str(script), "--db", str(stocked_db))
    assert result.returncode == exit_codes.BAD_INPUT
    paid = [line.split() for line in result.stdout.splitlines() if line.startswith("PAID")]
    assert [(p[1][-4:], p[2]) for p in paid] == [("0001", "900"), ("0002", "150")]
    assert f"{script}:6: not a product barcode or a payment code: '123' (3 characters)" in (
        result.stderr
    )
    assert f"{script}:7:" in result.stderr and "is not an action" in result.stderr
    assert "2 paid, 0 cancelled, 2 line(s) refused" in result.stderr


def test_script_from_stdin(stocked_db: Path) -> None:
    result = cli(
        "checkout",
        "--headless",
        "--script",
        "-",
        "--db",
        str(stocked_db),
        stdin=f"scan {WATER}\npay cash 200\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("PAID ") and result.stdout.split()[2] == "200"


def test_orders_export_json_has_lines_and_payments(stocked_db: Path) -> None:
    cli(
        "checkout",
        "--headless",
        "--script",
        "-",
        "--db",
        str(stocked_db),
        stdin=f"scan {WATER}\nscan {COLA}\npay cash 1000\nscan {WATER}\ncancel\n",
    )
    result = cli("orders", "export", "--json", "--db", str(stocked_db))
    assert result.returncode == 0, result.stderr
    documents = json.loads(result.stdout)
    assert [d["state"] for d in documents] == ["paid", "cancelled"]
    paid = documents[0]
    assert [line["scanned_code"] for line in paid["lines"]] == [WATER, COLA]
    assert paid["payments"][0]["change_cents"] == 450
    text = cli("orders", "export", "--db", str(stocked_db)).stdout
    assert "paid" in text and "cancelled" in text and "change 4.50" in text


def test_catalog_round_trips_through_export_and_import(stocked_db: Path, tmp_path: Path) -> None:
    exported = cli("catalog", "export", "--db", str(stocked_db)).stdout
    copy = tmp_path / "copy.csv"
    copy.write_text(exported)
    fresh = tmp_path / "fresh.db"
    assert cli("catalog", "import", str(copy), "--db", str(fresh)).returncode == 0
    assert cli("catalog", "export", "--db", str(fresh)).stdout == exported
    as_json = json.loads(cli("catalog", "export", "--json", "--db", str(fresh)).stdout)
    assert len(as_json) == 204
    json_file = tmp_path / "items.json"
    json_file.write_text(json.dumps(as_json, ensure_ascii=False))
    again = tmp_path / "again.db"
    assert cli("catalog", "import", str(json_file), "--db", str(again)).returncode == 0
    assert cli("catalog", "export", "--db", str(again)).stdout == exported


def test_catalog_import_demo_loads_the_bundled_catalog_without_a_file(
    stocked_db: Path, tmp_path: Path
) -> None:
    demo = tmp_path / "demo.db"
    result = cli("catalog", "import", "--demo", "--db", str(demo))
    assert result.returncode == 0, result.stderr
    assert "imported 204 item(s)" in result.stdout
    exported = cli("catalog", "export", "--db", str(demo)).stdout
    assert exported == cli("catalog", "export", "--db", str(stocked_db)).stdout


def test_catalog_import_takes_a_file_or_demo_not_both_nor_neither(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    both = cli("catalog", "import", str(DEMO_CATALOG), "--demo", "--db", db)
    assert both.returncode == exit_codes.USAGE
    assert "error: argument --demo: not allowed with argument FILE" in both.stderr
    neither = cli("catalog", "import", "--db", db)
    assert neither.returncode == exit_codes.USAGE
    assert "one of the arguments FILE --demo is required" in neither.stderr


def test_a_bad_catalog_imports_nothing_and_names_every_bad_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "barcode,plu,name_zh,name_en,category,price_cents,member_price_cents,tax_rate_bp,unit\n"
        f"{WATER},,水,Water,drinks,200,,1300,each\n"
        "6910263003876,,水,Water,drinks,200,,1300,each\n"
        f"{COLA},,可乐,Cola,drinks,3.50,,1300,each\n"
        ",00101,香蕉,Banana,fresh,1190,,900,box\n"
    )
    db = tmp_path / "t.db"
    result = cli("catalog", "import", str(bad), "--db", str(db))
    assert result.returncode == exit_codes.BAD_INPUT
    assert "3 bad row(s), nothing imported" in result.stderr
    assert "row 3: check digit" in result.stderr
    assert "row 4: price_cents must be a whole number" in result.stderr
    assert "row 5: unit must be" in result.stderr
    assert cli("catalog", "export", "--json", "--db", str(db)).stdout.strip() == "[]"


def test_a_malformed_config_names_the_key_and_exits_3(tmp_path: Path) -> None:
    config = tmp_path / "terminal.toml"
    config.write_text('[storage]\nsynchronus = "FULL"\n')
    result = cli("orders", "export", "--config", str(config), "--db", str(tmp_path / "t.db"))
    assert result.returncode == exit_codes.CONFIG
    assert "unknown key storage.synchronus" in result.stderr
    config.write_text("[device\nid = 1")
    result = cli("orders", "export", "--config", str(config))
    assert result.returncode == exit_codes.CONFIG and "not valid TOML" in result.stderr


def test_a_corrupt_store_is_refused_with_exit_4(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    db.write_bytes(os.urandom(8192))
    result = cli("orders", "export", "--db", str(db))
    assert result.returncode == exit_codes.STORE
    assert "not a usable database" in result.stderr and str(db) in result.stderr


def test_a_missing_script_and_bad_arguments_exit_non_zero(tmp_path: Path) -> None:
    result = cli("checkout", "--headless", "--script", str(tmp_path / "nope.txt"))
    assert result.returncode == exit_codes.BAD_INPUT and "does not exist" in result.stderr
    assert cli("checkout", "--headless").returncode == exit_codes.USAGE
    assert cli("frobnicate").returncode == exit_codes.USAGE


def test_garbage_bytes_in_a_script_are_refused_line_by_line(
    stocked_db: Path, tmp_path: Path
) -> None:
    script = tmp_path / "garbage.txt"
    script.write_bytes(b"scan \xff\xfe\x00\x01\nscan " + WATER.encode() + b"\npay cash 200\n")
    result = cli("checkout", "--headless", "--script", str(script), "--db", str(stocked_db))
    assert result.returncode == exit_codes.BAD_INPUT
    assert f"{script}:1:" in result.stderr
    assert result.stdout.startswith("PAID ")


def test_headless_demo_rings_up_three_sales(tmp_path: Path) -> None:
    result = cli("demo", "--headless", "--db", str(tmp_path / "demo.db"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("合计") == 3  # the receipts, in the till's language (zh_CN)
    assert "3 sales paid in cash" in result.stdout
    assert "找零" in result.stdout


def test_demo_without_a_display_plays_a_sale_offscreen_and_saves_both_screens(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    out = tmp_path / "shots"
    result = subprocess.run(
        [sys.executable, "-m", "terminal", "demo", "--db", str(tmp_path / "d.db"),
         "--out", str(out)],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "No display found" in result.stdout
    names = {p.name for p in out.glob("*.png")}
    assert {"cashier-paid-zh_CN.png", "customer-paid-zh_CN.png"} <= names
    assert all((out / n).stat().st_size > 10_000 for n in names)


def test_a_held_sale_survives_a_restart_and_is_recalled(tmp_path: Path, stocked_db: Path) -> None:
    first = tmp_path / "first.txt"
    first.write_text(
        "scan 6910263003875\n"  # water 2.00: the customer forgot their wallet
        "hold\n"
        "scan 6979104402918\n"  # the next customer's cola 3.50
        "recall 1\n"  # refused: a sale is in progress
        "pay cash 350\n"
    )
    ran = cli("checkout", "--headless", "--script", str(first), "--db", str(stocked_db))
    assert ran.returncode == 1 and ":4:" in ran.stderr and "in progress" in ran.stderr
    held = [line.split()[1] for line in ran.stdout.splitlines() if line.startswith("HELD")]
    assert len(held) == 1
    # A new process: start-up recovery leaves the held sale alone; it is recalled and paid.
    second = tmp_path / "second.txt"
    second.write_text("recall 1\npay cash 200\nrecall 1\n")
    ran = cli("checkout", "--headless", "--script", str(second), "--db", str(stocked_db))
    assert f"RECALLED {held[0]}" in ran.stdout and f"PAID {held[0]} 200" in ran.stdout
    assert ran.returncode == 1 and ":3:" in ran.stderr  # nothing left to recall
