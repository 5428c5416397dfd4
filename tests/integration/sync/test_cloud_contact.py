"""How the cloud client tells "never sent" from "sent, no answer", and reports contact:
the till decides on this whether a payment failed or is unknown, and when to show
offline. Real sockets on loopback, no server needed."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator

import pytest

from terminal.sync.client import CloudClient, Contact, NotSentCloudError, TransientCloudError


@contextlib.contextmanager
def listening(backlog_full: bool) -> Iterator[int]:
    """A port that accepts nothing: with ``backlog_full`` the kernel drops new SYNs, as a
    network that lost the cloud does; otherwise connections are taken but never answered."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers: list[socket.socket] = []
    if backlog_full:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.2)
    try:
        yield port
    finally:
        for sock in [*fillers, server]:
            sock.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def call(url: str, timeout_s: float) -> tuple[BaseException, float, list[Contact]]:
    contacts: list[Contact] = []
    with CloudClient(url, "token", timeout_s=timeout_s) as client:
        client.on_contact(contacts.append)
        started = time.monotonic()
        with pytest.raises(TransientCloudError) as failed:
            client.health()
        return failed.value, time.monotonic() - started, contacts


def test_a_refused_connection_is_not_sent_at_once() -> None:
    error, elapsed, contacts = call(f"http://127.0.0.1:{free_port()}", timeout_s=10)
    assert isinstance(error, NotSentCloudError)
    assert elapsed < 1.0
    assert [c.reached for c in contacts] == [False]


def test_a_dropped_connection_is_not_sent_within_two_seconds() -> None:
    with listening(backlog_full=True) as port:
        error, elapsed, contacts = call(f"http://127.0.0.1:{port}", timeout_s=10)
    assert isinstance(error, NotSentCloudError)
    assert 1.5 < elapsed < 4.0, elapsed
    # The call's end says not reached; an "answer overdue" report may come first (both
    # show offline: the connect timeout and the overdue timer are both 2 s).
    assert [c.reached for c in contacts if not c.overdue] == [False]
    assert all(not c.reached for c in contacts)


def test_a_taken_connection_without_an_answer_may_have_been_sent() -> None:
    with listening(backlog_full=False) as port:
        error, elapsed, contacts = call(f"http://127.0.0.1:{port}", timeout_s=1.0)
    assert not isinstance(error, NotSentCloudError)  # unknown: query, then reverse
    assert elapsed < 3.0
    assert [c.reached for c in contacts] == [False]


def test_a_taken_connection_without_an_answer_is_reported_overdue_at_two_seconds() -> None:
    seen: list[float] = []
    with listening(backlog_full=False) as port:
        client = CloudClient(f"http://127.0.0.1:{port}", "token", timeout_s=4.0)
        started = time.monotonic()
        client.on_contact(lambda c: seen.append(time.monotonic() - started) if c.overdue else None)
        with client, pytest.raises(TransientCloudError):
            client.health()
    assert len(seen) == 1 and 1.9 <= seen[0] < 2.6, seen
