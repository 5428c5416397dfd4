"""FakeScale: plugs in where the reader does, shows weights from its own thread, and
keeps its newest reading fresh like a talking scale."""

from __future__ import annotations

import threading

from drivers.scale import ConnectionState, FakeScale, Weight, WeightSource
from drivers.scale.settling import settling
from tests.support.scale_events import HeardScale, wait_for


def test_the_fake_shows_its_weights_in_order_from_its_own_thread() -> None:
    threads: set[str] = set()
    scale = FakeScale([Weight.of(0), Weight.of(385, stable=False), Weight.of(385)], interval_s=0)
    source: WeightSource = scale
    heard = HeardScale(source)
    source.on_reading(lambda _: threads.add(threading.current_thread().name))
    with source:
        assert scale.wait_done()
        heard.wait_stable(385)
        latest = source.latest(max_age_s=1)
        assert latest is not None and latest.weight == Weight.of(385)
    assert heard.weights == [Weight.of(0), Weight.of(385, stable=False), Weight.of(385)]
    assert threads == {"scale-fake"}
    assert heard.states() == [ConnectionState.CONNECTED, ConnectionState.DISCONNECTED]
    assert source.latest() is None  # stopped: no weight


def test_place_settles_an_item_moving_then_stable() -> None:
    scale = FakeScale(interval_s=0.01)
    heard = HeardScale(scale)
    with scale:
        scale.place(1250, unstable=3)
        heard.wait_stable(1250)
    assert [w.stable for w in heard.weights] == [False, False, False, True]


def test_the_fake_repeats_its_last_weight_so_latest_stays_fresh() -> None:
    scale = FakeScale([Weight.of(500)], interval_s=0.02)
    with scale:
        assert scale.wait_done()
        first = scale.latest()
        assert first is not None
        assert wait_for(lambda: (scale.latest() or first).monotonic_ns > first.monotonic_ns)


def test_settling_closes_in_without_showing_the_weight_until_stable() -> None:
    weights = settling(385, unstable=5, stable=2)
    moving, still = weights[:5], weights[5:]
    assert all(not w.stable and w.grams != 385 for w in moving)
    assert still == [Weight.of(385)] * 2
    assert settling(385, unstable=5, stable=2) == weights  # replayable
    tared = settling(500, unstable=1, stable=1, tare_grams=120)
    assert tared[-1] == Weight.of(500, net=True, tare_grams=120)
