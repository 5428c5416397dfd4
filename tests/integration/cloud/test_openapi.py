"""The checked-in openapi.json is the app's current schema."""

from __future__ import annotations

import json

from deploy.cloud import openapi_file


def test_checked_in_openapi_json_equals_the_apps_schema() -> None:
    checked_in = json.loads(openapi_file.OPENAPI_FILE.read_text(encoding="utf-8"))
    assert checked_in == openapi_file.current_schema(), (
        "deploy/cloud/openapi.json is stale: run 'facepay-cloud openapi --write'"
    )
    assert openapi_file.is_current()
