"""The two simulated screens Qt tests run on, and the JSON file the offscreen platform
plugin reads them from (``offscreen:configfile=...``). No Qt here: the file must be
written before anything imports Qt."""

from __future__ import annotations

import json
from pathlib import Path

# Qt sorts screens by name and the first is the primary: a cashier primary and a
# customer screen to its right.
SCREENS: list[dict[str, object]] = [
    {"name": "A-cashier", "x": 0, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96},
    {"name": "B-customer", "x": 1280, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96},
]


def write_screen_config(screens: list[dict[str, object]], folder: Path) -> Path:
    path = folder / "screens.json"
    path.write_text(json.dumps({"screens": screens}), encoding="utf-8")
    return path
