"""``sim scale`` as a real process over a real pseudo-terminal, heard by a real reader."""

from __future__ import annotations

import contextlib
import io
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

from drivers.scale import Weight
from terminal.__main__ import build_parser
from tests.support.scale_events import WAIT_S, MakeScaleReader, wait_for


def _wired() -> bool:
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            build_parser().parse_args(["sim", "scale", "--link", "x"])
    except SystemExit:
        return False
    return True


pytestmark = pytest.mark.skipif(not _wired(), reason="sim scale is not wired into sim_cmd.py")
# A process start on a loaded machine (imports included) can take a few seconds.
START_S = 20.0


class StderrLines:
    """A child's stderr, read on a thread so a test can wait for a line with a timeout."""

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
            try:
                line = self._queue.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"no line with {text!r}; saw {self.seen}") from None
            self.seen.append(line)
            if text in line:
                return line


@pytest.fixture
def child() -> Iterator[list[subprocess.Popen[str]]]:
    children: list[subprocess.Popen[str]] = []
    yield children
    for process in children:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_sim_scale_weighs_items_through_noise_into_a_reader(
    link: Path, make_scale_reader: MakeScaleReader, child: list[subprocess.Popen[str]]
) -> None:
    _, heard = make_scale_reader(protocol="toledo-checksum")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "terminal", "sim", "scale", "--link", str(link),
            "--interval", "0.02", "--hold", "0.4", "--unstable", "3", "--checksum",
            "--garbage", "0.3", "--seed", "7", "--start-delay", "1.0",
            "385", "overload", "1250",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    child.append(process)
    assert process.stderr is not None
    err = StderrLines(process.stderr)
    err.expect("sim: scale at", START_S)
    heard.wait_connected()
    err.expect("weighed 3 item(s)", START_S)
    assert wait_for(lambda: Weight.of(1250) in heard.weights)
    assert [w for w in heard.weights if w.stable and w.grams != 0] == [
        Weight.of(385),
        Weight.out_of_range(over=True),
        Weight.of(1250),
    ]
    assert "garbage" in heard.kinds()

    process.send_signal(signal.SIGTERM)
    assert process.wait(WAIT_S) == 0
    assert not link.exists() and not link.is_symlink()


def test_sim_scale_refuses_an_item_that_is_not_a_weight(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "terminal", "sim", "scale", "--link", str(tmp_path / "s"), "1kg"],
        capture_output=True,
        text=True,
        timeout=START_S,
        check=False,
    )
    assert result.returncode != 0
    assert "'1kg' is not a weight in grams" in result.stderr
    assert not (tmp_path / "s").exists()


def test_global_options_reach_sim_scale_before_and_after_its_name() -> None:
    for argv in (
        ["--db", "x.db", "-v", "sim", "scale", "--link", "s", "385"],
        ["sim", "scale", "--link", "s", "385", "--db", "x.db", "-v"],
    ):
        args = build_parser().parse_args(argv)
        assert (args.db, args.verbose, args.items) == ("x.db", True, ["385"])
