"""``PtyScannerSimulator``: a serial scanner made of a pseudo-terminal, for tests and demos.

The simulator owns the master side of a pty and publishes the slave side at a chosen
path (a symlink, as udev does for ``/dev/scanner``), so ``ScannerReader`` opens it exactly
as it opens real hardware. It writes scans with a chosen terminator and an optional AIM
prefix, or raw bytes of any kind (``write``), can add the noise real lines pick up, and
can be unplugged (the master is closed and the link removed: the reader sees EIO, as when
a USB cable is pulled) and plugged again (a new pty, the link re-pointed at the same path).

Linux/macOS only (``os.openpty``). ``type_scans`` is the loop behind
``facepay-terminal sim scanner``. Scans typed while no reader has the port open are lost,
as with hardware: pyserial flushes the input buffer when it opens a port.
"""

from __future__ import annotations

import contextlib
import os
import random
import select
import threading
import time
import tty
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Self

Terminator = Literal["cr", "lf", "crlf"]
TERMINATORS: dict[str, bytes] = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n"}

# Noise that makes framing drop the line it is in: C0 controls (not CR/LF, not GS), DEL
# and bytes that can never be part of UTF-8 (lone continuation bytes, 0xF8-0xFF).
_NOISE_BYTES = bytes([0x00, 0x07, 0x1B, 0x16, 0x08, 0x7F, *range(0x80, 0xC0), *range(0xF8, 0x100)])
OVERLONG_BYTES = 5000


class SimulatorError(Exception):
    """The simulator cannot publish its device (e.g. a real file sits at the link path)."""


def guess_aim(code: str) -> str:
    """The AIM identifier a scanner would likely send for ``code`` (a demo's guess)."""
    digits = code.isascii() and code.isdigit()
    if "\x1d" in code or code.startswith("("):
        return "]C1"
    if digits and len(code) == 13:
        return "]E0"
    if digits and len(code) == 8:
        return "]E4"
    if not code.isascii():
        return "]Q1"
    return "]C0"


def noise(rng: random.Random, count: int = 4) -> bytes:
    return bytes(rng.choice(_NOISE_BYTES) for _ in range(count))


def frame_scan(
    code: str,
    terminator: Terminator = "cr",
    *,
    aim: str | None = None,
    garbage: bytes = b"",
    rng: random.Random | None = None,
) -> bytes:
    """The bytes a scanner sends for ``code``; ``garbage`` is put at a random place inside
    (the reader then drops the whole line: a garbled scan is never cleaned and kept)."""
    body = ((aim or "") + code).encode("utf-8")
    if garbage:
        at = (rng or random.Random()).randint(0, len(body))
        body = body[:at] + garbage + body[at:]
    return body + TERMINATORS[terminator]


class PtyScannerSimulator:
    def __init__(self, link: Path | str) -> None:
        self.link = Path(link)
        self._master: int | None = None
        self._slave: int | None = None
        self.slave_name: str | None = None
        self._lock = threading.Lock()

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def plug(self) -> str:
        """Create a pty and point the link at it; returns the slave device name."""
        with self._lock:
            if self._master is not None:
                return self.slave_name or ""
            if self.link.exists() and not self.link.is_symlink():
                raise SimulatorError(f"{self.link} exists and is not a symlink; not replacing it")
            master, slave = os.openpty()
            # Raw: no echo back to us, no CR -> LF translation before pyserial sets its modes.
            tty.setraw(slave)
            os.set_blocking(master, False)
            name = os.ttyname(slave)
            # Atomic replace, so a stale link from a crashed run is re-pointed, never half-made.
            temporary = self.link.with_name(f".{self.link.name}.{os.getpid()}.tmp")
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            temporary.symlink_to(name)
            os.replace(temporary, self.link)
            self._master, self._slave, self.slave_name = master, slave, name
            return name

    def unplug(self) -> None:
        """Remove the link and close the pty: an open reader gets EIO on its next read."""
        with self._lock:
            if self._master is None:
                return
            with contextlib.suppress(OSError):
                if self.link.is_symlink() and os.readlink(self.link) == self.slave_name:
                    self.link.unlink()
            for fd in (self._master, self._slave):
                if fd is not None:
                    os.close(fd)
            self._master = self._slave = None
            self.slave_name = None

    def replug(self) -> str:
        self.unplug()
        return self.plug()

    def close(self) -> None:
        self.unplug()

    def __enter__(self) -> Self:
        self.plug()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def write(self, data: bytes, timeout: float = 2.0) -> int:
        """Send raw bytes; returns how many went out before ``timeout`` (a full buffer with
        nobody reading, like a scanner with no host, drops the rest) or the unplug."""
        deadline = time.monotonic() + timeout
        sent = 0
        while sent < len(data):
            master = self._master
            if master is None:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                _, writable, _ = select.select([], [master], [], remaining)
                if writable:
                    sent += os.write(master, data[sent:])
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:  # unplugged by another thread meanwhile
                break
        return sent

    def send_scan(
        self, code: str, terminator: Terminator = "cr", *, aim: str | None = None
    ) -> bool:
        data = frame_scan(code, terminator, aim=aim)
        return self.write(data) == len(data)

    def read_from_host(self, timeout: float = 1.0) -> bytes:
        """What the host wrote to the scanner (trigger commands), waiting up to ``timeout``."""
        master = self._master
        if master is None:
            return b""
        readable, _, _ = select.select([master], [], [], timeout)
        if not readable:
            return b""
        try:
            return os.read(master, 4096)
        except (BlockingIOError, OSError):
            return b""


@dataclass(slots=True)
class TypingReport:
    sent: int = 0
    # Scans that had a line of noise sent just before them.
    garbage: int = 0
    overlong: int = 0
    unplugs: int = 0


def type_scans(
    simulator: PtyScannerSimulator,
    codes: Iterable[str],
    *,
    interval_s: float = 0.5,
    terminator: Terminator = "cr",
    aim: bool = False,
    garbage_rate: float = 0.0,
    unplug_every: int = 0,
    unplug_for_s: float = 1.0,
    rng: random.Random | None = None,
    stop: threading.Event | None = None,
) -> TypingReport:
    """Type each code in turn, ``interval_s`` apart, with the chosen misbehaviour.

    ``garbage_rate`` is the chance per scan of a line of noise just before it; a tenth of
    those also get an over-long unterminated line before that. The noise is a line of its
    own because the reader drops any line with noise in it, scan included, and a demo
    should show every code arriving through the noise. After every ``unplug_every`` scans
    the device is unplugged for ``unplug_for_s`` and plugged again.
    """
    rng = rng or random.Random()
    stop = stop or threading.Event()
    report = TypingReport()
    simulator.plug()
    for code in codes:
        if stop.wait(interval_s):
            break
        if garbage_rate and rng.random() < garbage_rate:
            report.garbage += 1
            if rng.random() < 0.1:
                # Its own line: the reader drops it and resyncs at its terminator, and
                # the scan after it must still arrive whole.
                simulator.write(b"X" * OVERLONG_BYTES + TERMINATORS[terminator])
                report.overlong += 1
            simulator.write(noise(rng, rng.randint(1, 6)) + TERMINATORS[terminator])
        data = frame_scan(code, terminator, aim=guess_aim(code) if aim else None)
        simulator.write(data)
        report.sent += 1
        if unplug_every and report.sent % unplug_every == 0:
            # A cable is pulled after a scan went out, not during it: give the reader a
            # moment to take the bytes before the pty (and what it holds) is gone.
            if stop.wait(min(max(interval_s, 0.2), 1.0)):
                break
            simulator.unplug()
            report.unplugs += 1
            if stop.wait(unplug_for_s):
                break
            simulator.plug()
    return report
