"""The check every serial driver test ends with: no reader thread outlives the test and
every fd it opened (ptys, ports, pipes) is closed again. One place, so the scanner's and
the scale's tests hold their drivers to the same rule."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.scanner_events import wait_for


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else set()


@contextmanager
def no_thread_or_fd_leaks(thread_prefix: str) -> Iterator[None]:
    fds_before = _open_fds()
    yield
    assert wait_for(
        lambda: not [t for t in threading.enumerate() if t.name.startswith(thread_prefix)]
    ), [t.name for t in threading.enumerate()]
    leaked = {fd for fd in _open_fds() - fds_before if os.path.exists(f"/proc/self/fd/{fd}")}
    assert not leaked, {fd: os.readlink(f"/proc/self/fd/{fd}") for fd in leaked}
