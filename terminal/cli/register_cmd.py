"""``facepay-terminal register --cloud URL --code CODE``: enrol this device with the cloud."""

from __future__ import annotations

import argparse
import json
import sys

from terminal.cli import exit_codes
from terminal.cli.context import registration_for, secrets_path
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.sync.client import CloudClient, PermanentCloudError, TransientCloudError
from terminal.sync.registration import new_registration, save_registration


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("register", parents=[common], help="enrol with the cloud")
    parser.add_argument("--cloud", required=True, help="the cloud API, e.g. https://pay.example")
    parser.add_argument("--code", required=True, help="one-time enrollment code")
    parser.add_argument("--name", help="a name for this device in the cloud's list")
    parser.add_argument("--force", action="store_true", help="register again even if registered")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    existing = registration_for(args, settings)
    cloud = args.cloud.rstrip("/")
    if existing is not None and not args.force:
        same = existing.cloud_url == cloud
        _print(args, existing.device_id, existing.store_id, cloud, "already registered")
        if not same:
            print(
                f"this device is registered with {existing.cloud_url}; "
                "use --force to register it with another cloud",
                file=sys.stderr,
            )
            return exit_codes.BAD_INPUT
        return exit_codes.OK
    with CloudClient(cloud) as client:
        try:
            answer = client.register(args.code, args.name)
        except TransientCloudError as exc:
            print(f"cannot reach the cloud at {cloud}: {exc}", file=sys.stderr)
            return exit_codes.CLOUD
        except PermanentCloudError as exc:
            print(f"the cloud refused the code: {exc}", file=sys.stderr)
            return exit_codes.BAD_INPUT
    registration = new_registration(cloud, answer, utc_now(), keep_key_of=existing)
    save_registration(secrets_path(args, settings), registration)
    _print(args, registration.device_id, registration.store_id, cloud, "registered")
    return exit_codes.OK


def _print(args: argparse.Namespace, device_id: str, store_id: str, cloud: str, what: str) -> None:
    if args.json:
        print(
            json.dumps(
                {"status": what, "device_id": device_id, "store_id": store_id, "cloud": cloud}
            )
        )
    else:
        print(f"{what}: device {device_id} of store {store_id} at {cloud}")
