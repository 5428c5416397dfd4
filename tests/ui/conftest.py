"""Qt tests run offscreen on two simulated screens.

The platform is chosen before anything imports Qt: the offscreen plugin reads a JSON file
(``offscreen:configfile=...``) with one entry per screen (name, x, y, width, height,
logicalDpi); Qt sorts them by name and the first is the primary. ``A-cashier`` and
``B-customer`` therefore give a cashier primary and a customer screen to its right.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.support.screens import SCREENS, write_screen_config

_CONFIG = write_screen_config(SCREENS, Path(tempfile.mkdtemp(prefix="facepay-qt-")))
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_CONFIG}"

import pytest  # noqa: E402  (Qt must see the platform first)
from PySide6.QtWidgets import QApplication  # noqa: E402

from drivers.scanner import ScanSource  # noqa: E402
from terminal.app.parts import Parts  # noqa: E402
from terminal.config import Settings, UiSection  # noqa: E402
from terminal.demo.screenshots import SIZE, prepare_store  # noqa: E402
from terminal.ui.app import FrontEnd  # noqa: E402
from terminal.ui.strings import Language  # noqa: E402
from terminal.ui.theme import load_fonts  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _fonts(qapp: QApplication) -> None:
    load_fonts(qapp)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "till.db"
    prepare_store(path)
    return path


@pytest.fixture
def ui_settings(store_path: Path) -> Settings:
    return Settings(device_id="T01", db_path=store_path)


@pytest.fixture
def make_front(qapp: QApplication, ui_settings: Settings, store_path: Path) -> Iterator[object]:
    """Build, start and show a ``FrontEnd``; every one made is shut down after the test."""
    made: list[FrontEnd] = []

    def make(
        language: Language = Language.EN,
        show: bool = False,
        scanner: ScanSource | None = None,
        cashier_screen: str | None = None,
        customer_screen: str | None = None,
    ) -> FrontEnd:
        ui = UiSection(
            cashier_screen=cashier_screen,
            customer_screen=customer_screen,
            language="en" if language is Language.EN else "zh_CN",
        )
        front = FrontEnd(Parts(settings=dataclasses.replace(ui_settings, ui=ui), scanner=scanner))
        made.append(front)
        front.start(show=show)
        if not show:
            for window in (front.cashier, front.customer):
                window.resize(*SIZE)
                window.show()
        front.cashier.activateWindow()
        assert front.wait_idle()
        return front

    yield make
    for front in made:
        front.shutdown()
