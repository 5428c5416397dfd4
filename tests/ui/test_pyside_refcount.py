"""Guard against PySide6 builds that over-release ``None`` (6.12.0 on Python 3.11 does:
each Qt call returning None drops a reference, and the till aborts with "deallocating
None" after a few thousand calls). Python 3.12+ makes None immortal, so this only bites
on 3.11, our target."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_qt_calls_returning_none_keep_the_none_refcount(qapp: QApplication) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("x")
        label.property("missing")
    assert sys.getrefcount(None) - before > -50
