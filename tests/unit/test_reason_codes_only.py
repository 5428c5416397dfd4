"""Errors a cashier may see are made from reason codes, never from English prose: in every
module of ``terminal/``, ``drivers/`` and ``deploy/``, each ``TillError`` made with a
literal first argument names a registered code (``terminal/errors.py``) and is given
every field that code's English template names, and none is made from an f-string, a
concatenation or ``str(...)`` of another error.

Checked on the source, as test_import_rules.py checks imports, so a sentence on a path
no test reaches cannot slip in unnoticed either; ``TillError`` itself refuses an
unregistered code when an error is made.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import string
from functools import cache
from pathlib import Path

import pytest

import terminal
from terminal.errors import TillError, registered_codes

ROOT = Path(__file__).resolve().parents[2]
# The domain must show up in the walk below: a guard against checking nothing.
DOMAIN_FILES = (
    "terminal/domain/cart.py",
    "terminal/domain/order.py",
    "terminal/domain/money.py",
    "terminal/domain/payment.py",
    "terminal/domain/order_number.py",
    "terminal/domain/catalog.py",
    "terminal/domain/codes/gtin.py",
    "terminal/domain/codes/gs1.py",
    "terminal/domain/codes/scan.py",
    "terminal/domain/codes/wallet.py",
    "terminal/domain/codes/weighed.py",
)


def _python_files(*packages: str) -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for package in packages
        for path in (ROOT / package).rglob("*.py")
    )


CHECKED_FILES = _python_files("terminal", "drivers", "deploy")


@cache
def till_errors() -> frozenset[str]:
    """The names of every ``TillError`` class, after importing every product module so
    each class and each code is registered (``__main__`` runs the program: skipped)."""
    for module in pkgutil.walk_packages(terminal.__path__, "terminal."):
        if not module.name.endswith(".__main__"):
            importlib.import_module(module.name)
    found: set[str] = set()
    pending: list[type] = [TillError]
    while pending:
        kind = pending.pop()
        found.add(kind.__name__)
        pending.extend(kind.__subclasses__())
    return frozenset(found)


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):  # errors.CartError(...)
        return call.func.attr
    return None


def prose_refusals(source: str, name: str, kinds: frozenset[str] | None = None) -> list[str]:
    """Each ``TillError`` in ``source`` made from English rather than a registered code."""
    kinds = till_errors() if kinds is None else kinds
    tree = ast.parse(source, filename=name)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _called_name(node) not in kinds or not node.args:
            continue
        first = node.args[0]
        where = f"{name}:{node.lineno} {_called_name(node)}"
        if isinstance(first, ast.JoinedStr | ast.BinOp):
            found.append(f"{where}: a sentence made at run time")
        elif isinstance(first, ast.Call) and _called_name(first) in {"str", "format", "repr"}:
            found.append(f"{where}: another error's words ({ast.unparse(first)})")
        elif (
            isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and first.value not in registered_codes()
        ):
            found.append(f"{where}: {first.value!r} is not a registered code")
    return found


def missing_fields(source: str, name: str) -> list[str]:
    """Each ``TillError`` in ``source`` made from a registered code without a field its
    English template names (the CLI and the log would print the raw template)."""
    tree = ast.parse(source, filename=name)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _called_name(node) not in till_errors():
            continue
        if not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        code = node.args[0].value
        if code not in registered_codes() or any(k.arg is None for k in node.keywords):
            continue  # not a code (reported above), or fields passed on from another error
        named = {f for _, f, _, _ in string.Formatter().parse(registered_codes()[code]) if f}
        missing = named - {k.arg for k in node.keywords}
        if missing:
            found.append(f"{name}:{node.lineno} {code}: no {', '.join(sorted(missing))}")
    return found


def test_the_walk_covers_the_domain_and_knows_its_errors() -> None:
    assert set(DOMAIN_FILES) <= set(CHECKED_FILES)
    assert {"CartError", "InvalidCode", "MoneyError", "UnknownConsentVersion"} <= till_errors()


@pytest.mark.parametrize("name", CHECKED_FILES)
def test_cashier_errors_are_made_from_codes(name: str) -> None:
    found = prose_refusals((ROOT / name).read_text(encoding="utf-8"), name)
    assert not found, "raise a TillError with a reason code and params:\n" + "\n".join(found)


@pytest.mark.parametrize("name", CHECKED_FILES)
def test_a_code_is_given_every_field_its_english_names(name: str) -> None:
    found = missing_fields((ROOT / name).read_text(encoding="utf-8"), name)
    assert not found, "pass every field the code's English template names:\n" + "\n".join(found)


def test_the_check_sees_a_missing_field() -> None:
    source = (
        'raise CartError("cart.no_line")\n'
        'raise CartError("cart.no_line", line_no=3)\n'
        "raise CartError(exc.code, **exc.params)\n"
    )
    assert [line.split(" ")[0] for line in missing_fields(source, "probe.py")] == ["probe.py:1"]


def test_the_check_sees_a_sentence() -> None:
    source = (
        'raise CartError("the cart is empty")\n'
        'raise OfflineRefused(f"limit {limit}")\n'
        'raise OfflineRefused("offline.no_face_pay", limit_cents=100)\n'
        "raise CartError(str(exc)) from None\n"
        'raise errors.CartError("cart " + "empty")\n'
        'raise CartError("cart.no_line", line_no=3)\n'
        "raise CartError(exc.code, **exc.params) from None\n"
        'raise ValueError("a plain sentence is not a cashier\'s error")\n'
    )
    found = prose_refusals(source, "probe.py")
    assert [line.split(" ")[0] for line in found] == [
        "probe.py:1",
        "probe.py:2",
        "probe.py:4",
        "probe.py:5",
    ]
