"""``facepay-provision`` as the provisioning tests run it: in-process, as whoever runs the
tests, with the JSON report parsed (``Run``); the killable cloud serving a folder of small
fake models (``ModelCloud``); and a listing of what a run left on disk."""

from __future__ import annotations

import json
import os
import pwd
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from deploy.provision.cli import main
from tests.support.cloud_process import CloudProcess

# Small, so the suite stays fast; random, so a hash mix-up cannot pass by accident.
FAKE_MODELS = {"det_500m.onnx": 300_000, "w600k_mbf.onnx": 700_000, "liveness.onnx": 50_000}


class ModelCloud(CloudProcess):
    """The killable cloud process, serving a models folder."""

    def __init__(self, db_path: Path, models_dir: Path, log: Path):
        super().__init__(str(db_path), log, models_dir=models_dir)


@dataclass
class Run:
    code: int
    report: dict[str, Any]

    def step(self, name: str) -> dict[str, Any]:
        return next(s for s in self.report["steps"] if s["name"] == name)

    @property
    def statuses(self) -> dict[str, str]:
        return {s["name"]: s["status"] for s in self.report["steps"]}


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
