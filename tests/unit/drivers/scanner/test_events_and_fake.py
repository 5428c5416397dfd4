"""Events never show a payment code; listeners cannot kill the thread; the fake types."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime

import pytest

from drivers.scanner.events import ConnectionState, ScanEvent, ScannerStatus
from drivers.scanner.fake import FakeScanner
from drivers.scanner.listeners import Listeners

PAYMENT_CODE = "134567890123456789"


def test_a_scan_event_repr_masks_a_payment_code() -> None:
    event = ScanEvent(PAYMENT_CODE, "Code 128", "]C0", datetime.now(UTC), time.monotonic_ns())
    assert PAYMENT_CODE not in repr(event)
    assert "1345" in repr(event)


def test_a_failing_listener_is_logged_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    listeners: Listeners[int] = Listeners("scan")
    heard: list[int] = []

    def broken(_: int) -> None:
        raise RuntimeError("bug in a listener")

    listeners.add(broken)
    listeners.add(heard.append)
    with caplog.at_level(logging.ERROR):
        listeners.emit(1)
    assert heard == [1]
    assert "scanner listener failed" in caplog.text


def test_removing_a_listener_stops_its_calls() -> None:
    listeners: Listeners[int] = Listeners("scan")
    heard: list[int] = []
    remove = listeners.add(heard.append)
    remove()
    listeners.emit(1)
    assert heard == []


def test_the_fake_types_its_scans_in_order_from_its_own_thread() -> None:
    scans: list[ScanEvent] = []
    statuses: list[ScannerStatus] = []
    threads: set[str] = set()

    def heard(event: ScanEvent) -> None:
        threads.add(threading.current_thread().name)
        scans.append(event)

    fake = FakeScanner(["]E05901234123457", "6910263003875"], delay_s=0.01)
    fake.on_scan(heard)
    fake.on_status(statuses.append)
    with fake:
        assert fake.wait_done(5)
        fake.type("]E496385074")
        deadline = time.monotonic() + 5
        while len(scans) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert [(s.code, s.aim) for s in scans] == [
        ("5901234123457", "]E0"),
        ("6910263003875", None),
        ("96385074", "]E4"),
    ]
    assert threads == {"scanner-fake"}
    assert [s.state for s in statuses] == [ConnectionState.CONNECTED, ConnectionState.DISCONNECTED]
