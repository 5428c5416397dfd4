"""ScannerReader over a real pseudo-terminal: what arrives, what is dropped, unplug/replug."""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path

import pytest

from drivers.scanner import (
    TRIGGER_START,
    TRIGGER_STOP,
    ConnectionState,
    PtyScannerSimulator,
    ScanEvent,
    ScannerReader,
    ScannerSettings,
    open_serial_port,
)
from drivers.scanner.reader import SerialPort
from drivers.scanner.simulator import Terminator, frame_scan
from tests.support.scanner_events import Heard, MakeReader, wait_for


def test_scans_ending_in_cr_lf_and_crlf_arrive_in_order(
    simulator: PtyScannerSimulator, make_reader: MakeReader
) -> None:
    _, heard = make_reader()
    heard.wait_connected()
    simulator.write(b"6910263003875\r6979104402918\n6923036203839\r\n96385074\r\n")
    assert heard.wait_codes(4) == ["6910263003875", "6979104402918", "6923036203839", "96385074"]
    assert heard.problems == []


def test_aim_prefixes_are_split_and_named(
    simulator: PtyScannerSimulator, make_reader: MakeReader
) -> None:
    _, heard = make_reader()
    heard.wait_connected()
    simulator.send_scan("5901234123457", aim="]E0")
    simulator.send_scan("01095012345678903\x1d10ABC", aim="]C1")
    simulator.send_scan("https://example.com/p?x=1", aim="]Q1")
    heard.wait_codes(3)
    assert [(s.code, s.symbology, s.aim) for s in heard.scans] == [
        ("5901234123457", "EAN-13 / UPC-A", "]E0"),
        ("01095012345678903\x1d10ABC", "GS1-128", "]C1"),
        ("https://example.com/p?x=1", "QR Code", "]Q1"),
    ]


def test_a_scan_written_in_pieces_with_pauses_longer_than_the_read_timeout_is_one_scan(
    simulator: PtyScannerSimulator, make_reader: MakeReader
) -> None:
    _, heard = make_reader(read_timeout_s=0.05)
    heard.wait_connected()
    for piece in (b"]E0", b"69102", b"6300", b"3875\r", b"\n"):
        simulator.write(piece)
        time.sleep(0.2)
    assert heard.wait_codes(1) == ["6910263003875"]
    time.sleep(0.2)
    assert len(heard.scans) == 1


def test_nul_invalid_utf8_and_an_ansi_escape_are_one_problem_and_the_next_ean_arrives(
    simulator: PtyScannerSimulator, make_reader: MakeReader, caplog: pytest.LogCaptureFixture
) -> None:
    _, heard = make_reader()
    heard.wait_connected()
    caplog.set_level(logging.WARNING, logger="drivers.scanner")
    # NUL, two bytes that are not UTF-8, ESC [ 2 J ("clear screen"), CRLF: once "[2J".
    assert simulator.write(bytes.fromhex("00 ff fe 1b 5b 32 4a 0d 0a")) == 9
    assert simulator.send_scan("5901234123457", "crlf")
    # The bad line came first on the same thread: by the time the EAN is heard, all that
    # the bad line could have caused has been emitted.
    assert heard.wait_codes(1) == ["5901234123457"]
    assert len(heard.scans) == 1
    assert [(p.kind, p.port) for p in heard.problems] == [("invalid_utf8", str(simulator.link))]
    assert "00 ff fe 1b" in heard.problems[0].detail
    (record,) = [r for r in caplog.records if r.getMessage() == "scanner stream problem"]
    assert record.__dict__["preview"] == "00 ff fe 1b"
    assert record.__dict__["line_bytes"] == 7
    assert "[2J" not in repr(record.__dict__) and "5b 32 4a" not in repr(record.__dict__)


def test_noisy_lines_are_dropped_whole_never_cleaned_and_clean_scans_survive(
    simulator: PtyScannerSimulator, make_reader: MakeReader
) -> None:
    _, heard = make_reader()
    heard.wait_connected()
    simulator.write(b"\x00\x16T\x07\r69102\xff6300\x1b3875\r\xfe\xfe\r6979104402918\r")
    # A code with noise inside: cleaned, it would be a scan of the wrong thing or none.
    simulator.write(frame_scan("6923036203839", garbage=b"\x1b[K", rng=random.Random(3)))
    simulator.send_scan("01095012345678903\x1d10ABC", aim="]C1")
    assert heard.wait_codes(2) == ["6979104402918", "01095012345678903\x1d10ABC"]
    assert [p.kind for p in heard.problems] == [
        "control_characters",
        "invalid_utf8",
        "invalid_utf8",
        "control_characters",
    ]


def test_an_overlong_line_is_dropped_and_the_next_scan_arrives(
    simulator: PtyScannerSimulator, make_reader: MakeReader
) -> None:
    _, heard = make_reader()
    heard.wait_connected()
    simulator.write(b"9" * 10_000)
    simulator.write(b"\r6910263003875\r")
    assert heard.wait_codes(1) == ["6910263003875"]
    assert [p.kind for p in heard.problems] == ["overlong_line"]


def test_a_code_reread_within_the_window_is_one_scan_and_later_it_is_two(
    simulator: PtyScannerSimulator, make_reader: MakeReader
) -> None:
    _, heard = make_reader(duplicate_window_ms=500)
    heard.wait_connected()
    simulator.write(b"6910263003875\r6910263003875\r6910263003875\r")
    heard.wait_codes(1)
    time.sleep(0.8)
    simulator.send_scan("6910263003875")
    assert heard.wait_codes(2) == ["6910263003875"] * 2
    time.sleep(0.1)
    assert len(heard.scans) == 2


def test_unplug_reports_disconnected_and_replug_at_the_same_link_reconnects(
    simulator: PtyScannerSimulator, make_reader: MakeReader, link: Path
) -> None:
    reader, heard = make_reader()
    heard.wait_connected()
    simulator.send_scan("6910263003875")
    heard.wait_codes(1)

    simulator.write(b"12345")  # cut by the unplug: must not reach anyone
    time.sleep(0.1)
    simulator.unplug()
    assert wait_for(lambda: ConnectionState.DISCONNECTED in heard.states())
    assert wait_for(lambda: reader.status.state == ConnectionState.RECONNECTING)
    assert not link.exists()

    simulator.plug()
    heard.wait_connected(times=2)
    simulator.send_scan("6979104402918")
    assert heard.wait_codes(2) == ["6910263003875", "6979104402918"]
    states = heard.states()
    assert states[0] == ConnectionState.CONNECTED
    assert states.index(ConnectionState.DISCONNECTED) < len(states) - 1
    assert states[-1] == ConnectionState.CONNECTED
    assert "cut_line" in [p.kind for p in heard.problems]
    disconnected = next(s for s in heard.statuses if s.state == ConnectionState.DISCONNECTED)
    assert disconnected.error and disconnected.port == str(link)


def test_the_reader_waits_for_a_device_that_is_not_there_yet(
    make_reader: MakeReader, link: Path
) -> None:
    reader, heard = make_reader()
    assert wait_for(lambda: reader.status.state == ConnectionState.RECONNECTING)
    assert "No such file" in (reader.status.error or "")
    with PtyScannerSimulator(link) as simulator:
        heard.wait_connected()
        simulator.send_scan("96385074")
        assert heard.wait_codes(1) == ["96385074"]


def test_host_trigger_arms_on_connect_rearms_after_a_scan_and_disarms_on_stop(
    simulator: PtyScannerSimulator, make_reader: MakeReader
) -> None:
    reader, heard = make_reader(trigger="host")
    heard.wait_connected()
    assert _read_exactly(simulator, len(TRIGGER_START)) == TRIGGER_START
    simulator.send_scan("6910263003875")
    heard.wait_codes(1)
    assert _read_exactly(simulator, len(TRIGGER_START)) == TRIGGER_START
    reader.stop()
    assert _read_exactly(simulator, len(TRIGGER_STOP)) == TRIGGER_STOP


def test_host_trigger_rearms_once_after_a_garbled_line_not_for_ever(
    simulator: PtyScannerSimulator, make_reader: MakeReader
) -> None:
    reader, heard = make_reader(trigger="host")
    heard.wait_connected()
    assert _read_exactly(simulator, len(TRIGGER_START)) == TRIGGER_START
    simulator.write(b"\x1b[2J\r\n")  # a misread: dropped, the scanner re-armed
    assert _read_exactly(simulator, len(TRIGGER_START)) == TRIGGER_START
    simulator.write(b"\x1b[2J\r\n")  # again (an echoing scanner): not re-armed again
    simulator.send_scan("6910263003875")
    assert heard.wait_codes(1) == ["6910263003875"]
    # Only the good scan's re-arm follows: the second garbled line sent nothing.
    assert _read_exactly(simulator, len(TRIGGER_START)) == TRIGGER_START
    reader.stop()
    assert _read_exactly(simulator, len(TRIGGER_STOP)) == TRIGGER_STOP


def test_a_listener_that_raises_does_not_stop_the_reader(
    simulator: PtyScannerSimulator, make_reader: MakeReader
) -> None:
    reader, heard = make_reader()

    def broken(event: ScanEvent) -> None:
        raise RuntimeError("bug in a listener")

    reader.on_scan(broken)
    heard.wait_connected()
    simulator.send_scan("6910263003875")
    simulator.send_scan("6979104402918")
    assert heard.wait_codes(2) == ["6910263003875", "6979104402918"]


def test_stop_is_prompt_and_closes_the_port(
    simulator: PtyScannerSimulator, make_reader: MakeReader
) -> None:
    reader, heard = make_reader(read_timeout_s=2.0)
    heard.wait_connected()
    started = time.monotonic()
    reader.stop()
    # cancel_read wakes the 2 s read at once; 1.5 s leaves room for a loaded machine.
    assert time.monotonic() - started < 1.5
    assert heard.statuses[-1].state == ConnectionState.DISCONNECTED


def test_a_pyserial_url_works_as_a_port() -> None:
    ports: list[SerialPort] = []

    def open_and_keep(settings: ScannerSettings) -> SerialPort:
        ports.append(open_serial_port(settings))
        return ports[-1]

    reader = ScannerReader(ScannerSettings("loop://"), open_port=open_and_keep)
    heard = Heard(reader)
    with reader:
        heard.wait_connected()
        # loop:// reads back what is written: a host-side write stands in for a scan.
        ports[0].write(b"6910263003875\r")
        assert heard.wait_codes(1) == ["6910263003875"]


@pytest.mark.parametrize("terminator", ["cr", "lf", "crlf"])
def test_every_terminator_the_simulator_offers_frames_one_scan(
    simulator: PtyScannerSimulator, make_reader: MakeReader, terminator: Terminator
) -> None:
    _, heard = make_reader()
    heard.wait_connected()
    simulator.send_scan("6910263003875", terminator)
    simulator.send_scan("96385074", terminator)
    assert heard.wait_codes(2) == ["6910263003875", "96385074"]


def _read_exactly(simulator: PtyScannerSimulator, count: int) -> bytes:
    data = b""
    deadline = time.monotonic() + 5
    while len(data) < count and time.monotonic() < deadline:
        data += simulator.read_from_host(0.2)
    return data
