"""Security review, issue 13: what one device token or a guessed code could do, refused.

Tokens can be revoked (by an operator, or by the device itself) and a revoked token is
refused from the very next request; registration codes expire, are kept only as their
sha256 and answer the same whether unknown, used or expired; failed registrations and
wrong tokens are rate-limited per address, with a Retry-After. All over real HTTP on the
suite's own server (``guarded``, on SQLite and PostgreSQL), whose limits a test tightens
on a manual clock instead of sleeping.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from deploy.cloud import admin
from deploy.cloud import cli as cloud_cli
from deploy.cloud.rate_limit import AUTH_FAILURES, REGISTRATIONS
from deploy.cloud.schema import devices, enrollment_codes
from terminal.sync.client import AuthError, CloudClient, RateLimitedCloudError
from tests.support.cloud_keys import VAULT
from tests.support.database_files import found_in, sqlite_files
from tests.support.guarded_cloud import GuardedCloud, ManualClock

REGISTER = "/v1/devices/register"


def facepay_cloud(guarded: GuardedCloud, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """``facepay-cloud ARGS --db <the guarded server's database>``, in process: stdout."""
    assert cloud_cli.main([*args, "--db", guarded.db_url]) == cloud_cli.OK
    return capsys.readouterr().out


# -- revocation ------------------------------------------------------------------------


def test_a_token_an_operator_revokes_is_refused_from_the_next_request(
    guarded: GuardedCloud, capsys: pytest.CaptureFixture[str]
) -> None:
    cloud = guarded.cloud
    store = cloud.new_store()
    stolen, colleague = cloud.new_device(store), cloud.new_device(store)
    assert stolen.http.get("/v1/config").status_code == 200
    listed = json.loads(
        facepay_cloud(guarded, capsys, "devices", "list", "--store", store, "--json")
    )
    assert [(d["device_id"], d["store_id"], d["revoked"]) for d in listed] == [
        (stolen.device_id, store, False),
        (colleague.device_id, store, False),
    ]

    said = facepay_cloud(
        guarded, capsys, "devices", "revoke", stolen.device_id, "--by", "ops: till stolen"
    )

    assert f"revoked device {stolen.device_id}" in said
    refused = stolen.http.get("/v1/config")
    assert refused.status_code == 401
    assert refused.json()["error"] == "token_revoked"
    assert set(refused.json()) == {"error", "message"}
    assert colleague.http.get("/v1/config").status_code == 200  # only that device
    table = facepay_cloud(guarded, capsys, "devices", "list", "--store", store)
    [row] = [line for line in table.splitlines() if line.startswith(stolen.device_id)]
    assert row.endswith("by ops: till stolen")
    again = facepay_cloud(guarded, capsys, "devices", "revoke", stolen.device_id)
    assert "already revoked" in again and "ops: till stolen" in again  # the first one stays


def test_revoking_an_unknown_device_is_a_clear_error(
    guarded: GuardedCloud, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cloud_cli.main(["devices", "revoke", "NOSUCH1", "--db", guarded.db_url])
    assert code == cloud_cli.BAD_INPUT
    assert "no device NOSUCH1" in capsys.readouterr().err


def test_a_device_revokes_its_own_token_for_good(guarded: GuardedCloud) -> None:
    cloud = guarded.cloud
    device = cloud.new_device()
    with CloudClient(cloud.base_url, device.token) as till:
        answer = till.revoke_self()
        assert answer["device_id"] == device.device_id
        assert answer["revoked_by"] == "device itself"
        with pytest.raises(AuthError, match="token_revoked"):
            till.config()
        with pytest.raises(AuthError):
            till.revoke_self()  # a revoked token cannot even ask again
    with cloud.db.read() as conn:
        row = conn.execute(sa.select(devices).where(devices.c.device_id == device.device_id)).one()
    assert row.revoked_by == "device itself" and row.revoked_at == answer["revoked_at"]


# -- enrollment codes ----------------------------------------------------------------------


def test_expired_used_and_unknown_codes_get_one_and_the_same_answer(guarded: GuardedCloud) -> None:
    cloud = guarded.cloud
    store = cloud.new_store()
    now = datetime.now(UTC)
    expired = admin.create_code(
        cloud.db, store, ttl=timedelta(hours=24), now=now - timedelta(hours=25)
    )
    nearly = admin.create_code(
        cloud.db, store, ttl=timedelta(hours=1), now=now - timedelta(minutes=59)
    )
    used = admin.create_code(cloud.db, store)
    client = cloud.client()
    assert client.post(REGISTER, json={"code": used}).status_code == 200
    assert client.post(REGISTER, json={"code": nearly}).status_code == 200  # still in time

    answers = [client.post(REGISTER, json={"code": code}) for code in (expired, used, "NOPE234567")]

    assert [a.status_code for a in answers] == [403] * 3
    assert len({a.content for a in answers}) == 1  # byte for byte: which one is not told
    assert answers[0].json()["error"] == "code_invalid"
    with cloud.db.read() as conn:
        spent = conn.execute(
            sa.select(enrollment_codes.c.used_at).where(enrollment_codes.c.store_id == store)
        ).scalars()
        assert sorted(used_at is not None for used_at in spent) == [False, True, True]


def test_codes_are_stored_only_as_their_sha256_with_an_expiry(
    guarded: GuardedCloud, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    cloud = guarded.cloud
    store = cloud.new_store()

    code = facepay_cloud(
        guarded, capsys, "codes", "create", "--store", store, "--ttl-hours", "2"
    ).strip()

    with cloud.db.read() as conn:
        [row] = conn.execute(
            sa.select(enrollment_codes).where(enrollment_codes.c.store_id == store)
        ).all()
    assert not any(code in str(value) for value in row)
    assert row.code_sha256 == hashlib.sha256(code.encode()).hexdigest()
    lifetime = datetime.fromisoformat(row.expires_at) - datetime.fromisoformat(row.created_at)
    assert lifetime == timedelta(hours=2)
    if cloud.kind == "sqlite":
        files = sqlite_files(Path(str(cloud.db.url.database)))
    else:
        files = [request.getfixturevalue("pg_cluster").base / "data"]
    assert found_in(files, {"code": code.encode()}) == []
    assert cloud.client().post(REGISTER, json={"code": code}).status_code == 200


def test_codes_cannot_be_made_to_last_for_ever(
    guarded: GuardedCloud, capsys: pytest.CaptureFixture[str]
) -> None:
    store = guarded.cloud.new_store()
    for hours in ("0", "-1", str(31 * 24)):
        result = cloud_cli.main(
            ["codes", "create", "--db", guarded.db_url, "--store", store, "--ttl-hours", hours]
        )
        assert result == cloud_cli.BAD_INPUT
        assert "enrollment code" in capsys.readouterr().err


# -- the gallery key ----------------------------------------------------------------------


def test_the_registration_answer_alone_hands_out_the_stores_gallery_key(
    guarded: GuardedCloud,
) -> None:
    cloud = guarded.cloud
    store = cloud.new_store(seed=True)

    def registered(store_id: str) -> dict[str, str]:
        code = admin.create_code(cloud.db, store_id)
        answer: dict[str, str] = cloud.client().post(REGISTER, json={"code": code}).json()
        return answer

    first, second, elsewhere = registered(store), registered(store), registered(cloud.new_store())
    with cloud.db.write() as conn:
        key = VAULT.gallery_key(conn, store)
    assert {base64.b64decode(first["gallery_key"]), base64.b64decode(second["gallery_key"])} == {
        key
    }
    assert base64.b64decode(elsewhere["gallery_key"]) != key
    till = cloud.client(first["token"])
    for path in ("/v1/config", "/v1/catalog", "/v1/members"):
        answer = till.get(path)
        assert answer.status_code == 200, answer.text
        assert first["gallery_key"] not in answer.text


# -- rate limits -------------------------------------------------------------------------


def test_a_flood_of_bad_codes_gets_429_with_retry_after_and_then_waits_out(
    guarded: GuardedCloud,
) -> None:
    cloud = guarded.cloud
    clock = ManualClock()
    guarded.limit(REGISTRATIONS, 3, 60.0, clock)
    good = admin.create_code(cloud.db, cloud.new_store())
    client = cloud.client()
    for _ in range(3):
        assert client.post(REGISTER, json={"code": "GUESS23456"}).status_code == 403
    clock.advance(10)

    flooded = client.post(REGISTER, json={"code": "GUESS23457"})
    right_code = client.post(REGISTER, json={"code": good})

    assert flooded.status_code == right_code.status_code == 429
    assert flooded.headers["retry-after"] == "50"
    assert flooded.json()["error"] == "rate_limited"
    assert set(flooded.json()) == {"error", "message"}
    assert "try again in 50 s" in flooded.json()["message"]
    clock.advance(50)
    assert client.post(REGISTER, json={"code": good}).status_code == 200  # not spent by the 429


def test_good_registrations_do_not_use_up_the_limit(guarded: GuardedCloud) -> None:
    cloud = guarded.cloud
    guarded.limit(REGISTRATIONS, 2, 60.0, ManualClock())
    store = cloud.new_store()
    assert len({cloud.register(store).device_id for _ in range(5)}) == 5


def test_a_flood_of_wrong_tokens_gets_429_even_for_the_right_token(guarded: GuardedCloud) -> None:
    cloud = guarded.cloud
    clock = ManualClock()
    guarded.limit(AUTH_FAILURES, 3, 60.0, clock)
    device = cloud.new_device()
    anonymous, guesser = cloud.client(), cloud.client("x" * 43)
    for _ in range(5):  # no token guesses nothing: not counted
        assert anonymous.get("/v1/config").status_code == 401
    for _ in range(2):
        assert guesser.get("/v1/config").status_code == 401
    for _ in range(3):  # successes are not counted
        assert device.http.get("/v1/config").status_code == 200
    assert guesser.get("/v1/config").status_code == 401  # the third: still answered

    flooded = guesser.get("/v1/config")
    valid = device.http.get("/v1/config")

    # Letting the right token through would tell a right guess from a wrong one.
    assert flooded.status_code == valid.status_code == 429
    assert valid.headers["retry-after"] == "60"
    assert valid.json() == flooded.json()
    with (
        CloudClient(cloud.base_url, device.token) as till,
        pytest.raises(RateLimitedCloudError) as waited,
    ):
        till.config()
    assert waited.value.retry_after_s == 60
    clock.advance(60)
    assert device.http.get("/v1/config").status_code == 200


def test_a_revoked_token_counts_as_a_wrong_one(guarded: GuardedCloud) -> None:
    cloud = guarded.cloud
    clock = ManualClock()
    guarded.limit(AUTH_FAILURES, 2, 60.0, clock)
    device = cloud.new_device()
    assert device.http.delete("/v1/devices/self").status_code == 200
    assert [device.http.get("/v1/config").status_code for _ in range(3)] == [401, 401, 429]
