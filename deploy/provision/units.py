"""The systemd units and the kiosk session, rendered from the templates in
``deploy/systemd`` and installed when they differ.

Without --root, ``systemctl daemon-reload`` and ``enable`` follow a change (when there is
a systemctl: a container has none). Under --root systemctl is never called: the units are
for a system that is not running.
"""

from __future__ import annotations

import importlib.resources
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from deploy.provision.atomic_file import write_atomically
from deploy.provision.options import Options
from deploy.provision.report import Status, StepResult

# Shipped as package data of ``deploy`` (pyproject.toml), so an installed wheel has them.
TEMPLATES = importlib.resources.files("deploy") / "systemd"
SERVICES = ("facepay-terminal.service", "facepay-sync.service")
SESSION_TEMPLATE = "kiosk-session"
_PLACEHOLDER = re.compile(r"@[A-Z_]+@")


@dataclass(frozen=True)
class UnitFile:
    path: Path
    text: str
    mode: int


def facepay_terminal_command() -> str:
    """The ``facepay-terminal`` script of the environment provisioning runs from: the
    units must start the same install that was just tested."""
    beside = Path(sys.executable).parent / "facepay-terminal"
    if beside.exists():
        return str(beside)
    return shutil.which("facepay-terminal") or "/usr/local/bin/facepay-terminal"


def render(options: Options) -> list[UnitFile]:
    layout = options.layout
    values = {
        "USER": options.user,
        "CONFIG": str(layout.config_path),
        "DATA_DIR": str(layout.data_dir),
        "MODELS_DIR": str(layout.models_dir),
        "SESSION": str(layout.kiosk_session_path),
        "FACEPAY_TERMINAL": facepay_terminal_command(),
        "XINIT": shutil.which("xinit") or "/usr/bin/xinit",
    }
    files = [
        UnitFile(layout.units_dir / name, fill(TEMPLATES / name, values), 0o644)
        for name in SERVICES
    ]
    files.append(
        UnitFile(layout.kiosk_session_path, fill(TEMPLATES / SESSION_TEMPLATE, values), 0o755)
    )
    return files


def fill(template: Traversable, values: dict[str, str]) -> str:
    text = template.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    if _PLACEHOLDER.search(text):
        raise ValueError(f"{template} has a placeholder provisioning does not know")
    return text


def run(options: Options) -> StepResult:
    files = render(options)
    differing = [f for f in files if _differs(f)]
    names = ", ".join(f.path.name for f in differing)
    if options.check:
        if differing:
            return StepResult("units", Status.DRIFT, f"differ or missing: {names}")
        return StepResult("units", Status.UNCHANGED, f"{len(files)} files as rendered")
    for unit in differing:
        write_atomically(unit.path, unit.text.encode(), unit.mode)
    warnings: list[str] = []
    notes = [f"wrote {names}" if differing else f"{len(files)} files as rendered"]
    if options.layout.root is not None:
        notes.append("systemctl not called under --root")
    elif shutil.which("systemctl") is None:
        notes.append("no systemctl here")
    else:
        warnings += _enable(bool(differing))
    status = Status.CHANGED if differing else Status.UNCHANGED
    return StepResult(
        "units", Status.WARNING if warnings else status, "; ".join(notes), warnings=warnings
    )


def _differs(unit: UnitFile) -> bool:
    try:
        if (unit.path.stat().st_mode & 0o777) != unit.mode:
            return True
        return unit.path.read_text(encoding="utf-8") != unit.text
    except FileNotFoundError:
        return True


def _enable(changed: bool) -> list[str]:
    commands = [["systemctl", "enable", *SERVICES]]
    if changed:
        commands.insert(0, ["systemctl", "daemon-reload"])
    warnings = []
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if result.returncode != 0:
            warnings.append(f"{' '.join(command)} failed: {result.stderr.strip()[:300]}")
    return warnings
