"""``--db``, ``--config`` and ``-v`` are global: every command uses them whether they come
before its name or after it, and a command's own copy never resets one given before it
(it did: ``--db X orders export`` read the store of the settings instead of X)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from terminal.__main__ import build_parser

WATER = "6910263003875"
# One valid command line per command (a leaf of the command tree).
EVERY_COMMAND = {
    "demo": ["demo", "--headless"],
    "checkout": ["checkout", "--headless", "--script", "-"],
    "orders": ["orders", "export"],
    "catalog": ["catalog", "export"],
    "register": ["register", "--cloud", "http://127.0.0.1:9", "--code", "ABCD2345EF"],
    "sync": ["sync", "status"],
    "scanner": ["scanner", "listen", "--port", "/dev/null"],
    "sim": ["sim", "scanner", "--link", "/tmp/scanner-link"],
    "devices": ["devices"],
    "face-eval": ["face-eval", "faces"],
    "screenshots": ["screenshots", "shots"],
    "run": ["run"],
    "staff": ["staff", "list"],
    "report": ["report", "z", "--shift", "1", "--json"],
}


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "terminal", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The settings name a decoy store: a command that ignores --db opens (creates) it."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FACEPAY_")}
    return {**clean, "FACEPAY_DB": str(tmp_path / "decoy.db")}


@pytest.fixture
def store(tmp_path: Path, env: dict[str, str]) -> Path:
    """A store holding the demo catalog and one paid order (so one outbox entry)."""
    db = tmp_path / "x.db"
    assert cli("catalog", "import", "--demo", "--db", str(db), env=env).returncode == 0
    sale = tmp_path / "sale.txt"
    sale.write_text(f"scan {WATER}\npay cash 200\n")
    paid = cli("checkout", "--headless", "--script", str(sale), "--db", str(db), env=env)
    assert paid.returncode == 0, paid.stderr
    (tmp_path / "decoy.db").unlink(missing_ok=True)
    return db


def parse(argv: list[str]) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def test_the_table_names_every_command() -> None:
    commands = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    assert set(EVERY_COMMAND) == set(commands.choices)


@pytest.mark.parametrize("command", sorted(EVERY_COMMAND))
def test_global_options_before_the_command_reach_it(command: str) -> None:
    args = parse(["--db", "x.db", "--config", "f.toml", "-v", *EVERY_COMMAND[command]])
    assert (args.db, args.config, args.verbose) == ("x.db", Path("f.toml"), True)


@pytest.mark.parametrize("command", sorted(EVERY_COMMAND))
def test_global_options_after_the_command_reach_it(command: str) -> None:
    args = parse([*EVERY_COMMAND[command], "--db", "x.db", "--config", "f.toml", "-v"])
    assert (args.db, args.config, args.verbose) == ("x.db", Path("f.toml"), True)


def test_without_global_options_the_defaults_hold() -> None:
    args = parse(EVERY_COMMAND["orders"])
    assert (args.db, args.config, args.verbose) == (None, None, False)


def test_the_option_nearest_the_command_wins() -> None:
    assert parse(["--db", "a.db", "orders", "export", "--db", "b.db"]).db == "b.db"


def test_db_before_orders_export_reads_that_store(
    store: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    result = cli("--db", str(store), "orders", "export", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert [order["state"] for order in json.loads(result.stdout)] == ["paid"]
    assert not (tmp_path / "decoy.db").exists()


def test_db_before_catalog_export_reads_that_store(
    store: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    result = cli("--db", str(store), "catalog", "export", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 204
    assert not (tmp_path / "decoy.db").exists()


def test_db_before_sync_status_reads_that_store(
    store: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    result = cli("--db", str(store), "sync", "status", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["queued"] == 1
    assert not (tmp_path / "decoy.db").exists()


def test_db_before_catalog_import_writes_that_store(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "fresh.db"
    result = cli("--db", str(db), "catalog", "import", "--demo", env=env)
    assert result.returncode == 0, result.stderr
    assert "imported 204 item(s)" in result.stdout
    assert db.exists() and not (tmp_path / "decoy.db").exists()


def test_config_before_the_command_is_the_one_read(
    store: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    config = tmp_path / "terminal.toml"
    config.write_text(f'[storage]\ndb = "{store}"\n')
    without_db = {k: v for k, v in env.items() if k != "FACEPAY_DB"}
    result = cli("--config", str(config), "orders", "export", "--json", env=without_db)
    assert result.returncode == 0, result.stderr
    assert [order["state"] for order in json.loads(result.stdout)] == ["paid"]
    status = cli("--config", str(config), "sync", "status", "--json", env=without_db)
    assert json.loads(status.stdout)["queued"] == 1


def test_a_bad_config_before_the_command_is_refused(tmp_path: Path, env: dict[str, str]) -> None:
    config = tmp_path / "terminal.toml"
    config.write_text('[storage]\nsynchronus = "FULL"\n')
    result = cli("--config", str(config), "catalog", "export", env=env)
    assert result.returncode == 3
    assert "unknown key storage.synchronus" in result.stderr
