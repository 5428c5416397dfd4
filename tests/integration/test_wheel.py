"""The product as it is installed on a till: a wheel built from this checkout, installed
(not editable) with the ``cloud`` extra into a clean virtual environment and run from a
folder outside the checkout. Proves that the package data (style sheets, sounds, demo
catalog, model manifest, systemd templates) ships in the wheel and is found through the
product's own lookups, and that the console scripts start.

The wheel is built from a copy of the checkout: an in-tree build would leave ``build/``
behind, whose stale files a later build would ship. pip installs the dependencies from
the package registry (its cache makes the second run quick).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
CODE_FOLDERS = ("terminal", "drivers", "deploy")
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "artifacts", "tests", "*.egg-info", "__pycache__",
    ".*_cache", ".hypothesis", "*.db", "*.db-*",
)  # fmt: skip
# Run inside the installed environment: every lookup the product makes, and where it led.
LOOKUPS = """
import json, sys
import terminal
from terminal import resources
from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
from terminal.face.models import load_manifest
from terminal.ui.theme import stylesheet
from terminal.ui.sounds import TONES, sound_files
from deploy.cloud.admin import read_catalog_csv
from deploy.provision.units import SERVICES, TEMPLATES
json.dump({
    "terminal": terminal.__file__,
    "found_at": [str(t) for t in (resources.ui_styles(), DEMO_CATALOG, resources.model_manifest(), TEMPLATES)],
    "stylesheets": {name: len(stylesheet(name)) for name in ("cashier", "customer")},
    "sounds": {name: (sound_files() / f"{name}.wav").is_file() for name in TONES},
    "catalog_items": len(read_catalog(DEMO_CATALOG)),
    "cloud_catalog_rows": len(read_catalog_csv()),
    "model_roles": sorted({spec.role for spec in load_manifest().models.values()}),
    "templates": sorted(p.name for p in TEMPLATES.iterdir()),
    "services": list(SERVICES),
    "sys_path": sys.path,
}, sys.stdout)
"""  # noqa: E501


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path
    cwd: Path
    env: dict[str, str]

    def run(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / argv[0]), *argv[1:]],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _ok(result: subprocess.CompletedProcess[str], what: str) -> None:
    assert result.returncode == 0, f"{what} failed ({result.returncode}):\n{result.stderr[-3000:]}"


def _step(what: str, argv: list[str], timeout: float, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(
        argv, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    _ok(result, what)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("wheel")
    source, dist, venv = root / "source", root / "dist", root / "venv"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist)]
    _step("pip wheel", [*pip_wheel, str(source)], timeout=600)
    (wheel,) = dist.glob("facepay_terminal-*.whl")
    _step("python -m venv", [sys.executable, "-m", "venv", str(venv)], timeout=300)
    # Nothing of the checkout or of the developer's environment may leak in.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FACEPAY_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    pip_install = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    _step("pip install of the wheel", [*pip_install, f"{wheel}[cloud]"], timeout=1500, env=env)
    # A home of its own, so the product's default files land in the test's folder.
    env["HOME"] = str(root / "home")
    env["QT_QPA_PLATFORM"] = "offscreen"
    cwd = root / "elsewhere"
    cwd.mkdir()
    yield Installed(wheel, venv / "bin", cwd, env)
    shutil.rmtree(venv)  # some 700 MB: pytest keeps the last three runs' folders


def _tree_packages() -> set[str]:
    """Every folder setuptools would see as a package: the code folders, and the data
    folders under the names pyproject.toml maps them to."""
    roots = {name: REPO / name for name in CODE_FOLDERS}
    for package, folder in PYPROJECT["tool"]["setuptools"]["package-dir"].items():
        roots[package] = REPO / folder
    found = set()
    for package, folder in roots.items():
        found.add(package)
        for sub in folder.rglob("*"):
            if sub.is_dir() and "__pycache__" not in sub.parts:
                found.add(".".join([package, *sub.relative_to(folder).parts]))
    return found


def test_pyproject_lists_every_package_folder() -> None:
    assert set(PYPROJECT["tool"]["setuptools"]["packages"]) == _tree_packages()


def test_the_development_install_reads_the_checkouts_own_files() -> None:
    """In the editable install the lookups land in the top-level folders that developers
    edit (pyproject.toml's package-dir maps them), not in a copy."""
    from deploy.provision.units import TEMPLATES
    from terminal import resources

    assert str(resources.ui_styles()) == str(REPO / "assets" / "ui")
    assert str(resources.demo_catalog()) == str(REPO / "assets" / "catalog" / "demo_catalog.csv")
    assert str(resources.model_manifest()) == str(REPO / "models" / "manifest.toml")
    assert str(TEMPLATES) == str(REPO / "deploy" / "systemd")


@pytest.mark.slow
def test_the_wheel_carries_every_data_file(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    expected = {f"deploy/systemd/{p.name}" for p in (REPO / "deploy" / "systemd").iterdir()}
    for package, folder in PYPROJECT["tool"]["setuptools"]["package-dir"].items():
        prefix = package.replace(".", "/")
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                expected.add(f"{prefix}/{path.relative_to(REPO / folder).as_posix()}")
    assert expected - names == set()


@pytest.mark.slow
def test_the_installed_product_finds_its_files(installed: Installed) -> None:
    result = installed.run("python", "-c", LOOKUPS)
    _ok(result, "the lookups")
    found = json.loads(result.stdout)
    site = str(installed.bin.parent)
    assert found["terminal"].startswith(site)
    assert all(where.startswith(site) for where in found["found_at"]), found["found_at"]
    assert not any(entry.startswith(str(REPO)) for entry in found["sys_path"])
    assert all(size > 0 for size in found["stylesheets"].values())
    assert found["sounds"] == {"ok": True, "error": True}
    assert found["catalog_items"] == found["cloud_catalog_rows"] == 204
    assert found["model_roles"] == ["antispoof", "detector", "embedder"]
    assert {*found["services"], "kiosk-session"} <= set(found["templates"])


@pytest.mark.slow
def test_the_installed_headless_demo_prints_receipts(installed: Installed) -> None:
    result = installed.run("facepay-terminal", "--db", "demo.db", "demo", "--headless")
    _ok(result, "demo --headless")
    assert result.stdout.count("合计") == 3  # the receipts, in the till's language (zh_CN)
    assert (installed.cwd / "demo.db").exists()


@pytest.mark.slow
def test_the_installed_terminal_imports_the_demo_catalog(installed: Installed) -> None:
    imported = installed.run("facepay-terminal", "--db", "till.db", "catalog", "import", "--demo")
    _ok(imported, "catalog import --demo")
    assert "imported 204 item(s)" in imported.stdout
    exported = installed.run("facepay-terminal", "--db", "till.db", "catalog", "export")
    _ok(exported, "catalog export")
    assert len(exported.stdout.splitlines()) == 1 + 204


@pytest.mark.slow
@pytest.mark.parametrize("script", ["facepay-cloud", "facepay-provision"])
def test_the_installed_console_scripts_start(installed: Installed, script: str) -> None:
    result = installed.run(script, "--help")
    _ok(result, f"{script} --help")
    assert "usage:" in result.stdout
