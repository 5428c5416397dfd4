"""ScaleReader on a scripted port (the hardware edge): readings only on change, the newest
kept for a query, problems throttled, an unplug forgets the weight and reconnects.

The pty tests (tests/integration/drivers/scale) drive the same reader through a real
pseudo-terminal; these pin down what needs exact control of the bytes and the failures.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from drivers.scale import (
    ConnectionState,
    ScaleReader,
    ScaleReading,
    ScaleSettings,
    Weight,
)
from drivers.scale.reader import SerialPort
from drivers.scale.simulator import toledo_frame, weight_frame
from tests.support.scale_events import HeardScale, wait_for

Script = list[bytes | float | Exception]


class ScriptedPort:
    """Hands out its script one item a read (an exception is raised, a number is a quiet
    line for that many seconds), then times out."""

    def __init__(self, script: Script) -> None:
        self._script = list(script)
        self._pending = b""
        self.closed = threading.Event()

    @property
    def in_waiting(self) -> int:
        return len(self._pending)

    def read(self, size: int = 1, /) -> bytes:
        if not self._pending:
            if not self._script:
                time.sleep(0.01)  # a read timeout
                return b""
            item = self._script.pop(0)
            if isinstance(item, Exception):
                raise item
            if isinstance(item, float):
                time.sleep(item)
                return b""
            self._pending = item
        data, self._pending = self._pending[:size], self._pending[size:]
        return data

    def close(self) -> None:
        self.closed.set()


@pytest.fixture
def readers() -> Iterator[list[ScaleReader]]:
    made: list[ScaleReader] = []
    yield made
    for reader in made:
        assert reader.stop()


def start(readers: list[ScaleReader], *scripts: Script, **settings: object) -> HeardScale:
    ports = iter([ScriptedPort(script) for script in scripts])

    def open_port(_: ScaleSettings) -> SerialPort:
        try:
            return next(ports)
        except StopIteration:
            raise FileNotFoundError("no such device") from None

    options: dict[str, object] = {"reconnect_min_s": 0.02, "reconnect_max_s": 0.05, **settings}
    reader = ScaleReader(
        ScaleSettings("/dev/scale", **options),  # type: ignore[arg-type]
        open_port=open_port,
        clock=lambda: datetime(2026, 5, 1, 9, 30, tzinfo=UTC),
    )
    heard = HeardScale(reader)
    readers.append(reader)
    reader.start()
    return heard


def test_a_reading_is_emitted_when_the_weight_changes_not_on_every_frame(
    readers: list[ScaleReader],
) -> None:
    frames = [Weight.of(380, stable=False), Weight.of(385), Weight.of(385), Weight.of(385)]
    heard = start(readers, [b"".join(weight_frame(w) for w in frames)])
    heard.wait_stable(385)
    time.sleep(0.1)
    assert heard.weights == [Weight.of(380, stable=False), Weight.of(385)]
    reading = heard.readings[-1]
    assert (reading.port, reading.received_at.hour) == ("/dev/scale", 9)


def test_latest_is_the_newest_frame_and_ages_out(readers: list[ScaleReader]) -> None:
    heard = start(readers, [weight_frame(Weight.of(385))])
    reader = readers[0]
    heard.wait_stable(385)
    latest = reader.latest(max_age_s=5)
    assert latest is not None and latest.weight == Weight.of(385)
    time.sleep(0.15)
    assert reader.latest(max_age_s=0.1) is None  # the scale went quiet
    assert reader.latest() == latest


def test_problems_of_one_kind_are_throttled_and_counted(readers: list[ScaleReader]) -> None:
    frame = weight_frame(Weight.of(100))
    burst = b"".join(b"junk" + frame for _ in range(3))
    heard = start(readers, [burst, 0.6, b"junk" + frame], problem_interval_s=0.5)
    assert wait_for(lambda: len(heard.problems) == 2)
    assert heard.kinds() == ["garbage", "garbage"]
    assert "(2 more like it since the last report)" in heard.problems[1].detail


def test_an_unplug_forgets_the_weight_reports_the_cut_frame_and_reconnects(
    readers: list[ScaleReader],
) -> None:
    frame = weight_frame(Weight.of(385))
    heard = start(
        readers,
        [frame, frame[:7], OSError(5, "Input/output error")],
        [frame],
    )
    reader = readers[0]
    heard.wait_connected(times=2)
    assert wait_for(lambda: len(heard.readings) == 2)
    # The same weight after the replug is heard again: it is news after an outage.
    assert heard.weights == [Weight.of(385), Weight.of(385)]
    assert heard.states()[:3] == [
        ConnectionState.CONNECTED,
        ConnectionState.DISCONNECTED,
        ConnectionState.RECONNECTING,
    ]
    assert heard.statuses[1].error == "[Errno 5] Input/output error"
    assert [(p.kind, p.port) for p in heard.problems] == [("cut_frame", "/dev/scale")]
    assert reader.status.state is ConnectionState.CONNECTED


def test_while_unplugged_there_is_no_latest_reading(readers: list[ScaleReader]) -> None:
    heard = start(readers, [weight_frame(Weight.of(385)), OSError("gone")])
    reader = readers[0]
    assert wait_for(lambda: reader.status.state is ConnectionState.RECONNECTING)
    assert heard.weights == [Weight.of(385)]
    assert reader.latest() is None
    assert reader.status.error in ("gone", "no such device")


def test_a_listener_that_raises_does_not_stop_the_reader(readers: list[ScaleReader]) -> None:
    def broken(reading: ScaleReading) -> None:
        raise RuntimeError("bug in a listener")

    frames = b"".join(toledo_frame(n) for n in (100, 200, 300))
    ports = [ScriptedPort([frames])]
    reader = ScaleReader(ScaleSettings("/dev/scale"), open_port=lambda _: ports.pop(0))
    reader.on_reading(broken)
    heard = HeardScale(reader)
    readers.append(reader)
    reader.start()
    heard.wait_stable(300)
    assert [w.grams for w in heard.weights] == [100, 200, 300]


def test_stop_ends_the_thread_and_reports_stopped(readers: list[ScaleReader]) -> None:
    heard = start(readers, [])
    heard.wait_connected()
    assert readers[0].stop(timeout_s=2)
    assert heard.statuses[-1].state is ConnectionState.DISCONNECTED
    assert heard.statuses[-1].error == "stopped"
