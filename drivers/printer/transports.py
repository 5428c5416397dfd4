"""How bytes reach a printer: ``Transport`` (opens a ``Link`` for one job) for a serial
port, a USB printer-class device file and a network printer's raw port, each with short
timeouts so that no call waits long for a printer that is gone.

A link is opened per job and closed after it: a network printer serves one connection at
a time, a serial port may have been unplugged since the last receipt, and a fresh open
is the reconnect. ``Link.ask`` sends a DLE EOT query and waits for the one-byte answer;
a USB printer-class file has no answer channel this driver reads (``replies`` False).
Every failure is an ``OSError`` (pyserial's errors are too); ``printer.py`` turns them
into a status. What must not live here: ESC/POS, statuses, threads.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import time
from dataclasses import dataclass
from typing import Protocol

import serial

from drivers.printer.device import SerialDevice, TcpDevice, UsbDevice


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds. ``write_s`` is for a whole job on a fast link; a serial job also gets the
    time its bytes take on the wire at the port's baud rate."""

    connect_s: float = 2.0
    write_s: float = 5.0
    reply_s: float = 0.5


DEFAULT_TIMEOUTS = Timeouts()
_CLOSE_WAIT_S = 0.25


class Link(Protocol):
    def write(self, data: bytes) -> None:
        """Send every byte or raise ``OSError`` (``TimeoutError`` when out of time)."""

    def ask(self, query: bytes, timeout_s: float) -> bytes:
        """Send ``query``, return the answer's first byte (b"": none in time)."""

    def close(self) -> None: ...


class Transport(Protocol):
    @property
    def target(self) -> str:
        """The device setting, for logs."""

    @property
    def replies(self) -> bool:
        """Whether ``Link.ask`` can get an answer."""

    def connect(self) -> Link:
        """Open the device for one job; ``OSError`` when it cannot be reached."""


class SerialLink:
    def __init__(self, port: serial.Serial, baud: int, timeouts: Timeouts) -> None:
        self._port = port
        self._baud = baud
        self._timeouts = timeouts

    def write(self, data: bytes) -> None:
        # 10 bits a byte on the wire (start, 8 data, stop).
        self._port.write_timeout = self._timeouts.write_s + len(data) * 10 / self._baud
        written = self._port.write(data)
        if written is not None and written != len(data):
            raise TimeoutError(f"only {written} of {len(data)} bytes went out")
        self._port.flush()

    def ask(self, query: bytes, timeout_s: float) -> bytes:
        self._port.reset_input_buffer()  # an old answer must not pass for this one's
        self.write(query)
        self._port.timeout = timeout_s
        return bytes(self._port.read(1))

    def close(self) -> None:
        self._port.close()


class SerialTransport:
    """A printer on a serial port (``serial:/dev/ttyUSB0:9600``): 8N1, no flow control
    (the printer's buffer holds a receipt; a full buffer shows as a write timeout)."""

    replies = True

    def __init__(self, device: SerialDevice, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        self.device = device
        self._timeouts = timeouts

    @property
    def target(self) -> str:
        return str(self.device)

    def connect(self) -> Link:
        port = serial.serial_for_url(
            self.device.port,
            baudrate=self.device.baud,
            timeout=self._timeouts.reply_s,
            write_timeout=self._timeouts.write_s,
        )
        return SerialLink(port, self.device.baud, self._timeouts)


class TcpLink:
    def __init__(self, sock: socket.socket, timeouts: Timeouts) -> None:
        self._sock = sock
        self._timeouts = timeouts

    def write(self, data: bytes) -> None:
        # Since Python 3.5 the timeout bounds the whole sendall, not each piece.
        self._sock.settimeout(self._timeouts.write_s)
        self._sock.sendall(data)

    def ask(self, query: bytes, timeout_s: float) -> bytes:
        self._discard_input()
        self.write(query)
        self._sock.settimeout(timeout_s)
        try:
            return self._sock.recv(1)
        except TimeoutError:
            return b""

    def _discard_input(self) -> None:
        self._sock.setblocking(False)
        try:
            while self._sock.recv(4096):
                pass
        except BlockingIOError:
            pass
        finally:
            self._sock.settimeout(self._timeouts.write_s)

    def close(self) -> None:
        # A graceful close: send FIN after the job, then read what the printer still sends
        # (automatic status bytes) until it closes too, briefly. Closing with unread bytes
        # makes the kernel send RST, which can drop the end of the job still in flight.
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_WR)
            self._sock.settimeout(_CLOSE_WAIT_S)
            deadline = time.monotonic() + _CLOSE_WAIT_S
            while time.monotonic() < deadline and self._sock.recv(4096):
                pass
        self._sock.close()


class TcpTransport:
    """A network printer's raw port (``tcp:10.0.0.31:9100``, "JetDirect"). Give an
    address: a host name goes through the system resolver, whose wait these timeouts do
    not bound."""

    replies = True

    def __init__(self, device: TcpDevice, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        self.device = device
        self._timeouts = timeouts

    @property
    def target(self) -> str:
        return str(self.device)

    def connect(self) -> Link:
        sock = socket.create_connection(
            (self.device.host, self.device.port), timeout=self._timeouts.connect_s
        )
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return TcpLink(sock, self._timeouts)


class DeviceFileLink:
    """Writes to a file descriptor opened non-blocking, waiting for room with ``select``
    until the deadline: a printer that stops taking data cannot hold the call."""

    def __init__(self, fd: int, timeouts: Timeouts) -> None:
        self._fd = fd
        self._timeouts = timeouts

    def write(self, data: bytes) -> None:
        deadline = time.monotonic() + self._timeouts.write_s
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{len(data) - len(view)} of {len(data)} bytes went out")
            _, ready, _ = select.select([], [self._fd], [], left)
            if not ready:
                continue
            try:
                view = view[os.write(self._fd, view) :]
            except BlockingIOError:
                continue

    def ask(self, query: bytes, timeout_s: float) -> bytes:
        return b""  # no answer channel: Transport.replies is False

    def close(self) -> None:
        os.close(self._fd)


class UsbTransport:
    """A USB printer-class device (``usb:/dev/usb/lp0``), written as a file. Its status
    is not read (``replies`` False): a printer out of paper shows as a write that does
    not finish in time."""

    replies = False

    def __init__(self, device: UsbDevice, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        self.device = device
        self._timeouts = timeouts

    @property
    def target(self) -> str:
        return str(self.device)

    def connect(self) -> Link:
        flags = os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
        return DeviceFileLink(os.open(self.device.path, flags), self._timeouts)
