"""The sync panel shows what the sync worker publishes, delivered through the bridge."""

from __future__ import annotations

import threading
from typing import Any

from pytestqt.qtbot import QtBot

from terminal.demo.screenshots import offline_status


def test_an_offline_status_from_a_worker_thread_shows_queue_and_dead_letter_alert(
    qtbot: QtBot, make_front: Any
) -> None:
    front = make_front()
    panel = front.cashier.sync_panel
    assert not panel.dead.isVisible()
    # The sync worker calls its listeners on its own thread; so does this one.
    worker = threading.Thread(target=front.bridge.publish_sync, args=(offline_status(),))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: panel.status is not None and panel.status.registered)
    assert panel.state.text() == "● Offline"
    assert panel.state.property("online") == "no"
    assert panel.queue.text() == "12 queued, oldest 31 min ago"
    assert panel.dead.isVisible()
    assert panel.dead.text() == "⚠ 2 refused by the cloud: call support"
    assert "connection timed out" in panel.last_error.text()
