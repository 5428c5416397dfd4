"""The rendered systemd units are valid for systemd itself (``systemd-analyze verify``),
and the templates carry the restart policy the kiosk relies on."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.provision.layout import Layout
from deploy.provision.options import Options
from deploy.provision.units import SERVICES, TEMPLATES, render
from tests.support.provisioning import service_user


def test_rendered_units_pass_systemd_analyze_verify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    # verify insists every ExecStart program exists; a kiosk box has xinit, this one may not.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "xinit").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "xinit").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    layout = Layout.for_root(tmp_path / "device")
    layout.data_dir.mkdir(parents=True)  # ReadWritePaths= must exist
    files = render(Options(layout=layout, user=service_user()))
    for unit in files:
        unit.path.parent.mkdir(parents=True, exist_ok=True)
        unit.path.write_text(unit.text)
        unit.path.chmod(unit.mode)

    result = subprocess.run(
        [analyze, "verify", *(str(layout.units_dir / name) for name in SERVICES)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    # Lines about other units on this machine (a container's own) are not ours to judge.
    ours = [line for line in result.stderr.splitlines() if "facepay" in line]
    assert result.returncode == 0 and not ours, result.stderr


def test_templates_restart_forever_and_sync_runs_separately() -> None:
    terminal = (TEMPLATES / "facepay-terminal.service").read_text()
    sync = (TEMPLATES / "facepay-sync.service").read_text()
    for text in (terminal, sync):
        assert "Restart=always" in text
        assert "StartLimitIntervalSec=0" in text
    assert "@SESSION@" in terminal and "@XINIT@" in terminal
    assert "sync --config @CONFIG@" in sync
    assert "run --config @CONFIG@" in (TEMPLATES / "kiosk-session").read_text()
