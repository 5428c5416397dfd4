"""The GUI thread never waits on the disk or the scanner: a 10 ms heartbeat keeps time
while scans arrive on a pty and sales are committed with synchronous=FULL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from drivers.scanner import PtyScannerSimulator, ScannerReader, ScannerSettings
from terminal.app.sale_view import SaleState
from terminal.demo.screenshots import COLA, CRISPS, NOODLES, WATER

MAX_STALL_S = 0.050


def test_event_loop_never_stalls_while_scanning_and_selling(
    qtbot: QtBot, make_front: Any, tmp_path: Path
) -> None:
    with PtyScannerSimulator(tmp_path / "scanner") as simulator:
        front = make_front(scanner=ScannerReader(ScannerSettings(port=str(simulator.link))))
        qtbot.waitUntil(lambda: front.cashier.devices.scanner.text() == "Scanner: connected")
        gaps: list[float] = []
        last = [time.monotonic()]

        def beat() -> None:
            now = time.monotonic()
            gaps.append(now - last[0])
            last[0] = now

        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(beat)
        heartbeat.start()
        last[0] = time.monotonic()
        for _ in range(4):
            for code in (WATER, COLA, NOODLES, CRISPS):
                assert simulator.send_scan(code)
                qtbot.wait(15)
            qtbot.waitUntil(lambda: len(front.cashier.view.lines) == 4, timeout=5000)
            qtbot.keyClick(front.cashier.scan_field, Qt.Key.Key_F6)
            qtbot.waitUntil(lambda: front.cashier.view.state is SaleState.PAID)
            # Continuous-mode scanners drop a repeat within 800 ms: wait it out.
            qtbot.wait(850)
        heartbeat.stop()
    assert len(gaps) > 100
    assert max(gaps) < MAX_STALL_S, f"the GUI thread stalled for {max(gaps) * 1000:.0f} ms"
