"""A full provisioning under a temporary --root against the real reference cloud, a rerun
that changes nothing, and a wrong code that leaves nothing behind."""

from __future__ import annotations

import hashlib
import stat
import time
from pathlib import Path

import pytest

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from deploy.provision import exit_codes
from deploy.provision.cli import main
from deploy.provision.layout import Layout
from terminal.config import load_settings
from terminal.storage.database import open_store
from terminal.sync.registration import load_registration
from tests.support.provisioning import ModelCloud, files_below, provision

STATUSES = {"ok", "changed", "unchanged", "warning", "failed", "skipped"}


def test_full_provisioning_registers_configures_downloads_and_pulls(
    cloud: ModelCloud,
    cloud_db: CloudDatabase,
    models_dir: Path,
    root: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = admin.create_code(cloud_db, "S001")
    started = time.monotonic()
    run = provision(capsys, root, "--code", code, cloud=cloud.url)
    seconds = time.monotonic() - started
    print(f"full provisioning took {seconds:.2f} s")  # shown with -s; quoted in the README

    assert run.code == exit_codes.OK, run.report
    report = run.report
    assert report["ok"] and report["error"] is None
    assert report["device_id"] == "S001T001" and report["store_id"] == "S001"
    assert [s["name"] for s in report["steps"]] == [
        "preflight", "register", "config", "models", "sync", "hardware", "units", "ownership"
    ]  # fmt: skip
    assert {s["status"] for s in report["steps"]} <= STATUSES
    for name in ("register", "config", "models", "sync", "units"):
        assert run.statuses[name] == "changed", run.step(name)
    assert run.statuses["hardware"] in ("ok", "warning")  # no camera here: a warning

    layout = Layout.for_root(root)
    secrets = layout.secrets_path
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    registration = load_registration(secrets)
    assert registration is not None and registration.device_id == "S001T001"
    assert registration.cloud_url == cloud.url

    settings = load_settings(layout.config_path, env={})
    assert settings.device_id == "S001T001"
    assert settings.db_path == layout.db_path
    assert settings.secrets_path == secrets

    for source in models_dir.iterdir():
        installed = layout.models_dir / source.name
        assert (
            hashlib.sha256(installed.read_bytes()).digest()
            == hashlib.sha256(source.read_bytes()).digest()
        )
    assert not list(layout.models_dir.glob(".*"))  # no temp file left

    db = open_store(layout.db_path)
    try:
        assert db.execute("SELECT COUNT(*) FROM catalog_items").fetchone()[0] > 100
        assert db.execute("SELECT COUNT(*) FROM members").fetchone()[0] == 3
    finally:
        db.close()
    for unit in ("facepay-terminal.service", "facepay-sync.service"):
        text = (layout.units_dir / unit).read_text()
        assert "Restart=always" in text and str(layout.config_path) in text
    assert (layout.kiosk_session_path.stat().st_mode & 0o111) != 0


def test_rerun_on_a_provisioned_device_changes_nothing(
    cloud: ModelCloud, cloud_db: CloudDatabase, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = admin.create_code(cloud_db, "S001")
    assert provision(capsys, root, "--code", code, cloud=cloud.url).code == exit_codes.OK
    before = {p: p.stat().st_mtime_ns for p in files_below(root) if p.suffix != ".db"}

    # The code is spent; a provisioned device does not need it again.
    again = provision(capsys, root, "--code", code, cloud=cloud.url)

    assert again.code == exit_codes.OK, again.report
    assert "changed" not in again.statuses.values(), again.statuses
    for name in ("register", "config", "models", "sync", "units"):
        assert again.statuses[name] == "unchanged"
    after = {p: p.stat().st_mtime_ns for p in files_below(root) if p.suffix != ".db"}
    stores = {p for p in after if ".db" in p.name}  # SQLite's -wal/-shm change on open
    assert {p: t for p, t in after.items() if p not in stores} == {
        p: t for p, t in before.items() if p not in stores
    }
    assert not list(Layout.for_root(root).config_dir.glob("*.bak-*"))


def test_changed_config_is_rewritten_with_a_backup(
    cloud: ModelCloud, cloud_db: CloudDatabase, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = admin.create_code(cloud_db, "S001")
    assert provision(capsys, root, "--code", code, cloud=cloud.url).code == exit_codes.OK
    config = Layout.for_root(root).config_path
    edited = config.read_text().replace('id = "S001T001"', 'id = "T99"')
    edited += '\n[codes]\nweighed_value = "weight"\n'
    config.write_text(edited)

    run = provision(capsys, root, cloud=cloud.url)

    assert run.code == exit_codes.OK
    assert run.statuses["config"] == "changed"
    backups = list(config.parent.glob("terminal.toml.bak-*"))
    assert len(backups) == 1 and backups[0].read_text() == edited
    settings = load_settings(config, env={})
    assert settings.device_id == "S001T001"  # provisioning owns it
    assert settings.weighed_layout.value == "weight"  # the technician's key is kept


def test_wrong_code_is_refused_and_nothing_is_written(
    cloud: ModelCloud, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = provision(capsys, root, "--code", "WRONGCODE2", cloud=cloud.url)

    assert run.code == exit_codes.BAD_CODE
    assert "refused the code" in run.report["error"]
    assert run.statuses["register"] == "failed"
    assert run.statuses["config"] == "skipped"
    assert files_below(root) == []


def test_unreachable_cloud_stops_before_anything_is_written(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = provision(capsys, root, "--code", "ANY", cloud="http://127.0.0.1:9")

    assert run.code == exit_codes.CLOUD
    assert run.statuses["preflight"] == "failed"
    assert files_below(root) == []


def test_too_little_disk_space_stops_before_anything_is_written(
    cloud: ModelCloud, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = provision(capsys, root, "--code", "ANY", "--min-free-mb", str(2**40), cloud=cloud.url)

    assert run.code == exit_codes.DISK
    assert "MB free" in run.report["error"]
    assert files_below(root) == []


def test_without_yes_and_without_a_terminal_it_refuses(
    cloud: ModelCloud, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--root", str(root), "--cloud", cloud.url, "--code", "X"])

    assert code == exit_codes.USAGE
    assert "--yes" in capsys.readouterr().err
    assert files_below(root) == []
