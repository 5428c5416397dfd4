"""The test tree's own layout: helpers live in tests/support, fixtures in conftest files,
and no module imports a conftest (pytest loads those itself; importing one runs it a
second time under another name and hides where a helper really lives)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _imported_modules(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """Every dotted name the statement may bind a module from: for ``from a import b``
    both ``a`` and ``a.b`` (``b`` may be a submodule)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    base = "." * node.level + (node.module or "")
    yield base
    for alias in node.names:
        yield f"{base}.{alias.name}" if node.module else f"{base}{alias.name}"


def _names_a_conftest(module: str) -> bool:
    return module.rsplit(".", maxsplit=1)[-1] == "conftest"


def conftest_imports(root: Path = TESTS) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for module in _imported_modules(node):
                if _names_a_conftest(module):
                    where = path.relative_to(root.parent)
                    found.append(f"{where}:{node.lineno} imports {module}")
    return found


def test_no_module_imports_a_conftest() -> None:
    found = conftest_imports()
    assert not found, "move the helper into tests/support and import it from there:\n" + (
        "\n".join(found)
    )


def test_the_check_sees_every_way_of_importing_a_conftest(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text(
        "from tests.ui.conftest import SCREENS\n"
        "from tests.integration.sync import conftest as sync_fixtures\n"
        "import tests.conftest\n"
        "from . import conftest\n"
        "from .conftest import x\n"
        "def f():\n"
        "    from conftest import y\n"
        "from tests.support.screens import SCREENS\n"
        "from tests.support import screens\n",
        encoding="utf-8",
    )
    lines = sorted({int(found.split(":")[1].split()[0]) for found in conftest_imports(tmp_path)})
    assert lines == [1, 2, 3, 4, 5, 7]


def test_helpers_live_only_in_tests_support() -> None:
    """Outside tests/support a module is a test file, a conftest or a package marker
    (benchmarks are scripts, run with ``python -m tests.bench.NAME``)."""
    strays = [
        str(path.relative_to(TESTS.parent))
        for path in sorted(TESTS.rglob("*.py"))
        if not path.name.startswith("test_")
        and path.name not in ("conftest.py", "__init__.py")
        and path.relative_to(TESTS).parts[0] not in ("support", "bench")
    ]
    assert not strays, "move these helpers into tests/support:\n" + "\n".join(strays)
