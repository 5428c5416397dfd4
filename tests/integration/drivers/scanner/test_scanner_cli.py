"""``scanner listen`` and ``sim scanner`` as real processes over real pseudo-terminals."""

from __future__ import annotations

import contextlib
import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from drivers.scanner import PtyScannerSimulator
from terminal.__main__ import build_parser
from tests.support.scanner_events import WAIT_S, MakeReader


def _wired() -> bool:
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            build_parser().parse_args(["sim", "scanner", "--link", "x"])
            build_parser().parse_args(["scanner", "listen", "--port", "x"])
    except SystemExit:
        return False
    return True


pytestmark = pytest.mark.skipif(
    not _wired(), reason="scanner_cmd / sim_cmd are not wired into terminal/__main__.py yet"
)
# A process start on a loaded machine (imports included) can take a few seconds.
START_S = 20.0


class Lines:
    """Lines of a child's stream, read on a thread so a test can wait with a timeout."""

    def __init__(self, stream: IO[str]) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))

    def expect(self, text: str, timeout: float = WAIT_S) -> str:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self._queue.get(timeout=max(remaining, 0.01))
            except queue.Empty:
                raise AssertionError(f"no line with {text!r}; saw {self.seen}") from None
            self.seen.append(line)
            if text in line:
                return line


@pytest.fixture
def spawn() -> Iterator[list[subprocess.Popen[str]]]:
    children: list[subprocess.Popen[str]] = []
    yield children
    for child in children:
        if child.poll() is None:
            child.kill()
        child.wait(10)
        for stream in (child.stdout, child.stderr, child.stdin):
            if stream is not None:
                stream.close()


def start(spawn: list[subprocess.Popen[str]], *args: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "terminal", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    spawn.append(child)
    return child


def test_listen_prints_json_lines_and_keeps_listening_across_a_replug(
    simulator: PtyScannerSimulator, link: Path, spawn: list[subprocess.Popen[str]]
) -> None:
    child = start(spawn, "scanner", "listen", "--port", str(link), "--json")
    assert child.stdout is not None and child.stderr is not None
    out, err = Lines(child.stdout), Lines(child.stderr)
    err.expect("scanner: connected", START_S)

    simulator.send_scan("5901234123457", aim="]E0")
    simulator.write(b"69102\x0063003875\r\n")  # dropped whole: never "6910263003875"
    simulator.write(b"6979104402918\r\n")
    assert json.loads(out.expect("5901234123457")) == {
        "code": "5901234123457",
        "symbology": "EAN-13 / UPC-A",
        "aim": "]E0",
    }
    assert json.loads(out.expect("6979104402918"))["aim"] is None
    assert not [line for line in out.seen if "6910263" in line]
    problem = err.expect("control character")
    assert "6910263" not in problem and "(first: 00)" in problem

    simulator.unplug()
    err.expect("disconnected")
    simulator.plug()
    err.expect("scanner: connected")
    simulator.send_scan("96385074", aim="]E4")
    assert json.loads(out.expect("96385074"))["symbology"] == "EAN-8"
    simulator.send_scan("134567890123456789", aim="]C0")
    assert json.loads(out.expect("1345"))["code"] == "1345**********6789"

    child.send_signal(signal.SIGTERM)
    assert child.wait(WAIT_S) == 0


def test_sim_scanner_types_a_file_into_a_reader_through_noise(
    tmp_path: Path, link: Path, make_reader: MakeReader, spawn: list[subprocess.Popen[str]]
) -> None:
    codes = ["5901234123457", "96385074", "6910263003875"] + [f"ABC-{i:03d}" for i in range(20)]
    listing = tmp_path / "codes.txt"
    listing.write_text("# demo basket\n" + "\n".join(codes) + "\n\n")

    _, heard = make_reader(duplicate_window_ms=0)
    child = start(
        spawn, "sim", "scanner", "--link", str(link), "--file", str(listing),
        "--interval", "0.02", "--terminator", "crlf", "--aim", "--garbage", "0.5",
        "--seed", "7", "--start-delay", "1.0",
    )  # fmt: skip
    assert child.stderr is not None
    err = Lines(child.stderr)
    err.expect("sim: scanner at", START_S)
    heard.wait_connected()
    err.expect(f"sent {len(codes)} scan(s)", START_S)
    assert heard.wait_codes(len(codes)) == codes
    assert heard.scans[0].aim == "]E0" and heard.scans[1].aim == "]E4"
    assert heard.problems, "the noise was reported"

    child.send_signal(signal.SIGTERM)
    assert child.wait(WAIT_S) == 0
    assert not link.exists() and not link.is_symlink()
