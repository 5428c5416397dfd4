"""``TaskThread``: one thread that runs submitted work in order, and ``Pending`` results.

The till's SQLite connection lives on one thread (connections stay on the thread that
opened them), and the cashier's intents must apply in the order they were given, so the
store work of a front end goes through a single-thread queue. This is the shape of
Electrum's ``TaskThread`` and Anki's ``CollectionOp``: ``submit(fn)`` returns a
``Pending`` that the caller chains ``.success(cb).failure(cb)`` on.

Results are handed over through ``deliver``: a function that runs a callable on the
caller's thread (the Qt bridge posts it to the GUI thread). Because the hand-over happens
after the submitting code returned to its event loop, callbacks chained right after
``submit`` are always in place when the result arrives. A failure nobody handles goes to
``on_unhandled`` (the status line), so no error is lost. No Qt here.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from functools import partial
from typing import Any, Generic, Self, TypeVar

from terminal.errors import TillError

log = logging.getLogger(__name__)

T = TypeVar("T")
Deliver = Callable[[Callable[[], None]], None]
ErrorSink = Callable[[BaseException], None]
Fulfil = Callable[[object, BaseException | None], None]


def call_now(thunk: Callable[[], None]) -> None:
    """The default ``deliver``: run the callback on the worker thread (scripts, tests)."""
    thunk()


class Pending(Generic[T]):
    """The future result of one submitted task; callbacks run where ``deliver`` puts them."""

    def __init__(self, name: str, on_unhandled: ErrorSink, settled: Callable[[], None]) -> None:
        self.name = name
        self._on_unhandled = on_unhandled
        self._settled = settled
        self._lock = threading.Lock()
        self._settled_event = threading.Event()
        self._done = False
        self._value: T | None = None
        self._error: BaseException | None = None
        self._on_success: list[Callable[[T], None]] = []
        self._on_failure: list[Callable[[BaseException], None]] = []

    @property
    def done(self) -> bool:
        return self._done

    @property
    def error(self) -> BaseException | None:
        return self._error

    def value(self) -> T:
        """The result once done; raises the task's error, or RuntimeError if not done yet."""
        if not self._done:
            raise RuntimeError(f"task {self.name} has not finished")
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    def wait(self, timeout_s: float | None = None) -> T:
        """Block until the task settled, then its value (or its error, raised). For callers
        that are not an event loop (the headless till, scripts, tests); never call it on
        the thread that settles the task, which would wait for itself."""
        if not self._settled_event.wait(timeout_s):
            raise TimeoutError(f"task {self.name} did not finish in {timeout_s} s")
        return self.value()

    def success(self, callback: Callable[[T], None]) -> Self:
        with self._lock:
            if not self._done:
                self._on_success.append(callback)
                return self
        if self._error is None:
            callback(self._value)  # type: ignore[arg-type]
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Self:
        with self._lock:
            if not self._done:
                self._on_failure.append(callback)
                return self
        if self._error is not None:
            callback(self._error)
        return self

    def settle(self, value: T | None, error: BaseException | None) -> None:
        """Record the outcome and run the callbacks (called through ``deliver``)."""
        with self._lock:
            self._done, self._value, self._error = True, value, error
            on_success, on_failure = list(self._on_success), list(self._on_failure)
            self._on_success.clear()
            self._on_failure.clear()
        try:
            if error is None:
                for success in on_success:
                    success(value)  # type: ignore[arg-type]
            elif on_failure:
                for failure in on_failure:
                    failure(error)
            else:
                self._on_unhandled(error)
        finally:
            self._settled()
            self._settled_event.set()


class TaskThread:
    """Runs submitted callables one at a time, in order, on its own thread."""

    def __init__(
        self,
        name: str,
        *,
        deliver: Deliver = call_now,
        on_unhandled: ErrorSink | None = None,
    ) -> None:
        self.name = name
        self._deliver = deliver
        self._on_unhandled = on_unhandled or _log_unhandled
        # None is the stop mark; a step (no Pending) is a link of a longer operation.
        self._queue: queue.SimpleQueue[tuple[Callable[[], Any], Pending[Any] | None] | None] = (
            queue.SimpleQueue()
        )
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._busy_lock = threading.Lock()
        self._busy = 0

    @property
    def busy(self) -> int:
        """Tasks submitted whose callbacks have not run yet (0: nothing in flight)."""
        return self._busy

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()

    def submit(self, fn: Callable[[], T], name: str = "task") -> Pending[T]:
        if not self._thread.is_alive():
            raise RuntimeError(f"{self.name} is not running")
        pending: Pending[T] = Pending(name, self._on_unhandled, self._one_settled)
        with self._busy_lock:
            self._busy += 1
        self._queue.put((fn, pending))
        return pending

    def promise(self, name: str) -> tuple[Pending[Any], Fulfil]:
        """A ``Pending`` settled by whoever holds the returned function (from any thread),
        through ``deliver`` like a task's: the result of an operation that runs in several
        steps, on this thread and others. (Annotate the ``Pending`` at the call site.)"""
        pending: Pending[Any] = Pending(name, self._on_unhandled, self._one_settled)
        with self._busy_lock:
            self._busy += 1

        def fulfil(value: object, error: BaseException | None) -> None:
            self._deliver(partial(pending.settle, value, error))

        return pending, fulfil

    def step(self, fn: Callable[[], None]) -> None:
        """Queue one step of a longer operation: it settles its ``promise`` itself, so a
        failure here is a bug, logged (the step must not raise)."""
        if not self._thread.is_alive():
            raise RuntimeError(f"{self.name} is not running")
        self._queue.put((fn, None))

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Finish the queued tasks, then end the thread; False if it did not end in time."""
        if not self._thread.is_alive():
            return True
        self._queue.put(None)
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            log.error("task thread did not stop in time", extra={"thread": self.name})
            return False
        return True

    def _one_settled(self) -> None:
        with self._busy_lock:
            self._busy -= 1

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            fn, pending = item
            if pending is None:
                try:
                    fn()
                except Exception:
                    log.exception("task step failed", extra={"thread": self.name})
                continue
            value: Any = None
            error: BaseException | None = None
            try:
                value = fn()
            except TillError as exc:  # the cashier's to fix: shown, not logged as a fault
                error = exc
            except Exception as exc:  # a fault (disk, bug): logged once here, then shown
                log.exception("task failed", extra={"thread": self.name, "task": pending.name})
                error = exc
            self._deliver(partial(pending.settle, value, error))


def _log_unhandled(error: BaseException) -> None:
    log.warning("unhandled task failure", extra={"error": str(error)})
