"""``facepay-provision wipe``: refuses while orders have not reached the cloud (unless
--force), revokes the device's token (refusing when the cloud is out of reach, unless
--offline), then removes secrets, members and orders in one go; the device is
unregistered."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from deploy.cloud import admin
from deploy.cloud import cli as cloud_cli
from deploy.cloud.database import Database as CloudDatabase
from deploy.provision import exit_codes
from deploy.provision.layout import Layout
from terminal.storage.database import open_store
from terminal.sync.client import CloudClient
from terminal.sync.cycle import sync_once
from terminal.sync.member_keys import member_repository
from terminal.sync.registration import load_registration
from tests.support.orders import add_paid_orders
from tests.support.provisioning import ModelCloud, provision, wipe


def counts(db_path: Path) -> dict[str, int]:
    db = open_store(db_path)
    try:
        return {
            table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("orders", "order_lines", "payments", "outbox", "members", "catalog_items")
        }
    finally:
        db.close()


@pytest.fixture
def provisioned(
    cloud: ModelCloud, cloud_db: CloudDatabase, root: Path, capsys: pytest.CaptureFixture[str]
) -> Layout:
    code = admin.create_code(cloud_db, "S001")
    assert provision(capsys, root, "--code", code, cloud=cloud.url).code == exit_codes.OK
    return Layout.for_root(root)


def test_wipe_refuses_with_unsynced_orders_and_force_wipes_them(
    provisioned: Layout, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_paid_orders(provisioned.db_path, "S001T001", 3)

    refused = wipe(capsys, root)

    assert refused.code == exit_codes.UNSYNCED
    assert "3 order(s)" in refused.report["error"]
    assert provisioned.secrets_path.exists()
    assert counts(provisioned.db_path)["orders"] == 3

    forced = wipe(capsys, root, "--force")

    assert forced.code == exit_codes.OK, forced.report
    assert "3 unsynced entries discarded" in forced.step("store")["detail"]
    assert not provisioned.secrets_path.exists()
    left = counts(provisioned.db_path)
    assert left["orders"] == left["order_lines"] == left["payments"] == left["outbox"] == 0
    assert left["members"] == 0
    assert left["catalog_items"] > 0  # not personal: kept for the next provisioning


def test_wipe_after_sync_removes_everything_and_unregisters(
    provisioned: Layout, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_paid_orders(provisioned.db_path, "S001T001", 2)
    registration = load_registration(provisioned.secrets_path)
    assert registration is not None
    db = open_store(provisioned.db_path)
    try:
        members = member_repository(db, registration)
        with CloudClient(registration.cloud_url, registration.token) as client:
            assert sync_once(db, client, members).drain.sent == 2
    finally:
        db.close()

    run = wipe(capsys, root)

    assert run.code == exit_codes.OK, run.report
    assert run.statuses == {"revoke": "changed", "store": "changed", "secrets": "changed"}
    assert load_registration(provisioned.secrets_path) is None
    left = counts(provisioned.db_path)
    assert left["orders"] == left["outbox"] == left["members"] == 0
    check = provision(capsys, root, "--check")
    assert check.statuses["register"] == "drift"  # unregistered
    assert wipe(capsys, root).statuses == {
        "revoke": "unchanged",
        "store": "unchanged",
        "secrets": "unchanged",
    }


def config_status(cloud: ModelCloud, token: str) -> httpx.Response:
    return httpx.get(f"{cloud.url}/v1/config", headers={"Authorization": f"Bearer {token}"})


def test_wipe_revokes_the_token_before_it_removes_the_secrets(
    provisioned: Layout, cloud: ModelCloud, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registration = load_registration(provisioned.secrets_path)
    assert registration is not None
    assert config_status(cloud, registration.token).status_code == 200

    run = wipe(capsys, root)

    assert run.code == exit_codes.OK, run.report
    assert [step["name"] for step in run.report["steps"]] == ["revoke", "store", "secrets"]
    assert "revoked the token of device S001T001" in run.step("revoke")["detail"]
    refused = config_status(cloud, registration.token)  # a copy of the file is worth nothing
    assert refused.status_code == 401 and refused.json()["error"] == "token_revoked"


def test_wipe_with_the_cloud_out_of_reach_refuses_unless_offline(
    provisioned: Layout, cloud: ModelCloud, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registration = load_registration(provisioned.secrets_path)
    assert registration is not None
    cloud.kill()

    refused = wipe(capsys, root)

    assert refused.code == exit_codes.CLOUD
    assert "nothing was wiped" in refused.report["error"] and "--offline" in refused.report["error"]
    assert provisioned.secrets_path.exists()

    offline = wipe(capsys, root, "--offline")

    assert offline.code == exit_codes.OK, offline.report
    assert offline.statuses["revoke"] == "warning"
    assert offline.statuses["secrets"] == "changed"
    [warning] = offline.report["warnings"]
    assert "stays valid until an operator runs 'facepay-cloud devices revoke S001T001'" in warning
    # As the warning says: the token works until the operator revokes it.
    cloud.start()
    assert config_status(cloud, registration.token).status_code == 200
    assert cloud_cli.main(["devices", "revoke", "S001T001", "--db", cloud.db_url]) == cloud_cli.OK
    assert config_status(cloud, registration.token).status_code == 401
