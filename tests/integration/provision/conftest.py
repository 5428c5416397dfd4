"""A real reference cloud on loopback serving a folder of small fake models, a fresh
--root for the device, and a way to run ``facepay-provision`` in-process."""

from __future__ import annotations

import json
import os
import pwd
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from deploy.cloud import admin
from deploy.cloud.database import Database as CloudDatabase
from deploy.provision.cli import main
from tests.support.postgres_cluster import free_port

# Small, so the suite stays fast; random, so a hash mix-up cannot pass by accident.
FAKE_MODELS = {"det_500m.onnx": 300_000, "w600k_mbf.onnx": 700_000, "liveness.onnx": 50_000}


class ModelCloud:
    """``facepay-cloud serve --models-dir`` in its own process, killable like a real server
    (the pattern of tests/integration/sync/conftest.py's CloudProcess)."""

    def __init__(self, db_path: Path, models_dir: Path, log: Path):
        self.db_path = db_path
        self.models_dir = models_dir
        self.port = free_port()
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "deploy.cloud", "serve", "--db", str(self.db_path),
             "--host", "127.0.0.1", "--port", str(self.port),
             "--models-dir", str(self.models_dir)],
            stdout=subprocess.DEVNULL, stderr=self.log.open("ab"), stdin=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the cloud exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the cloud did not come up in 30 s")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None


@dataclass
class Run:
    code: int
    report: dict[str, Any]

    def step(self, name: str) -> dict[str, Any]:
        return next(s for s in self.report["steps"] if s["name"] == name)

    @property
    def statuses(self) -> dict[str, str]:
        return {s["name"]: s["status"] for s in self.report["steps"]}


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "cloud-models"
    folder.mkdir()
    for name, size in FAKE_MODELS.items():
        (folder / name).write_bytes(os.urandom(size))
    return folder


@pytest.fixture
def cloud_db(tmp_path: Path) -> Iterator[CloudDatabase]:
    database = CloudDatabase(str(tmp_path / "cloud.db"))
    admin.seed(database, "S001")
    yield database
    database.close()


@pytest.fixture
def cloud(cloud_db: CloudDatabase, models_dir: Path, tmp_path: Path) -> Iterator[ModelCloud]:
    server = ModelCloud(tmp_path / "cloud.db", models_dir, tmp_path / "cloud.log")
    server.start()
    yield server
    server.kill()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "device"


def service_user() -> str:
    # Whoever runs the tests: when that is root the chown is real and must find the user.
    return pwd.getpwuid(os.geteuid()).pw_name


def provision(
    capsys: pytest.CaptureFixture[str], root: Path, *args: str, cloud: str | None = None
) -> Run:
    argv = ["--root", str(root), "--yes", "--json", "--user", service_user()]
    if cloud is not None:
        argv += ["--cloud", cloud]
    code = main([*argv, *args])
    out = capsys.readouterr().out
    return Run(code, json.loads(out))


def wipe(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> Run:
    code = main(["wipe", "--root", str(root), "--yes", "--json", *args])
    return Run(code, json.loads(capsys.readouterr().out))


def files_below(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
