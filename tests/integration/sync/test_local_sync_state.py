"""Sync's local state on real files: the secrets file, sealed templates, erasure, the drain's
ordering rules. The cloud is replaced only at the network edge (a client that records)."""

from __future__ import annotations

import base64
import json
import logging
import os
import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlite_utils import Database

from terminal.config import Settings
from terminal.storage import outbox
from terminal.storage.members import Member, MemberRepository, Template
from terminal.storage.template_cipher import TemplateCipher, TemplateKeyError
from terminal.sync.client import (
    AuthError,
    CloudClient,
    PermanentCloudError,
    TransientCloudError,
)
from terminal.sync.outbound import OutboxSender, backoff
from terminal.sync.registration import (
    RegistrationError,
    load_registration,
    new_registration,
    save_registration,
)
from tests.support.fake_clock import FakeClock
from tests.support.orders import queue_order_entry

KEY = bytes(range(32))


def test_registration_is_saved_private_and_read_back(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "t.secrets.json"
    answer = {"device_id": "SH01T003", "store_id": "S001", "token": "tok-" + "x" * 40}
    saved = new_registration("https://cloud/", answer, clock(), keep_key_of=None)
    save_registration(path, saved)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_registration(path) == saved
    assert "tok-" not in repr(saved) and saved.cloud_url == "https://cloud"
    again = new_registration(
        "https://cloud", {**answer, "token": "new"}, clock(), keep_key_of=saved
    )
    assert again.template_key == saved.template_key  # templates stay readable
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_gallery_key_from_the_answer_is_saved_and_an_older_file_loads_without_one(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "t.secrets.json"
    answer = {"device_id": "SH01T003", "store_id": "S001", "token": "tok-" + "x" * 40}
    gallery = bytes(range(32, 64))
    keyed = {**answer, "gallery_key": base64.b64encode(gallery).decode()}
    save_registration(path, new_registration("https://cloud", keyed, clock(), keep_key_of=None))
    loaded = load_registration(path)
    assert loaded is not None and loaded.gallery_key == gallery
    # A file saved before the cloud handed gallery keys out has no such entry.
    older = json.loads(path.read_text())
    del older["gallery_key_b64"]
    path.write_text(json.dumps(older))
    with caplog.at_level(logging.WARNING, logger="terminal.sync.registration"):
        loaded = load_registration(path)
    assert loaded is not None and loaded.gallery_key is None
    assert loaded.device_id == "SH01T003"
    assert "register --force" in caplog.text
    with pytest.raises(RegistrationError, match="gallery key"):
        new_registration("https://cloud", {**answer, "gallery_key": "c2hvcnQ="}, clock(), None)


def test_a_saved_plain_http_cloud_is_refused_like_a_damaged_file(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Saved before plain http was refused: the till sells without the cloud and says to
    register again, rather than send its token in the clear or not start at all."""
    path = tmp_path / "t.secrets.json"
    answer = {"device_id": "SH01T003", "store_id": "S001", "token": "tok-" + "x" * 40}
    save_registration(path, new_registration("http://192.0.2.7:8080", answer, clock(), None))
    with pytest.raises(RegistrationError, match=r"http://192\.0\.2\.7:8080.*register --force"):
        load_registration(path)


def test_a_damaged_secrets_file_says_to_register_again(tmp_path: Path) -> None:
    path = tmp_path / "t.secrets.json"
    path.write_text('{"device_id": "T01"')
    with pytest.raises(RegistrationError, match="register the device again"):
        load_registration(path)
    assert load_registration(tmp_path / "missing.json") is None


def test_sealed_templates_need_the_key_and_their_own_row() -> None:
    vector = np.random.default_rng(1).standard_normal(128).astype("<f4").tobytes()
    cipher = TemplateCipher(KEY)
    sealed = cipher.seal(vector, member_id="m1", model="sface")
    assert vector not in sealed
    assert cipher.open(sealed, member_id="m1", model="sface") == vector
    with pytest.raises(TemplateKeyError):
        TemplateCipher(bytes(32)).open(sealed, member_id="m1", model="sface")
    with pytest.raises(TemplateKeyError):
        cipher.open(sealed, member_id="m2", model="sface")
    with pytest.raises(TemplateKeyError):
        cipher.open(sealed, member_id="m1", model="other-model")


def test_erasing_a_member_leaves_no_trace_in_the_file(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    members = MemberRepository(db, TemplateCipher(KEY))
    vector = np.full(128, 0.0883883, dtype="<f4").tobytes()
    members.upsert(
        Member("member-1", "Zhang**", "1234", 10, 5000),
        [Template("member-1", "sface", vector)],
        clock(),
    )
    assert [t.vector for t in members.templates("sface")] == [vector]
    assert list(members.templates("another-model")) == []
    assert members.erase("member-1")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = Path(settings.db_path).read_bytes()
    assert b"Zhang**" not in raw and b"member-1" not in raw
    assert members.get("member-1") is None and members.count() == 0


class RecordingCloud(CloudClient):
    """The network edge: answers per idempotency key, records what was sent."""

    def __init__(self, answers: dict[str, Exception]):
        super().__init__("https://cloud.invalid")
        self.answers = answers
        self.sent: list[str] = []

    def put_order(self, order_no: str, document: dict[str, Any]) -> dict[str, Any]:
        self.sent.append(order_no)
        if order_no in self.answers:
            raise self.answers.pop(order_no)
        return {"order_no": order_no, "status": "created"}


def queue(db: Database, keys: list[str], clock: FakeClock) -> None:
    for key in keys:
        queue_order_entry(db, key, clock())


def test_drain_keeps_order_parks_refusals_and_stops_at_a_transient_failure(
    db: Database, clock: FakeClock
) -> None:
    queue(db, ["A", "B", "C", "D"], clock)
    cloud = RecordingCloud(
        {
            "B": PermanentCloudError(409, "conflict", "another body"),
            "C": TransientCloudError("ReadTimeout"),
        }
    )
    report = OutboxSender(db, cloud, clock).drain()
    assert cloud.sent == ["A", "B", "C"]  # D never overtakes C
    assert (report.sent, report.dead) == (1, 1) and report.retry_at is not None
    assert [e["aggregate_id"] for e in outbox.dead_entries(db)] == ["B"]
    # Before C's backoff is over nothing moves; after it, C then D go, in order.
    clock.now = report.retry_at - timedelta(seconds=5)
    assert OutboxSender(db, cloud, clock).drain().sent == 0
    clock.now = report.retry_at + timedelta(seconds=1)
    assert OutboxSender(db, cloud, clock).drain().sent == 2
    assert cloud.sent[-2:] == ["C", "D"]
    assert outbox.stats(db).pending == 0


def test_an_auth_failure_stops_the_drain_and_marks_nothing(db: Database, clock: FakeClock) -> None:
    queue(db, ["A", "B"], clock)
    cloud = RecordingCloud({"A": AuthError(401, "unauthorized", "bad token")})
    report = OutboxSender(db, cloud, clock).drain()
    assert report.auth_failed and report.sent == 0
    stats = outbox.stats(db)
    assert (stats.pending, stats.dead) == (2, 0)


def test_backoff_grows_exponentially_with_jitter_and_a_ceiling() -> None:
    low = [backoff(n, rng=lambda: 0.0).total_seconds() for n in range(12)]
    high = [backoff(n, rng=lambda: 1.0).total_seconds() for n in range(12)]
    assert low[:4] == [0.5, 1.0, 2.0, 4.0] and high[:4] == [1.0, 2.0, 4.0, 8.0]
    assert max(high) == 300.0 and min(low[-3:]) == 150.0


def test_requeued_dead_entries_go_again(db: Database, clock: FakeClock) -> None:
    queue(db, ["A"], clock)
    OutboxSender(db, RecordingCloud({"A": PermanentCloudError(422, "bad", "x")}), clock).drain()
    assert outbox.requeue_dead(db, clock()) == 1
    assert OutboxSender(db, RecordingCloud({}), clock).drain().sent == 1
    assert outbox.stats(db).pending == 0
