"""A TCP proxy that breaks connections on purpose, for sync tests over real sockets.

Put between the terminal and the reference server; switch its mode at any time:
- ``pass``: forward both ways untouched;
- ``delay``: hold each answer ``delay_s`` before forwarding it (a slow cloud: the client
  times out while the server has already committed);
- ``reset``: forward the request, let the server answer, then reset the client's
  connection instead of delivering the answer (committed, but the terminal never hears:
  the classic duplicate), with probability ``rate`` per answer;
- ``drop``: accept, then reset at once (nothing reaches the server);
- ``blackhole``: accept and read, never answer, never close.
Bounded: it listens on 127.0.0.1 only and stops with ``close()``.
"""

from __future__ import annotations

import contextlib
import random
import select
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

MODES = ("pass", "delay", "reset", "drop", "blackhole")


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0) rather than FIN: what a dying middlebox does."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@dataclass
class FaultCounts:
    connections: int = 0
    answers_forwarded: int = 0
    answers_reset: int = 0
    dropped: int = 0
    blackholed: int = 0
    by_mode: dict[str, int] = field(default_factory=dict)


class FaultProxy:
    def __init__(self, upstream_port: int, *, upstream_host: str = "127.0.0.1", seed: int = 0):
        self.upstream = (upstream_host, upstream_port)
        self.mode = "pass"
        self.rate = 1.0
        self.delay_s = 0.0
        self.counts = FaultCounts()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, mode: str, *, rate: float = 1.0, delay_s: float = 0.0) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        with self._lock:
            self.mode, self.rate, self.delay_s = mode, rate, delay_s

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(5)
        self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.close()
            self._sockets.clear()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------------

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                mode = self.mode
                self.counts.connections += 1
                self.counts.by_mode[mode] = self.counts.by_mode.get(mode, 0) + 1
            self._track(client)
            threading.Thread(target=self._serve, args=(client, mode), daemon=True).start()

    def _serve(self, client: socket.socket, mode: str) -> None:
        if mode == "drop":
            self.counts.dropped += 1
            _reset(client)
            return
        if mode == "blackhole":
            self.counts.blackholed += 1
            client.settimeout(0.2)
            while not self._stopping.is_set():
                try:
                    if not client.recv(65536):
                        break
                except TimeoutError:
                    continue
                except OSError:
                    break
            client.close()
            return
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            _reset(client)  # the server is down: the client sees a failed connection
            return
        self._track(upstream)
        self._relay(client, upstream)

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        """Both directions on one thread: a socket being read by another thread cannot be
        reset (Linux keeps it open until that read returns), so there is no other thread."""
        try:
            while not self._stopping.is_set():
                readable, _, _ = select.select([client, upstream], [], [], 0.2)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        upstream.sendall(data)
                    elif not self._forward_answer(data, client, upstream):
                        return
        except OSError:
            pass
        finally:
            for sock in (client, upstream):
                with contextlib.suppress(OSError):
                    sock.close()

    def _forward_answer(self, data: bytes, client: socket.socket, upstream: socket.socket) -> bool:
        with self._lock:
            mode, rate, delay = self.mode, self.rate, self.delay_s
            unlucky = self._rng.random() < rate
        if mode == "reset" and unlucky:
            self.counts.answers_reset += 1
            _reset(client)
            upstream.close()
            return False
        if mode == "delay" and delay:
            deadline = time.monotonic() + delay
            while time.monotonic() < deadline and not self._stopping.is_set():
                time.sleep(0.05)
        client.sendall(data)
        self.counts.answers_forwarded += 1
        return True
