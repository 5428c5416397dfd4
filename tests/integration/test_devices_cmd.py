"""``facepay-terminal devices``: lists what there is, and exits 0 when there is nothing."""

from __future__ import annotations

import argparse
import json

import pytest

from terminal.cli import devices_cmd, exit_codes
from terminal.config import Settings


def parse(argv: list[str]) -> argparse.Namespace:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config")
    parser = argparse.ArgumentParser(prog="facepay-terminal")
    devices_cmd.register(parser.add_subparsers(dest="command", required=True), common)
    return parser.parse_args(argv)


def test_devices_json_lists_ports_and_cameras(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parse(["devices", "--json"])
    assert args.handler(args, settings) == exit_codes.OK
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"serial_ports", "cameras"}
    assert isinstance(document["cameras"], list)  # [] on a machine without a camera
    for port in document["serial_ports"]:
        assert {"device", "description", "hwid", "vid", "pid"} <= set(port)


def test_devices_text_lists_both_kinds(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    args = parse(["devices"])
    assert args.handler(args, settings) == exit_codes.OK
    out = capsys.readouterr().out
    assert "Serial ports:" in out
    assert "Cameras:\n" in out
