"""Security review, issue 13: plain http carried the device token and payment codes to any
host. The cloud client now refuses a plain ``http://`` URL unless the host is this machine,
before a byte is sent; the commands that take a cloud URL (``facepay-terminal register``,
``facepay-provision``) say so with an exit code, not a traceback, and write nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deploy.provision import exit_codes as provision_exit
from terminal.__main__ import main as facepay_terminal
from terminal.cli import exit_codes
from terminal.errors import InputError
from terminal.sync.client import CloudClient, InsecureCloudUrlError
from tests.support.provisioning import files_below, provision

LOOPBACK = (
    "http://127.0.0.1:8080",
    "http://127.8.9.10",
    "http://localhost:9/",
    "http://LOCALHOST",
    "http://[::1]:8080",
    "https://pay.example",
    "https://203.0.113.5:8443/base/",
)
REFUSED = (
    "http://pay.example",
    "http://203.0.113.5:8080",
    "http://[2001:db8::1]",
    "http://localhost.pay.example",  # a name that only starts like this machine's
    "http://127.0.0.1.nip.io",
    "ftp://pay.example",
    "pay.example",
    "",
)


@pytest.mark.parametrize("url", LOOPBACK)
def test_https_anywhere_and_plain_http_to_this_machine_are_accepted(url: str) -> None:
    with CloudClient(url, "token") as client:
        assert client.base_url == url.rstrip("/")


@pytest.mark.parametrize("url", REFUSED)
def test_plain_http_to_another_host_is_refused_before_anything_is_sent(url: str) -> None:
    with pytest.raises(InsecureCloudUrlError) as refused:
        CloudClient(url, "token")
    assert isinstance(refused.value, InputError)  # the CLI prints it and exits 1
    assert "https://" in str(refused.value)
    if url:
        assert url in str(refused.value)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in [k for k in os.environ if k.startswith("FACEPAY_")]:
        monkeypatch.delenv(key)


@pytest.mark.usefixtures("clean_env")
def test_register_refuses_a_plain_http_cloud_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "till.db"
    code = facepay_terminal(
        ["register", "--cloud", "http://pay.example", "--code", "ABCD2345EF", "--db", str(db)]
    )
    err = capsys.readouterr().err
    assert code == exit_codes.BAD_INPUT
    assert "http://pay.example" in err and "https://" in err
    assert "Traceback" not in err
    assert not (tmp_path / "till.secrets.json").exists()


def test_provisioning_refuses_a_plain_http_cloud_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "device"
    run = provision(capsys, root, "--code", "ABCD2345EF", cloud="http://pay.example")
    assert run.code == provision_exit.USAGE
    assert "https://" in run.report["error"] and "http://pay.example" in run.report["error"]
    assert files_below(root) == []
