"""Models are verified before they are put where the terminal loads them: a download cut
off by a dying cloud, or a file whose hash does not match the list, leaves nothing in
place and no temp file behind; the next run finishes the job."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from deploy.provision import exit_codes
from deploy.provision.layout import Layout
from tests.support.fault_proxy import FaultProxy
from tests.support.provisioning import ModelCloud, provision, service_user

BIG = "big_model.onnx"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wait_for(path: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear in {timeout_s} s")
        time.sleep(0.01)


def test_cloud_dying_mid_download_leaves_no_model_and_a_rerun_completes(
    cloud_db: CloudDatabase,
    models_dir: Path,
    root: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (models_dir / BIG).write_bytes(os.urandom(8 * 1024 * 1024))
    cloud = ModelCloud(tmp_path / "cloud.db", models_dir, tmp_path / "cloud.log")
    cloud.start()
    # The proxy holds each 64 KB back a little, so the download takes seconds and the
    # cloud can be killed in the middle of it.
    proxy = FaultProxy(cloud.port)
    try:
        proxy.set("delay", delay_s=0.01)
        models = Layout.for_root(root).models_dir
        argv = [sys.executable, "-m", "deploy.provision", "--root", str(root), "--yes", "--json",
                "--user", service_user(), "--cloud", proxy.url,
                "--code", admin.create_code(cloud_db, "S001")]  # fmt: skip
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            wait_for(models / f".{BIG}.partial", timeout_s=30)
            time.sleep(0.2)  # well into the file
            cloud.kill()
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        first = json.loads(out)

        assert proc.returncode == exit_codes.CLOUD, (first, err)
        assert "broke off" in first["error"]
        assert {s["name"]: s["status"] for s in first["steps"]}["models"] == "failed"
        assert not (models / BIG).exists()
        assert not list(models.glob(".*"))

        # A run killed outright leaves its temp file; the next run clears it away.
        (models / f".{BIG}.partial").write_bytes(b"half a model")
        cloud.start()
        proxy.set("pass")
        again = provision(capsys, root, cloud=proxy.url)
    finally:
        proxy.close()
        cloud.kill()

    assert again.code == exit_codes.OK, again.report
    assert again.statuses["register"] == "unchanged"
    assert again.statuses["models"] == "changed"
    assert "1 stale partial" in again.step("models")["detail"]
    for source in models_dir.iterdir():
        assert sha256(models / source.name) == sha256(source)
    assert not list(models.glob(".*"))


def test_a_model_whose_hash_does_not_match_is_refused(
    cloud: ModelCloud,
    cloud_db: CloudDatabase,
    models_dir: Path,
    root: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The cloud hashed its files at start; changing one now (same size) makes it serve
    # bytes that do not match the hash it lists, as a corrupt store or a MITM would.
    victim = models_dir / "w600k_mbf.onnx"
    victim.write_bytes(os.urandom(victim.stat().st_size))

    run = provision(capsys, root, "--code", admin.create_code(cloud_db, "S001"), cloud=cloud.url)

    assert run.code == exit_codes.MODELS, run.report
    assert "w600k_mbf.onnx failed verification" in run.report["error"]
    assert run.statuses["models"] == "failed"
    assert run.statuses["sync"] == "skipped"
    models = Layout.for_root(root).models_dir
    assert not (models / victim.name).exists()
    assert not list(models.glob(".*"))
