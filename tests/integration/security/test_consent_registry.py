"""Security review, issue 13: consent can be proved. The registry holds each text once,
never edited, under its sha256; a consent is recorded only for a registered version,
language and kind, at a time that is neither in the future nor stale, with the cloud's
receipt time beside the till's. On SQLite and PostgreSQL; tills read the registry."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from deploy.cloud import consent_registry
from deploy.cloud.cli import main
from deploy.cloud.consent_registry import ConsentText, RegistryError
from deploy.cloud.errors import ApiError
from deploy.cloud.schema import consents
from terminal.app.consent import current
from tests.support.cloud_api import Cloud


def new_text(kind: str = "face_pay", language: str = "en", words: str = "Face pay?") -> ConsentText:
    return ConsentText(f"test-{uuid.uuid4().hex[:12]}", language, kind, words)


def record(cloud: Cloud, text: ConsentText, **changes: str) -> str:
    values: dict[str, Any] = {
        "member_id": str(uuid.uuid4()),
        "store_id": "S1",
        "device_id": "T01",
        "kind": text.kind,
        "text_version": text.version,
        "language": text.language,
        "accepted_at": datetime.now(UTC).isoformat(),
        **changes,
    }
    with cloud.db.write() as conn:
        return consent_registry.record_consent(conn, **values)


def refusal(cloud: Cloud, text: ConsentText, **changes: str) -> ApiError:
    with pytest.raises(ApiError) as raised:
        record(cloud, text, **changes)
    assert raised.value.status == 422
    return raised.value


def test_a_consent_keeps_the_clouds_receipt_time_and_the_texts_sha256(cloud: Cloud) -> None:
    text = new_text(words="我们将生成面部特征模板。是否同意？")
    with cloud.db.write() as conn:
        assert consent_registry.register(conn, text) is True
    accepted_at = (datetime.now(UTC) - timedelta(minutes=3)).isoformat()
    before = datetime.now(UTC)

    consent_id = record(cloud, text, accepted_at=accepted_at)

    with cloud.db.read() as conn:
        row = conn.execute(sa.select(consents).where(consents.c.consent_id == consent_id)).one()
    assert (
        row.text_sha256
        == text.sha256
        == hashlib.sha256("我们将生成面部特征模板。是否同意？".encode()).hexdigest()
    )
    assert row.accepted_at == accepted_at
    received = datetime.fromisoformat(row.received_at)
    assert before <= received <= datetime.now(UTC)
    assert (row.kind, row.text_version, row.language) == ("face_pay", text.version, "en")
    assert row.withdrawn_at is None


def test_an_unknown_version_language_or_kind_is_refused(cloud: Cloud) -> None:
    text = new_text(kind="face_pay", language="en")
    with cloud.db.write() as conn:
        consent_registry.register(conn, text)

    refusals = [
        refusal(cloud, text, text_version="1999-01-v0"),
        refusal(cloud, text, language="zh_CN"),
        refusal(cloud, text, kind="membership"),
    ]

    assert {error.code for error in refusals} == {"consent_unknown_version"}


def test_a_consent_given_in_the_future_or_long_ago_is_refused(cloud: Cloud) -> None:
    text = new_text()
    with cloud.db.write() as conn:
        consent_registry.register(conn, text)
    now = datetime.now(UTC)

    future = refusal(cloud, text, accepted_at=(now + timedelta(minutes=30)).isoformat())
    stale = refusal(cloud, text, accepted_at=(now - timedelta(days=31)).isoformat())
    no_offset = refusal(cloud, text, accepted_at=now.replace(tzinfo=None).isoformat())
    record(cloud, text, accepted_at=(now + timedelta(minutes=1)).isoformat())  # clock skew

    assert (future.code, stale.code, no_offset.code) == (
        "consent_in_future",
        "consent_too_old",
        "invalid",
    )


def test_a_registered_text_is_never_edited(cloud: Cloud) -> None:
    text = new_text(kind="membership", words="Join?")
    with cloud.db.write() as conn:
        consent_registry.register(conn, text)

    with cloud.db.write() as conn:
        again = consent_registry.register(conn, text)
        with pytest.raises(RegistryError, match="never edited"):
            consent_registry.register(conn, ConsentText(text.version, "en", "membership", "Join!"))
        with pytest.raises(RegistryError, match="one version is one kind"):
            consent_registry.register(conn, ConsentText(text.version, "en", "face_pay", "Join?"))
        with pytest.raises(RegistryError, match="language"):
            consent_registry.register(conn, ConsentText(text.version, "fr", "membership", "Oui?"))

    assert again is False


def test_the_tills_texts_are_registered_once(cloud: Cloud) -> None:
    with cloud.db.write() as conn:
        added = consent_registry.seed_texts(conn, consent_registry.terminal_texts())
        found = {
            (t.version, t.language, t.kind): t.sha256 for t in consent_registry.registered(conn)
        }

    assert added == 0  # the server registered them when it started
    for kind in ("membership", "face_pay"):
        text = current(kind)
        for language in ("zh_CN", "en"):
            words = text.text(language)
            assert (
                found[(text.version, language, kind)]
                == ConsentText(text.version, language, kind, words).sha256
            )


def test_tills_read_the_registry(cloud: Cloud) -> None:
    device = cloud.new_device()

    everything = device.http.get("/v1/consent-texts")
    face_pay = device.http.get("/v1/consent-texts", params={"kind": "face_pay"})
    anonymous = cloud.client().get("/v1/consent-texts")

    assert everything.status_code == 200, everything.text
    entries = everything.json()["texts"]
    current_face_pay = current("face_pay")
    [entry] = [
        e for e in entries if e["version"] == current_face_pay.version and e["language"] == "en"
    ]
    assert entry["text"] == current_face_pay.en
    assert entry["sha256"] == ConsentText(entry["version"], "en", "face_pay", entry["text"]).sha256
    assert {e["kind"] for e in face_pay.json()["texts"]} == {"face_pay"}
    assert anonymous.status_code == 401


def test_an_operator_registers_and_lists_texts_from_the_command_line(
    cloud: Cloud, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = cloud.db.url.render_as_string(hide_password=False)
    version = f"cli-{uuid.uuid4().hex[:10]}"
    words = tmp_path / "face_pay_en.txt"
    words.write_text("Pay by face? We keep a template, sealed.\n", encoding="utf-8")
    add = ["consents", "add", "--db", db, "--version", version, "--language", "en"]

    first = main([*add, "--kind", "face_pay", "--file", str(words)])
    again = main([*add, "--kind", "face_pay", "--file", str(words)])
    other_kind = main([*add, "--kind", "membership", "--file", str(words)])
    capsys.readouterr()
    listed = main(["consents", "list", "--db", db, "--kind", "face_pay", "--json"])

    assert (first, again, other_kind, listed) == (0, 0, 1, 0)
    [entry] = [e for e in json.loads(capsys.readouterr().out) if e["version"] == version]
    assert entry["text"] == "Pay by face? We keep a template, sealed."  # no final line break
    assert entry["sha256"] == hashlib.sha256(entry["text"].encode()).hexdigest()
