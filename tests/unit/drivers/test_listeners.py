"""One listener type and one stop signature for every worker: ``Listeners`` adds, removes
and survives a failing callback; ``join_worker`` says whether a thread ended; and every
worker class subscribes with ``on_<event>(callback) -> Unsubscribe`` and stops with
``stop(timeout_s) -> bool``."""

from __future__ import annotations

import inspect
import logging
import threading
import typing

import numpy as np
import pytest
from sqlite_utils import Database

from drivers.camera.fake import FakeCamera
from drivers.camera.pump import FramePump
from drivers.codes.camera_scanner import CameraScanner
from drivers.listeners import Listeners, Unsubscribe, join_worker
from drivers.scanner.fake import FakeScanner
from drivers.scanner.listeners import ListenedSource, ScanSource
from drivers.scanner.reader import ScannerReader
from drivers.scanner.settings import ScannerSettings
from terminal.face.pipeline import FaceSession
from terminal.face.worker import FaceWorker
from terminal.sync.registration import Registration
from terminal.sync.worker import SyncWorker

WORKERS: list[type[object]] = [
    ScanSource,
    ListenedSource,
    ScannerReader,
    FakeScanner,
    CameraScanner,
    FramePump,
    FaceWorker,
    SyncWorker,
]


def test_callbacks_run_in_the_order_they_were_added() -> None:
    listeners: Listeners[int] = Listeners("number")
    heard: list[tuple[str, int]] = []
    listeners.add(lambda n: heard.append(("first", n)))
    listeners.add(lambda n: heard.append(("second", n)))
    listeners.emit(7)
    assert heard == [("first", 7), ("second", 7)]


def test_unsubscribing_stops_the_calls_and_may_be_done_twice() -> None:
    listeners: Listeners[int] = Listeners("number")
    heard: list[int] = []
    kept: list[int] = []
    unsubscribe = listeners.add(heard.append)
    listeners.add(kept.append)
    unsubscribe()
    unsubscribe()
    listeners.emit(1)
    assert heard == []
    assert kept == [1]


def test_a_failing_callback_is_logged_with_its_kind_skipped_and_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    listeners: Listeners[int] = Listeners("camera status", context={"camera": "fake"})
    heard: list[int] = []
    calls: list[int] = []

    def broken(n: int) -> None:
        calls.append(n)
        raise RuntimeError("bug in a listener")

    listeners.add(broken)
    listeners.add(heard.append)
    with caplog.at_level(logging.ERROR, logger="drivers.listeners"):
        listeners.emit(1)
        listeners.emit(2)
    assert heard == [1, 2]
    assert calls == [1, 2]
    messages = [record.getMessage() for record in caplog.records]
    assert messages == ["camera status listener failed"] * 2
    assert "scanner" not in caplog.text
    assert caplog.records[0].__dict__["camera"] == "fake"


def test_a_callback_may_unsubscribe_itself_while_being_called() -> None:
    listeners: Listeners[int] = Listeners("number")
    heard: list[int] = []
    unsubscribe: list[Unsubscribe] = []

    def once(n: int) -> None:
        heard.append(n)
        unsubscribe[0]()

    unsubscribe.append(listeners.add(once))
    listeners.emit(1)
    listeners.emit(2)
    assert heard == [1]


def test_join_worker_is_true_for_a_thread_that_never_ran_or_ended() -> None:
    assert join_worker(None, 0.1, worker="nothing")
    never_started = threading.Thread(target=lambda: None)
    assert join_worker(never_started, 0.1, worker="never started")
    ended = threading.Thread(target=lambda: None)
    ended.start()
    assert join_worker(ended, 5.0, worker="ended")


def test_join_worker_is_false_and_logged_for_a_thread_still_running(
    caplog: pytest.LogCaptureFixture,
) -> None:
    release = threading.Event()
    stuck = threading.Thread(target=release.wait, daemon=True)
    stuck.start()
    try:
        with caplog.at_level(logging.WARNING, logger="drivers.listeners"):
            assert not join_worker(stuck, 0.05, worker="stuck worker", port="ttyX")
    finally:
        release.set()
        stuck.join(5.0)
    assert "stuck worker did not stop in time" in caplog.text
    assert caplog.records[-1].__dict__["timeout_s"] == 0.05


def test_join_worker_from_the_worker_itself_does_not_deadlock() -> None:
    results: list[bool] = []

    def run() -> None:
        results.append(join_worker(threading.current_thread(), 5.0, worker="self"))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(5.0)
    assert results == [False]


@pytest.mark.parametrize("worker", WORKERS, ids=lambda cls: cls.__name__)
def test_every_worker_stops_with_timeout_s_and_says_whether_it_did(worker: type) -> None:
    stop = worker.stop  # type: ignore[attr-defined]
    parameters = list(inspect.signature(stop).parameters.values())
    assert [p.name for p in parameters] == ["self", "timeout_s"]
    timeout_s = parameters[1]
    assert isinstance(timeout_s.default, float) and timeout_s.default > 0
    hints = typing.get_type_hints(stop)
    assert hints["timeout_s"] is float
    assert hints["return"] is bool


@pytest.mark.parametrize("worker", WORKERS, ids=lambda cls: cls.__name__)
def test_every_worker_subscribes_with_on_event_returning_unsubscribe(worker: type) -> None:
    subscribers = [name for name in dir(worker) if name.startswith("on_")]
    assert subscribers, f"{worker.__name__} has no on_<event> method"
    for name in subscribers:
        method = getattr(worker, name)
        parameters = list(inspect.signature(method).parameters)
        assert len(parameters) == 2, f"{worker.__name__}.{name}{parameters}"
        assert typing.get_type_hints(method)["return"] == Unsubscribe, name
    assert not hasattr(worker, "add_listener")


def _workers_never_started() -> list[tuple[str, object]]:
    pump = FramePump(FakeCamera([np.zeros((8, 8, 3), dtype=np.uint8)]))
    session = typing.cast(FaceSession, object())  # never touched: the worker never runs
    registration = Registration("http://127.0.0.1:9", "dev", "store", "token", "", "")

    def no_database() -> Database:
        raise AssertionError("a worker that never ran opens no database")

    return [
        ("ScannerReader", ScannerReader(ScannerSettings(port="loop://"))),
        ("FakeScanner", FakeScanner()),
        ("CameraScanner", CameraScanner(pump)),
        ("FramePump", pump),
        ("FaceWorker", FaceWorker(pump, session)),
        ("SyncWorker", SyncWorker(no_database, registration)),
    ]


def test_stopping_a_worker_that_never_started_is_true_at_once() -> None:
    for name, worker in _workers_never_started():
        assert worker.stop(0.1) is True, name  # type: ignore[attr-defined]


def test_a_running_worker_stops_in_time_and_says_so() -> None:
    scanner = FakeScanner(["6910263003875"], delay_s=0.01)
    scanner.start()
    assert scanner.wait_done(5.0)
    assert scanner.stop(timeout_s=5.0) is True
