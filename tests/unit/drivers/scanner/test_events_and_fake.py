"""Events never show a payment code; the fake types from its own thread."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from drivers.scanner.events import ConnectionState, ScanEvent, ScannerStatus
from drivers.scanner.fake import FakeScanner

PAYMENT_CODE = "134567890123456789"


def test_a_scan_event_repr_masks_a_payment_code() -> None:
    event = ScanEvent(PAYMENT_CODE, "Code 128", "]C0", datetime.now(UTC), time.monotonic_ns())
    assert PAYMENT_CODE not in repr(event)
    assert "1345" in repr(event)


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
