"""ScaleReader over a real pseudo-terminal: a weight that settles, out of range, noise,
checksums, frames cut into pieces, unplug and replug."""

from __future__ import annotations

import random
import time
from pathlib import Path

from drivers.scale import ConnectionState, PtyScaleSimulator, Weight, WeightState
from drivers.scale.settling import settling
from drivers.scale.simulator import play_weighings, toledo_frame, weight_frame
from tests.support.scale_events import MakeScaleReader, wait_for


def test_a_weight_that_settles_is_heard_moving_then_stable(
    simulator: PtyScaleSimulator, make_scale_reader: MakeScaleReader
) -> None:
    reader, heard = make_scale_reader()
    heard.wait_connected()
    settle = settling(385, unstable=4, stable=5, rng=random.Random(1))
    for weight in settle:
        assert simulator.send(weight)
    heard.wait_stable(385)
    time.sleep(0.1)
    # Each change once: four moving weights, then the stable one (its repeats are no news).
    assert heard.weights == settle[:5]
    assert [w.stable for w in heard.weights] == [False] * 4 + [True]
    latest = reader.latest(max_age_s=2)
    assert latest is not None and latest.weight == Weight.of(385)
    assert heard.problems == []


def test_overload_and_underload_are_heard_without_grams_and_the_scale_recovers(
    simulator: PtyScaleSimulator, make_scale_reader: MakeScaleReader
) -> None:
    _, heard = make_scale_reader()
    heard.wait_connected()
    for weight in (
        Weight.of(14_950),
        Weight.out_of_range(over=True),
        Weight.of(0),
        Weight.of(-35),
        Weight.out_of_range(over=False),
        Weight.of(0),
    ):
        simulator.send(weight)
    assert wait_for(lambda: len(heard.readings) == 6)
    assert [(w.state, w.grams) for w in heard.weights] == [
        (WeightState.POSITIVE, 14_950),
        (WeightState.OVERLOAD, None),
        (WeightState.ZERO, 0),
        (WeightState.NEGATIVE, -35),
        (WeightState.UNDERLOAD, None),
        (WeightState.ZERO, 0),
    ]


def test_a_net_weight_in_grams_carries_its_tare(
    simulator: PtyScaleSimulator, make_scale_reader: MakeScaleReader
) -> None:
    _, heard = make_scale_reader()
    heard.wait_connected()
    simulator.send(Weight.of(500, net=True, tare_grams=120), unit="g")
    assert heard.wait_stable(500) == Weight.of(500, net=True, tare_grams=120)


def test_garbage_between_frames_is_dropped_reported_and_never_weighed(
    simulator: PtyScaleSimulator, make_scale_reader: MakeScaleReader
) -> None:
    _, heard = make_scale_reader()
    heard.wait_connected()
    simulator.write(b"\x00\xff\x1b[2J" + toledo_frame(100))
    simulator.write(b"\x02 12\r" + toledo_frame(200))  # a false start
    simulator.write(toledo_frame(300, unit="lb"))  # a good frame in pounds
    simulator.write(toledo_frame(400))
    heard.wait_stable(400)
    assert [w.grams for w in heard.weights] == [100, 200, 400]
    assert heard.kinds() == ["garbage", "malformed_frame", "unit_not_metric"]
    assert "00 ff 1b 5b" in heard.problems[0].detail
    assert all(p.port == str(simulator.link) for p in heard.problems)


def test_a_frame_written_in_pieces_slower_than_the_read_timeout_is_one_frame(
    simulator: PtyScaleSimulator, make_scale_reader: MakeScaleReader
) -> None:
    _, heard = make_scale_reader(read_timeout_s=0.05)
    heard.wait_connected()
    frame = toledo_frame(1234, net=True, tare_digits=50)
    for start in range(0, len(frame), 4):
        simulator.write(frame[start : start + 4])
        time.sleep(0.15)
    assert heard.wait_stable(1234).tare_grams == 50
    assert len(heard.readings) == 1 and heard.problems == []


def test_a_7e1_scale_read_by_an_8n1_port_weighs_the_same(
    simulator: PtyScaleSimulator, make_scale_reader: MakeScaleReader
) -> None:
    _, heard = make_scale_reader()
    heard.wait_connected()
    frame = toledo_frame(2040)
    simulator.write(bytes(b | 0x80 if bin(b).count("1") % 2 else b for b in frame))
    heard.wait_stable(2040)
    assert heard.problems == []


def test_with_the_checksum_protocol_a_damaged_frame_is_dropped(
    link: Path, make_scale_reader: MakeScaleReader
) -> None:
    with PtyScaleSimulator(link, with_checksum=True) as simulator:
        _, heard = make_scale_reader(protocol="toledo-checksum")
        heard.wait_connected()
        damaged = bytearray(weight_frame(Weight.of(1234), with_checksum=True))
        damaged[9] = ord("9")  # 1234 g read as 1239 g
        simulator.write(bytes(damaged))
        simulator.send(Weight.of(1250))
        heard.wait_stable(1250)
        assert [w.grams for w in heard.weights] == [1250]
        assert heard.kinds() == ["checksum"]


def test_unplug_forgets_the_weight_and_replug_at_the_same_link_reconnects(
    simulator: PtyScaleSimulator, make_scale_reader: MakeScaleReader, link: Path
) -> None:
    reader, heard = make_scale_reader()
    heard.wait_connected()
    simulator.send(Weight.of(385))
    heard.wait_stable(385)

    simulator.write(toledo_frame(999)[:8])  # cut by the unplug: never a weight
    time.sleep(0.1)
    simulator.unplug()
    assert wait_for(lambda: reader.status.state is ConnectionState.RECONNECTING)
    assert ConnectionState.DISCONNECTED in heard.states()
    assert reader.latest() is None
    assert not link.exists()

    simulator.plug()
    heard.wait_connected(times=2)
    simulator.send(Weight.of(385))
    assert wait_for(lambda: len(heard.readings) == 2)
    assert heard.weights == [Weight.of(385), Weight.of(385)]
    assert heard.kinds() == ["cut_frame"]
    disconnected = next(s for s in heard.statuses if s.state is ConnectionState.DISCONNECTED)
    assert disconnected.error and disconnected.port == str(link)


def test_the_reader_waits_for_a_scale_that_is_not_there_yet(
    make_scale_reader: MakeScaleReader, link: Path
) -> None:
    reader, heard = make_scale_reader()
    assert wait_for(lambda: reader.status.state is ConnectionState.RECONNECTING)
    assert "No such file" in (reader.status.error or "")
    with PtyScaleSimulator(link) as simulator:
        heard.wait_connected()
        simulator.send(Weight.of(42))
        heard.wait_stable(42)


def test_stop_is_prompt_and_closes_the_port(
    simulator: PtyScaleSimulator, make_scale_reader: MakeScaleReader
) -> None:
    reader, heard = make_scale_reader(read_timeout_s=2.0)
    heard.wait_connected()
    started = time.monotonic()
    assert reader.stop()
    # cancel_read wakes the 2 s read at once; 1.5 s leaves room for a loaded machine.
    assert time.monotonic() - started < 1.5
    assert heard.statuses[-1].state is ConnectionState.DISCONNECTED


def test_a_simulated_session_through_noise_and_an_unplug_weighs_every_item(
    simulator: PtyScaleSimulator, make_scale_reader: MakeScaleReader
) -> None:
    # Back within 0.05 s of a replug, so that it hears the item the replug came before.
    _, heard = make_scale_reader(reconnect_max_s=0.05)
    heard.wait_connected()
    report = play_weighings(
        simulator,
        [385, "overload", 1250, -20],
        frame_interval_s=0.01,
        hold_s=0.4,
        unstable=3,
        garbage_rate=0.3,
        unplug_every=2,
        unplug_for_s=0.3,
        rng=random.Random(7),
    )
    assert (report.items, report.overloads, report.unplugs) == (4, 1, 2)
    assert report.garbage > 0
    assert wait_for(lambda: Weight.of(-20) in heard.weights)
    stable = [w for w in heard.weights if w.stable and w.state is not WeightState.ZERO]
    assert stable == [
        Weight.of(385),
        Weight.out_of_range(over=True),
        Weight.of(1250),
        Weight.of(-20),
    ]
    assert "garbage" in heard.kinds()
    assert heard.states().count(ConnectionState.CONNECTED) >= 2
