"""The checked-in ``openapi.json``: made from the app, so the contract file cannot drift
from the code (a test compares them). Regenerate with ``facepay-cloud openapi --write``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from deploy.cloud.app import create_app
from deploy.cloud.vault import new_key

OPENAPI_FILE = Path(__file__).with_name("openapi.json")


def current_schema() -> dict[str, Any]:
    # A throw-away in-memory database: the schema does not depend on the data.
    app = create_app(":memory:", master_key=new_key())  # a throw-away key: no data
    try:
        return app.openapi()
    finally:
        app.state.db.close()


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write(path: Path = OPENAPI_FILE) -> Path:
    path.write_text(render(current_schema()), encoding="utf-8")
    return path


def is_current(path: Path = OPENAPI_FILE) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == render(current_schema())
