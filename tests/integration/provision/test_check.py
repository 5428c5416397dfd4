"""``--check`` reports drift (config, models, units, registration) and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from deploy.provision import exit_codes
from deploy.provision.layout import Layout
from tests.support.provisioning import ModelCloud, files_below, provision


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in files_below(root) if ".db" not in p.name}


def test_check_on_a_fresh_device_reports_not_registered(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = provision(capsys, root, "--check")

    assert run.code == exit_codes.DRIFT
    assert run.statuses["register"] == "drift"
    assert run.statuses["units"] == "drift"
    assert files_below(root) == []


def test_check_finds_no_drift_after_provisioning_then_finds_each_kind(
    cloud: ModelCloud, cloud_db: CloudDatabase, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = admin.create_code(cloud_db, "S001")
    assert provision(capsys, root, "--code", code, cloud=cloud.url).code == exit_codes.OK
    clean = provision(capsys, root, "--check")
    assert clean.code == exit_codes.OK, clean.report
    assert "drift" not in clean.statuses.values()

    layout = Layout.for_root(root)
    (layout.models_dir / "liveness.onnx").write_bytes(b"not the model")
    (layout.models_dir / "det_500m.onnx").unlink()
    layout.config_path.write_text(layout.config_path.read_text() + "\n# a hand edit\n")
    (layout.units_dir / "facepay-sync.service").unlink()
    before = snapshot(root)

    run = provision(capsys, root, "--check")

    assert run.code == exit_codes.DRIFT
    assert run.statuses["config"] == "drift"
    assert run.statuses["models"] == "drift"
    assert "det_500m.onnx missing" in run.step("models")["detail"]
    assert "liveness.onnx corrupt" in run.step("models")["detail"]
    assert run.statuses["units"] == "drift"
    assert "facepay-sync.service" in run.step("units")["detail"]
    assert run.statuses["register"] == "unchanged"
    assert snapshot(root) == before  # nothing was changed

    repaired = provision(capsys, root, cloud=cloud.url)
    assert repaired.code == exit_codes.OK
    assert provision(capsys, root, "--check").code == exit_codes.OK
