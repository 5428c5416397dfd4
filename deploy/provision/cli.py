"""The ``facepay-provision`` command line: parse, confirm, run, print, exit.

``facepay-provision --cloud URL --code CODE [--root DIR] [--yes] [--json] [--check]``
provisions (or, with --check, reports drift); ``facepay-provision wipe`` decommissions.
A plain ``http://`` cloud other than this machine is refused before anything runs.
Without --yes it asks on the terminal, and refuses when there is no terminal to ask on:
a script must say --yes, a person at a keyboard can confirm. Exit codes: ``exit_codes``.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from deploy.provision import exit_codes, units
from deploy.provision.errors import ProvisionError
from deploy.provision.layout import Layout
from deploy.provision.options import DEFAULT_MIN_FREE_MB, DEFAULT_USER, Options
from deploy.provision.provisioning import provision
from deploy.provision.report import Report
from deploy.provision.wipe import wipe
from terminal.sync.client import InsecureCloudUrlError, check_cloud_url

Confirm = Callable[[str], bool]


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, help="write everything below DIR (no systemctl)")
    parser.add_argument(
        "--config-dir",
        type=Path,
        help="where terminal.toml goes (default /etc/facepay-terminal, below --root)",
    )
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more to stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facepay-provision",
        description="Provision a facepay terminal: check the machine, register with the "
        "cloud, write config and secrets, download and verify models, pull the catalog, "
        "test the hardware, install the services. Safe to run again.",
        epilog="'facepay-provision wipe --help' for decommissioning.",
    )
    parser.add_argument("--cloud", help="the cloud API, e.g. https://pay.example")
    parser.add_argument("--code", help="the one-time enrollment code for this device")
    parser.add_argument("--check", action="store_true", help="report drift, change nothing")
    parser.add_argument("--name", help="device name shown in the cloud (default: host name)")
    parser.add_argument(
        "--user", default=DEFAULT_USER, help="the service user (default %(default)s)"
    )
    parser.add_argument(
        "--min-free-mb",
        type=int,
        default=DEFAULT_MIN_FREE_MB,
        help="free disk space required (default %(default)s MB)",
    )
    parser.add_argument(
        "--camera",
        action="append",
        default=[],
        help="also test this camera source (index, /dev/videoN, rtsp://, file)",
    )
    parser.add_argument("--scanner", action="append", default=[], help="also test this serial port")
    _common(parser)
    return parser


def build_wipe_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facepay-provision wipe",
        description="Decommission: revoke the device's token in the cloud, remove the "
        "secrets, the member gallery and the synced orders; refuses while unsynced orders "
        "remain unless --force, and while the cloud cannot be reached unless --offline.",
    )
    parser.add_argument("--force", action="store_true", help="wipe even unsynced orders")
    parser.add_argument(
        "--offline",
        action="store_true",
        help="wipe even when the cloud cannot be reached to revoke the device's token "
        "(an operator must then revoke it)",
    )
    _common(parser)
    return parser


def main(argv: Sequence[str] | None = None, confirm: Confirm | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wiping = bool(argv) and argv[0] == "wipe"
    parser = build_wipe_parser() if wiping else build_parser()
    args = parser.parse_args(argv[1:] if wiping else argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    layout = Layout.for_root(args.root.absolute() if args.root else None, args.config_dir)
    action = "wipe" if wiping else "check" if args.check else "provision"
    if not wiping and not args.check and not args.cloud:
        parser.error("--cloud is required (and --code, unless already registered)")
    if not wiping and args.cloud:
        try:
            args.cloud = check_cloud_url(args.cloud)
        except InsecureCloudUrlError as exc:
            return _fail(args, action, exit_codes.USAGE, str(exc))
    if action != "check" and not args.yes:
        question = _question(action, layout, args)
        if not sys.stdin.isatty() and confirm is None:
            return _fail(
                args,
                action,
                exit_codes.USAGE,
                f"no terminal to confirm on: pass --yes to {action} without asking",
            )
        if not (confirm or _ask)(question):
            return _fail(args, action, exit_codes.USAGE, "not confirmed; nothing changed")
    try:
        report = (
            _wipe(layout, force=args.force, offline=args.offline)
            if wiping
            else provision(_options(args, layout))
        )
    except ProvisionError as exc:
        return _fail(args, action, exc.exit_code, str(exc))
    except Exception:
        traceback.print_exc()
        return _fail(args, action, exit_codes.INTERNAL, "unexpected error (traceback above)")
    _print(args, report)
    return report.exit_code


def _options(args: argparse.Namespace, layout: Layout) -> Options:
    return Options(
        layout=layout,
        cloud=args.cloud.rstrip("/") if args.cloud else None,
        code=args.code,
        device_name=args.name,
        user=args.user,
        min_free_mb=args.min_free_mb,
        check=args.check,
        extra_cameras=tuple(args.camera),
        extra_scanners=tuple(args.scanner),
    )


def _wipe(layout: Layout, *, force: bool, offline: bool) -> Report:
    if layout.root is None and shutil.which("systemctl"):
        # The till and the sync service hold the store open and would write to it again.
        subprocess.run(
            ["systemctl", "stop", *units.SERVICES], capture_output=True, timeout=60, check=False
        )
    return wipe(layout, force=force, offline=offline)


def _question(action: str, layout: Layout, args: argparse.Namespace) -> str:
    where = f" below {layout.root}" if layout.root else ""
    if action == "wipe":
        return (
            f"Revoke the token and wipe the secrets, members and synced orders of this "
            f"device{where}? [y/N] "
        )
    return f"Provision this device{where} with {args.cloud}? [y/N] "


def _ask(question: str) -> bool:
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


def _fail(args: argparse.Namespace, action: str, code: int, message: str) -> int:
    report = Report(action, exit_code=code, error=message)
    _print(args, report)
    return code


def _print(args: argparse.Namespace, report: Report) -> None:
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print(report.summary())
    if report.error:
        print(f"facepay-provision: {report.error}", file=sys.stderr)
