"""Printers made of a pseudo-terminal or a local TCP port, for tests and demos:
``PtyPrinterSimulator`` (a serial printer at a symlink, as udev names one) and
``TcpPrinterSimulator`` (a network printer's raw port on 127.0.0.1).

Both keep every byte they receive (``received``) and answer DLE EOT status requests from
their ``condition`` (``status.status_reply``), as a printer does at once even with a job
in its buffer; ``answers`` False makes one that takes bytes and never answers. The real
transports and ``EscPosPrinter`` talk to them exactly as to hardware. Linux/macOS only
(``os.openpty``). What must not live here: anything the product runs.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import tty
from pathlib import Path
from typing import Self

from drivers.printer.commands import DLE, EOT
from drivers.printer.status import NORMAL, Condition, status_reply

_POLL_S = 0.05


class PrinterSimulatorError(Exception):
    """The simulator cannot publish its device (a real file sits at the link path)."""


class SimulatedPrinter:
    """The printer's side of the wire: what arrived, and the answers it owes."""

    def __init__(self, condition: Condition = NORMAL, *, answers: bool = True) -> None:
        self.condition = condition
        self.answers = answers
        self._received = bytearray()
        self._lock = threading.Lock()
        self._after_dle = 0  # 0: none, 1: after DLE, 2: after DLE EOT

    @property
    def received(self) -> bytes:
        with self._lock:
            return bytes(self._received)

    def take(self, data: bytes) -> bytes:
        """Keep ``data``; the answers to the status requests in it."""
        replies = bytearray()
        with self._lock:
            self._received += data
            for byte in data:
                if self._after_dle == 2:
                    self._after_dle = 0
                    if self.answers:
                        replies.append(status_reply(byte, self.condition))
                elif self._after_dle == 1 and byte == EOT:
                    self._after_dle = 2
                else:
                    self._after_dle = 1 if byte == DLE else 0
        return bytes(replies)


class PtyPrinterSimulator(SimulatedPrinter):
    """A serial printer at ``link``; ``close`` removes it (the port then fails to open)."""

    def __init__(
        self, link: Path | str, condition: Condition = NORMAL, *, answers: bool = True
    ) -> None:
        super().__init__(condition, answers=answers)
        self.link = Path(link)
        self._master: int | None = None
        self._slave: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def open(self) -> str:
        if self.link.exists() and not self.link.is_symlink():
            raise PrinterSimulatorError(f"{self.link} exists and is not a symlink")
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no newline translation before pyserial sets its modes
        name = os.ttyname(slave)
        with contextlib.suppress(FileNotFoundError):
            self.link.unlink()
        self.link.symlink_to(name)
        self._master, self._slave = master, slave
        self._thread = threading.Thread(target=self._serve, name="printer-sim-pty", daemon=True)
        self._thread.start()
        return name

    def _serve(self) -> None:
        master = self._master
        assert master is not None
        while not self._stop.is_set():
            readable, _, _ = select.select([master], [], [], _POLL_S)
            if not readable:
                continue
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: nobody has the port open right now
                self._stop.wait(_POLL_S)
                continue
            replies = self.take(data)
            if replies:
                os.write(master, replies)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
        with contextlib.suppress(FileNotFoundError):
            self.link.unlink()
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class TcpPrinterSimulator(SimulatedPrinter):
    """A network printer on ``127.0.0.1:port`` (a free port unless given), one
    connection at a time as printers serve them."""

    def __init__(
        self, condition: Condition = NORMAL, *, answers: bool = True, port: int = 0
    ) -> None:
        super().__init__(condition, answers=answers)
        self._server = socket.create_server(("127.0.0.1", port))
        self._server.settimeout(_POLL_S)
        self.host, self.port = self._server.getsockname()[:2]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="printer-sim-tcp", daemon=True)

    @property
    def device(self) -> str:
        return f"tcp:{self.host}:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(_POLL_S)
                self._talk(conn)

    def _talk(self, conn: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                data = conn.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return
            replies = self.take(data)
            if replies:
                conn.sendall(replies)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread.ident is not None:
            self._thread.join(2.0)
        self._server.close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
