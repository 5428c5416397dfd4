"""How long the GUI thread's event loop goes without turning: a 5 ms timer beats while a
nested loop runs for a while; each gap between beats is how late the loop was."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer


def loop_gaps_ms(seconds: float, beat_ms: int = 5) -> list[float]:
    """Run the event loop for ``seconds``; the gaps between timer beats, in ms (the first,
    from the start to the first beat, is left out)."""
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def beat() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now

    timer = QTimer()
    timer.setInterval(beat_ms)
    timer.timeout.connect(beat)
    timer.start()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    return gaps[1:]
