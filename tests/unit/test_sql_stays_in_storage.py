"""All SQL of the terminal lives in terminal/storage: no other module of terminal/ or
drivers/ calls a cursor's execute/query or holds an SQL statement in a string.

An AST walk, not a grep: a docstring that says "Create a pty" or a change type "delete"
is not SQL, and ``client.query_micropay(...)`` is not ``.query(...)``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = (ROOT / "terminal", ROOT / "drivers")
STORAGE = ROOT / "terminal" / "storage"

DB_CALLS = frozenset({"execute", "executemany", "executescript", "query"})

# A keyword alone is not enough (English starts sentences with "Create" and "Update"):
# each statement must also have the shape SQL gives it.
_SQL = re.compile(
    r"""^\s*(?:
        SELECT\s+\S.*?\bFROM\s+\S
      | SELECT\s+(?:\d+|\*|COUNT\s*\(|SUM\s*\(|MIN\s*\(|MAX\s*\(|COALESCE\s*\(|CHANGES\s*\()
      | INSERT\s+(?:OR\s+\w+\s+)?INTO\s+\S
      | UPDATE\s+(?:OR\s+\w+\s+)?[\w".\[\]]+\s+SET\s+\S
      | DELETE\s+FROM\s+\S
      | CREATE\s+(?:(?:TEMP|TEMPORARY|UNIQUE|VIRTUAL)\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\b
      | BEGIN\s+(?:DEFERRED|IMMEDIATE|EXCLUSIVE|TRANSACTION)\b
      | PRAGMA\s+\w+
    )""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
# "BEGIN" alone is a statement too, but "Begin" is also a button: only the shouted form.
_BARE_BEGIN = re.compile(r"^\s*BEGIN\s*;?\s*$")


def looks_like_sql(text: str) -> bool:
    return bool(_SQL.match(text) or _BARE_BEGIN.match(text))


def sql_findings(source: str, filename: str = "<source>") -> list[str]:
    """Each database call and each SQL string in ``source``, as ``line N: what``."""
    tree = ast.parse(source, filename)
    in_fstrings: set[int] = set()
    findings: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            # f"SELECT {cols} FROM t": judge the whole string, holes as placeholders.
            parts = [
                str(value.value) if isinstance(value, ast.Constant) else "{}"
                for value in node.values
            ]
            in_fstrings.update(id(value) for value in node.values)
            if looks_like_sql("".join(parts)):
                findings.append((node.lineno, f"SQL in an f-string: {''.join(parts)[:60]!r}"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in DB_CALLS
        ):
            findings.append((node.lineno, f"database call .{node.func.attr}(...)"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in in_fstrings
            and looks_like_sql(node.value)
        ):
            findings.append((node.lineno, f"SQL in a string: {node.value[:60]!r}"))
    return [f"line {line}: {what}" for line, what in sorted(findings)]


def _modules_outside_storage() -> list[Path]:
    return sorted(
        path
        for folder in SCANNED
        for path in folder.rglob("*.py")
        if not path.is_relative_to(STORAGE)
    )


def test_no_module_outside_storage_writes_sql() -> None:
    modules = _modules_outside_storage()
    # A wrong root would make this pass on nothing at all.
    assert ROOT / "terminal" / "face" / "gallery.py" in modules
    assert ROOT / "terminal" / "payments" / "face_pay.py" in modules
    offenders = [
        f"{path.relative_to(ROOT)} {finding}"
        for path in modules
        for finding in sql_findings(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not offenders, (
        "SQL belongs in terminal/storage (add a repository method there):\n" + "\n".join(offenders)
    )


def test_the_storage_package_itself_is_seen_as_sql() -> None:
    source = (STORAGE / "orders.py").read_text(encoding="utf-8")
    assert any("SQL in a string" in finding for finding in sql_findings(source))
    assert any("database call" in finding for finding in sql_findings(source))


@pytest.mark.parametrize(
    "source",
    [
        'db.execute("UPDATE members SET balance_cents = ? WHERE member_id = ?", [1, "m"])',
        "self._db.conn.executemany(statement, rows)",
        "cursor.executescript(script)",
        "rows = db.query(statement, params)",
        'Q = "DELETE FROM member_templates WHERE member_id = ?"',
        'Q = "select order_no, payment_id from payments where state in (?, ?)"',
        'Q = ("SELECT COUNT(*)"\n     " FROM orders")',
        'Q = f"SELECT {columns} FROM payments WHERE state IN ({marks})"',
        "Q = 'INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'",
        "Q = 'update outbox set state = 1 where id = ?'",
        "Q = 'CREATE UNIQUE INDEX a ON b (c)'",
        "Q = 'BEGIN IMMEDIATE'",
        "Q = 'BEGIN'",
        "Q = 'PRAGMA foreign_keys = ON'",
        "Q = 'SELECT 1'",
    ],
)
def test_the_check_sees_sql(source: str) -> None:
    assert sql_findings(source)


@pytest.mark.parametrize(
    "source",
    [
        'answer = client.query_micropay("trade-1")',
        "labels, distances = index.knn_query(vector, k=16)",
        'response = http.post("/v1/payments/face", json=body)',
        "future = executor.submit(run)",
        "def execute(self) -> None:\n    pass",
        "query = 'phone'",
        'if change.get("type") == "delete":\n    pass',
        '"""Create a pty and point the link at it; returns the slave device name."""',
        'MESSAGE = "Update the terminal software instead of downgrading"',
        'LABEL = "Select a member, then pay"',
        'BUTTON = ("开始", "Begin")',
        'HINT = "Delete the line from the cart"',
        'text = raw.decode("ascii", errors="replace")',
        'NOTE = "Pragmatic choice"',
    ],
)
def test_the_check_leaves_other_code_alone(source: str) -> None:
    assert sql_findings(source) == []
