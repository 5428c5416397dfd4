"""Whether the demo opens windows for a person or plays offscreen."""

from __future__ import annotations

import pytest

from terminal.demo.screens import has_display


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, False),
        ({"DISPLAY": ":0"}, True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        # Drawing into memory is not a screen, even with an X display around.
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "offscreen:configfile=screens.json", "DISPLAY": ":0"}, False),
        ({"QT_QPA_PLATFORM": "minimal"}, False),
    ],
)
def test_only_a_real_screen_counts_as_a_display(env: dict[str, str], expected: bool) -> None:
    assert has_display(env) is expected
