"""Security review, issue 13, on the till's side: ``facepay-terminal register --force``
left the old token valid. It now revokes it through the API once the new registration
stands, and when the old cloud cannot be reached it says which command an operator runs.
The store's gallery key from the answer is kept in the private secrets file."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import stat
from pathlib import Path

import pytest

from deploy.cloud import admin
from terminal.__main__ import main as facepay_terminal
from terminal.cli import exit_codes
from terminal.sync.registration import load_registration, save_registration
from tests.support.cloud_keys import VAULT
from tests.support.guarded_cloud import GuardedCloud
from tests.support.postgres_cluster import free_port


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No FACEPAY_* setting of the machine running the tests reaches the command."""
    for key in [k for k in os.environ if k.startswith("FACEPAY_")]:
        monkeypatch.delenv(key)


def register(
    capsys: pytest.CaptureFixture[str], db: Path, cloud_url: str, code: str, *flags: str
) -> tuple[int, dict[str, object], str]:
    argv = ["register", "--cloud", cloud_url, "--code", code, "--db", str(db), "--json", *flags]
    result = facepay_terminal(argv)
    out, err = capsys.readouterr()
    return result, (json.loads(out) if out.strip() else {}), err


def test_register_force_revokes_the_old_token_once_the_new_one_works(
    guarded: GuardedCloud, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cloud = guarded.cloud
    store = cloud.new_store()
    db = tmp_path / "till.db"
    secrets = tmp_path / "till.secrets.json"
    first_code, second_code = admin.create_code(cloud.db, store), admin.create_code(cloud.db, store)
    assert register(capsys, db, cloud.base_url, first_code)[0] == exit_codes.OK
    old = load_registration(secrets)
    assert old is not None

    result, said, err = register(capsys, db, cloud.base_url, second_code, "--force")

    assert result == exit_codes.OK, err
    new = load_registration(secrets)
    assert new is not None and new.device_id != old.device_id
    assert said == {
        "status": "registered",
        "device_id": new.device_id,
        "store_id": store,
        "cloud": cloud.base_url,
        "old_device_id": old.device_id,
        "old_token_revoked": True,
    }
    assert new.template_key == old.template_key  # enrolled faces stay readable
    refused = cloud.client(old.token).get("/v1/config")
    assert refused.status_code == 401 and refused.json()["error"] == "token_revoked"
    assert cloud.client(new.token).get("/v1/config").status_code == 200


def test_register_force_with_the_old_cloud_gone_warns_and_still_registers(
    guarded: GuardedCloud, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cloud = guarded.cloud
    store = cloud.new_store()
    db = tmp_path / "till.db"
    secrets = tmp_path / "till.secrets.json"
    assert register(capsys, db, cloud.base_url, admin.create_code(cloud.db, store))[0] == 0
    old = load_registration(secrets)
    assert old is not None
    # The till moved from a cloud that is gone (nothing listens on that port any more).
    gone = f"http://127.0.0.1:{free_port()}"
    save_registration(secrets, dataclasses.replace(old, cloud_url=gone))

    result, said, err = register(
        capsys, db, cloud.base_url, admin.create_code(cloud.db, store), "--force"
    )

    assert result == exit_codes.OK, err
    assert said["old_token_revoked"] is False
    assert f"could not revoke the old token of device {old.device_id}" in err
    assert (
        f"stays valid until an operator runs 'facepay-cloud devices revoke {old.device_id}'" in err
    )
    # As the warning says: an operator must revoke it.
    assert cloud.client(old.token).get("/v1/config").status_code == 200


def test_the_stores_gallery_key_is_kept_in_the_private_secrets_file(
    guarded: GuardedCloud, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cloud = guarded.cloud
    store = cloud.new_store()
    db = tmp_path / "till.db"

    assert register(capsys, db, cloud.base_url, admin.create_code(cloud.db, store))[0] == 0

    secrets = tmp_path / "till.secrets.json"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    registration = load_registration(secrets)
    assert registration is not None
    with cloud.db.write() as conn:
        assert registration.gallery_key == VAULT.gallery_key(conn, store)
    saved = json.loads(secrets.read_text())
    assert base64.b64decode(saved["gallery_key_b64"]) == registration.gallery_key
    assert "gallery" not in repr(registration) and registration.token not in repr(registration)
