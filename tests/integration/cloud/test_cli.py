"""``facepay-cloud`` as an operator runs it: real processes, exit codes, messages."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx

from deploy.cloud import cli as cloud_cli
from tests.support.cloud_keys import server_environment
from tests.support.order_documents import order_document
from tests.support.postgres_cluster import free_port

KEY_PREFIX = "FACEPAY_CLOUD_MASTER_KEY"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deploy.cloud", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=server_environment() if env is None else env,
    )


def test_seed_codes_serve_and_export(tmp_path: Path) -> None:
    db = str(tmp_path / "cloud.db")
    first = run("seed", "--db", db)
    assert first.returncode == 0, first.stderr
    assert "store S001: created, 204 catalog item(s) changed, 3 member(s) added" in first.stdout
    again = run("seed", "--db", db)
    assert "store S001: exists, 0 catalog item(s) changed, 0 member(s) added" in again.stdout
    code = run("codes", "create", "--db", db).stdout.strip()
    assert len(code) == 10 and code.isalnum() and code.isupper()
    assert run("orders", "export", "--db", db, "--json").stdout.strip() == "[]"

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "deploy.cloud", "serve", "--db", db, "--port", str(port)],
        env=server_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.05)
        device = httpx.post(f"{base}/v1/devices/register", json={"code": code}).json()
        assert device["device_id"] == "S001T001"
        order_no = f"{device['device_id']}-20261122-0001"
        body = order_document(device["device_id"], order_no)
        answer = httpx.put(
            f"{base}/v1/orders/{order_no}",
            json=body,
            headers={"Authorization": f"Bearer {device['token']}"},
        )
        assert answer.status_code == 201
        members = httpx.get(
            f"{base}/v1/members", headers={"Authorization": f"Bearer {device['token']}"}
        ).json()["changes"]
        assert [m["display_name"] for m in members] == ["Zhang**", "Li**", "Wang**"]
        assert all(m["templates"] == [] and m["balance_cents"] > 0 for m in members)
    finally:
        server.terminate()
        server.wait(timeout=10)
    exported = run("orders", "export", "--db", db, "--json")
    assert json.loads(exported.stdout) == [body]


def test_bad_databases_are_clear_errors_with_a_nonzero_exit(tmp_path: Path) -> None:
    missing = run("seed", "--db", str(tmp_path / "no" / "such" / "cloud.db"))
    assert missing.returncode == cloud_cli.DATABASE
    assert "folder" in missing.stderr and "is missing" in missing.stderr
    a_folder = run("codes", "create", "--db", str(tmp_path))
    assert a_folder.returncode == cloud_cli.DATABASE
    assert "cannot open the database" in a_folder.stderr
    unreachable = run("serve", "--db", f"postgresql://u:secret@127.0.0.1:{free_port()}/x")
    assert unreachable.returncode == cloud_cli.DATABASE
    assert "cannot open the database" in unreachable.stderr
    assert "secret" not in unreachable.stderr  # never print the password
    assert "Traceback" not in missing.stderr + a_folder.stderr + unreachable.stderr


def test_codes_for_an_unknown_store_and_the_openapi_check(tmp_path: Path) -> None:
    result = run("codes", "create", "--db", str(tmp_path / "c.db"), "--store", "S999")
    assert result.returncode == cloud_cli.BAD_INPUT
    assert "store S999 does not exist" in result.stderr
    assert run("openapi", "--check").returncode == 0


def test_the_master_key_comes_from_outside_the_database(tmp_path: Path) -> None:
    db = str(tmp_path / "cloud.db")
    bare = {k: v for k, v in server_environment().items() if not k.startswith(KEY_PREFIX)}
    missing = run("seed", "--db", db, env=bare)
    assert missing.returncode == cloud_cli.BAD_INPUT
    assert "no master key" in missing.stderr and "keys new" in missing.stderr

    key = tmp_path / "master.key"
    made = run("keys", "new", "--out", str(key), env=bare)
    assert made.returncode == 0, made.stderr
    assert key.stat().st_mode & 0o777 == 0o600
    again = run("keys", "new", "--out", str(key), env=bare)
    assert again.returncode == cloud_cli.BAD_INPUT  # a key is never overwritten
    seeded = run("seed", "--db", db, "--master-key-file", str(key), env=bare)
    assert seeded.returncode == 0, seeded.stderr

    key.chmod(0o644)
    exposed = run("seed", "--db", db, "--master-key-file", str(key), env=bare)
    assert exposed.returncode == cloud_cli.BAD_INPUT and "chmod 600" in exposed.stderr
    key.chmod(0o600)
    key.write_text("not a key\n")
    broken = run("seed", "--db", db, "--master-key-file", str(key), env=bare)
    assert broken.returncode == cloud_cli.BAD_INPUT and "base64" in broken.stderr
