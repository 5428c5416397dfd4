"""``facepay-terminal sync [--once]`` and ``sync status [--json]``."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from types import FrameType

from terminal.cli import exit_codes
from terminal.cli.context import db_path, open_for, registration_for
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.storage.database import open_store
from terminal.sync.client import CloudClient
from terminal.sync.cycle import sync_once
from terminal.sync.member_keys import member_repository
from terminal.sync.registration import Registration
from terminal.sync.status import read_status
from terminal.sync.worker import SyncWorker


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("sync", parents=[common], help="sync with the cloud")
    parser.add_argument("action", nargs="?", choices=["status"], help="status: show, do not sync")
    parser.add_argument("--once", action="store_true", help="one cycle, then exit")
    parser.add_argument("--json", action="store_true", help="status as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    registration = registration_for(args, settings)
    if args.action == "status":
        db = open_for(args, settings)
        current = read_status(db, utc_now(), registered=registration is not None)
        if args.json:
            print(json.dumps(current.as_dict()))
        else:
            for key, value in current.as_dict().items():
                print(f"{key:>20}: {value}")
        return exit_codes.OK
    if registration is None:
        print(
            "this device is not registered: "
            "run 'facepay-terminal register --cloud URL --code CODE'",
            file=sys.stderr,
        )
        return exit_codes.CLOUD
    if args.once:
        db = open_for(args, settings)
        members = member_repository(db, registration)
        with CloudClient(registration.cloud_url, registration.token) as client:
            report = sync_once(db, client, members)
        print(
            f"sent {report.drain.sent}, parked {report.drain.dead}, catalog changes "
            f"{report.catalog_changes}, member changes {report.member_changes}"
        )
        current = read_status(db, utc_now(), registered=True)
        if current.dead:
            print(
                f"warning: {current.dead} entries are parked (refused by the cloud)",
                file=sys.stderr,
            )
        if report.error:
            print(f"sync stopped: {report.error}; {current.queued} still queued", file=sys.stderr)
            return exit_codes.CLOUD
        return exit_codes.OK
    return _run_until_stopped(args, settings, registration)


def _run_until_stopped(
    args: argparse.Namespace, settings: Settings, registration: Registration
) -> int:
    path = db_path(args, settings)
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker = SyncWorker(lambda: open_store(path), registration)
    worker.on_status(lambda s: print(json.dumps(s.as_dict()), flush=True))
    worker.start()
    stopped.wait()
    worker.stop()
    return exit_codes.OK
