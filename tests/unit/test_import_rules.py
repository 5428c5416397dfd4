"""The layering rules of the architecture (DESIGN.md, "Layers"), checked on the source:
which package may import what. Every import statement counts, at module level or inside
a function, so a lazy import cannot slip a layer past the check. A failure names the
file, the line and the import.

- the product never imports the demo or the deployment code;
- the domain is pure: the standard library minus anything that does I/O, its two pure
  code-parsing libraries, itself and the root of the error hierarchy (``terminal.errors``,
  which every layer imports, so it is held to the same rule);
- below the UI nothing imports Qt or the UI;
- the drivers stand alone: they never import ``terminal``;
- the server's packages (an optional extra) are imported by the reference cloud and the
  demo only.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Every folder of product code, relative to ROOT (tests/ is not product code).
PRODUCT = ("terminal", "drivers", "deploy", "scripts", "models", "assets")

BELOW_THE_UI = (
    "terminal/app",
    "terminal/payments",
    "terminal/face",
    "terminal/storage",
    "terminal/sync",
    "terminal/domain",
    "drivers",
)

# The standard library modules that reach the outside world (disk, network, processes)
# or run work concurrently: the domain computes, its callers do the I/O.
STDLIB_IO = (
    "asyncio",
    "concurrent",
    "ftplib",
    "glob",
    "http",
    "io",
    "mmap",
    "multiprocessing",
    "os",
    "pathlib",
    "select",
    "selectors",
    "shutil",
    "signal",
    "smtplib",
    "socket",
    "sqlite3",
    "ssl",
    "subprocess",
    "tempfile",
    "threading",
    "urllib",
)

# Third-party packages the domain may use: pure parsing, no I/O.
DOMAIN_THIRD_PARTY = ("biip", "stdnum")

SERVER_PACKAGES = (
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "psycopg",
    "psycopg2",
    "skimage",
)


@dataclass(frozen=True)
class Imported:
    """One module an import statement binds, where the statement is."""

    path: Path
    line: int
    module: str
    statement: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.statement}"


def _package_of(path: Path) -> list[str]:
    """The package a relative import in ``path`` starts from: its folder (for a module
    and for an ``__init__.py`` alike)."""
    return list(path.relative_to(ROOT).parent.parts)


def imports_in(path: Path) -> Iterator[Imported]:
    """Every module each import statement in ``path`` binds, at any depth. For ``from a
    import b`` that is ``a.b`` (``b`` may be a submodule, as in ``from terminal import
    demo``); relative imports are made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Imported(path, node.lineno, alias.name, ast.unparse(node))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(path)
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                yield Imported(path, node.lineno, f"{base}.{alias.name}", ast.unparse(node))


def python_files(*folders: str, skip: tuple[str, ...] = ()) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        target = ROOT / folder
        found = [target] if target.is_file() else sorted(target.rglob("*.py"))
        files += [
            p
            for p in found
            if ".venv" not in p.parts
            and not any(p.relative_to(ROOT).is_relative_to(s) for s in skip)
        ]
    return files


def is_under(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def violations(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        str(imp) for path in files for imp in imports_in(path) if is_under(imp.module, *forbidden)
    ]


def _report(rule: str, found: list[str]) -> str:
    return f"{rule}:\n  " + "\n  ".join(dict.fromkeys(found))


def test_the_product_never_imports_the_demo_or_the_deployment() -> None:
    files = python_files(
        *BELOW_THE_UI,
        "terminal/ui",
        "terminal/config.py",
        "terminal/clock.py",
        "terminal/errors.py",
        "terminal/resources.py",
    )
    found = violations(files, ("terminal.demo", "deploy"))
    assert not found, _report("terminal.demo and deploy are imported by the product", found)


def test_the_domain_is_pure() -> None:
    found = [
        str(imp)
        for path in python_files("terminal/domain", "terminal/errors.py")
        for imp in imports_in(path)
        if not domain_may_import(imp.module)
    ]
    assert not found, _report(
        "terminal/domain imports I/O, Qt, another layer or an unlisted package", found
    )


def domain_may_import(module: str) -> bool:
    top = module.split(".", maxsplit=1)[0]
    if top == "terminal":
        return is_under(module, "terminal.domain", "terminal.errors")
    if top in sys.stdlib_module_names or top == "__future__":
        return top not in STDLIB_IO
    return top in DOMAIN_THIRD_PARTY


def test_nothing_below_the_ui_imports_qt_or_the_ui() -> None:
    found = violations(python_files(*BELOW_THE_UI), ("PySide6", "shiboken6", "terminal.ui"))
    assert not found, _report("Qt or terminal.ui imported below the UI", found)


# Drivers sit below the till: of terminal they may use only the pure parts (the domain's
# code parsing to mask a payment code in a log line, the UTC clock), never a layer that
# does I/O or holds state, so no import cycle can form between drivers and terminal.
DRIVERS_MAY_USE = ("terminal.domain", "terminal.clock", "terminal.errors")


def test_the_drivers_use_only_the_pure_core_of_terminal() -> None:
    found = [
        str(imp)
        for path in python_files("drivers")
        for imp in imports_in(path)
        if is_under(imp.module, "terminal") and not is_under(imp.module, *DRIVERS_MAY_USE)
    ]
    assert not found, _report("drivers/ imports a part of terminal that is not pure", found)


def test_only_the_cloud_and_the_demo_import_the_server_packages() -> None:
    files = python_files(*PRODUCT, skip=("deploy/cloud", "terminal/demo"))
    found = violations(files, SERVER_PACKAGES)
    assert not found, _report(
        "a server package (the optional cloud/demo extra) imported outside deploy/cloud "
        "and terminal/demo",
        found,
    )


# The checker itself, on small files written for the purpose.


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    package = tmp_path / "terminal" / "app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    path = package / "sample.py"
    path.write_text(
        "import PySide6.QtCore\n"
        "from terminal import demo\n"
        "from .. import ui\n"
        "from ..domain.money import Money\n"
        "def later():\n"
        "    from deploy.cloud import admin\n",
        encoding="utf-8",
    )
    return path


def test_every_import_counts_including_inside_functions_and_relative(sample: Path) -> None:
    assert [(i.line, i.module) for i in imports_in(sample)] == [
        (1, "PySide6.QtCore"),
        (2, "terminal.demo"),
        (3, "terminal.ui"),
        (4, "terminal.domain.money.Money"),
        (6, "deploy.cloud.admin"),
    ]


def test_a_violation_names_the_file_the_line_and_the_import(sample: Path) -> None:
    found = violations([sample], ("terminal.demo", "deploy"))
    assert found == [
        "terminal/app/sample.py:2: from terminal import demo",
        "terminal/app/sample.py:6: from deploy.cloud import admin",
    ]


def test_the_domain_rule_allows_computation_and_refuses_io() -> None:
    assert domain_may_import("decimal")
    assert domain_may_import("stdnum.ean")
    assert domain_may_import("terminal.domain.money.Money")
    assert not domain_may_import("sqlite3")
    assert not domain_may_import("pathlib.Path")
    assert domain_may_import("terminal.errors.TillError")
    assert not domain_may_import("terminal.clock.utc_now")
    assert not domain_may_import("terminal.storage.orders")
    assert not domain_may_import("numpy")
    assert not domain_may_import("httpx")
