"""The face-pay path refuses with reason codes, never with English prose: in the files
below, every ``TillError`` made with a literal first argument names a registered code
(``terminal/errors.py``), and none is made from an f-string or a concatenation.

Checked on the source, as test_import_rules.py checks imports, so a new sentence cannot
slip in unnoticed. The rest of the domain still raises some errors with English
sentences (shown on screen by their class's generic code) until it moves to codes too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import terminal.app.face_checkout  # noqa: F401  (imports every module of the path)
from terminal.errors import TillError, registered_codes

ROOT = Path(__file__).resolve().parents[2]
FACE_PAY_PATH = (
    "terminal/app/checkout.py",
    "terminal/app/face_checkout.py",
    "terminal/payments/errors.py",
    "terminal/payments/offline.py",
    "terminal/payments/face_pay.py",
    "terminal/payments/wallet.py",
    "terminal/payments/pending_queue.py",
)


def _subclasses(kind: type) -> set[str]:
    found = {kind.__name__}
    for sub in kind.__subclasses__():
        found |= _subclasses(sub)
    return found


TILL_ERRORS = _subclasses(TillError)


def prose_refusals(source: str, name: str) -> list[str]:
    """Each ``TillError`` in ``source`` made from English rather than a code."""
    tree = ast.parse(source, filename=name)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in TILL_ERRORS or not node.args:
            continue
        first = node.args[0]
        where = f"{name}:{node.lineno} {node.func.id}"
        if isinstance(first, ast.JoinedStr | ast.BinOp):
            found.append(f"{where}: a sentence made at run time")
        elif (
            isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and first.value not in registered_codes()
        ):
            found.append(f"{where}: {first.value!r} is not a registered code")
    return found


@pytest.mark.parametrize("name", FACE_PAY_PATH)
def test_the_face_pay_path_refuses_by_code(name: str) -> None:
    found = prose_refusals((ROOT / name).read_text(encoding="utf-8"), name)
    assert not found, "raise a TillError with a reason code and params:\n" + "\n".join(found)


def test_the_check_sees_a_sentence() -> None:
    source = (
        'raise CartError("the cart is empty")\n'
        'raise OfflineRefused(f"limit {limit}")\n'
        'raise OfflineRefused("offline.no_face_pay", limit_cents=100)\n'
    )
    found = prose_refusals(source, "probe.py")
    assert [line.split(" ")[0] for line in found] == ["probe.py:1", "probe.py:2"]
