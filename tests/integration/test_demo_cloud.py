"""The demo's embedded cloud: the real app on loopback, seeded, a till registered over
HTTP that syncs the demo catalog and members, a demo member given a face that the till
pulls, a clean stop that frees the port, and a second start in the same process."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import numpy as np
import pytest

from deploy.cloud import admin
from terminal.demo.embedded_cloud import (
    DEMO_OFFLINE_DAILY_CENTS,
    DEMO_OFFLINE_MAX_CENTS,
    EmbeddedCloud,
    EmbeddedCloudError,
)
from terminal.payments.offline import OfflineLimits
from terminal.storage.catalog import CatalogRepository
from terminal.storage.database import open_store
from terminal.sync import inbound
from terminal.sync.client import CloudClient
from terminal.sync.cycle import sync_once
from terminal.sync.member_keys import member_repository
from terminal.sync.registration import load_registration, secrets_path_for

MODEL = "sface_2021dec"


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_a_till_registers_and_pulls_the_demo_store_then_a_members_face(tmp_path: Path) -> None:
    began = time.monotonic()
    with EmbeddedCloud(tmp_path / "cloud") as cloud:
        started_s = time.monotonic() - began
        health = httpx.get(f"{cloud.url}/v1/health", timeout=5)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert started_s < 10, f"the embedded cloud took {started_s:.1f} s to start"

        till_db = tmp_path / "till" / "demo.db"
        registration = cloud.register(till_db, "demo till")
        assert registration.store_id == admin.DEMO_STORE
        assert registration.cloud_url == cloud.url
        assert load_registration(secrets_path_for(till_db)) == registration

        db = open_store(till_db)
        members = member_repository(db, registration)
        with CloudClient(cloud.url, registration.token) as client:
            report = sync_once(db, client, members)
            assert report.ok, report.error
            assert CatalogRepository(db).count() == len(admin.read_catalog_csv())
            zhang = admin.demo_member_id(admin.DEMO_STORE, "zhang")
            seeded = {
                key: members.get(admin.demo_member_id(admin.DEMO_STORE, key))
                for key, *_ in admin.DEMO_MEMBERS
            }
            assert {k: (m.display_name, m.balance_cents) for k, m in seeded.items() if m} == {
                "zhang": ("Zhang**", 20000),
                "li": ("Li**", 5000),
                "wang": ("Wang**", 300),
            }
            assert list(members.templates(MODEL)) == []
            limits = OfflineLimits.from_cloud_config(inbound.cloud_config(db))
            assert limits == OfflineLimits(DEMO_OFFLINE_MAX_CENTS, DEMO_OFFLINE_DAILY_CENTS)

            face = np.random.default_rng(7).standard_normal(128).astype("<f4")
            assert cloud.enroll_demo_member("zhang", face.tobytes(), MODEL) == zhang
            report = sync_once(db, client, members)
            assert report.ok and report.member_changes == 1
        pulled = list(members.templates(MODEL))
        assert [t.member_id for t in pulled] == [zhang]
        got = np.frombuffer(pulled[0].vector, dtype="<f4")
        assert np.allclose(got, face / np.linalg.norm(face), atol=1e-6)
        db.close()
        port = cloud.port

    assert not cloud.running
    assert port_is_free(port), "the stopped cloud still holds its port"
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)


def test_it_starts_again_in_the_same_process_over_the_same_data(tmp_path: Path) -> None:
    folder = tmp_path / "cloud"
    first = EmbeddedCloud(folder).start()
    till_db = tmp_path / "till.db"
    old = first.register(till_db, "demo till")
    began = time.monotonic()
    assert first.stop()
    stopped_s = time.monotonic() - began
    assert stopped_s < 5, f"stop took {stopped_s:.1f} s"

    with EmbeddedCloud(folder) as second:
        # The till registers anew (the port changed) and keeps its template key.
        new = second.register(till_db, "demo till")
        assert new.device_id != old.device_id
        assert new.template_key == old.template_key
        with CloudClient(second.url, new.token) as client:
            assert client.health()["status"] == "ok"
        # Seeding again changed nothing: still three members, one catalog.
        with second.db.read() as conn:
            count = conn.exec_driver_sql("SELECT COUNT(*) FROM members").scalar_one()
        assert count == len(admin.DEMO_MEMBERS)

    # The same instance can be started again after a stop, too.
    again = first.start()
    try:
        assert httpx.get(f"{again.url}/v1/health", timeout=5).status_code == 200
    finally:
        again.stop()


def test_a_port_in_use_is_named(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(EmbeddedCloudError, match=f"127.0.0.1:{port}"):
            EmbeddedCloud(tmp_path / "cloud", port=port).start()
