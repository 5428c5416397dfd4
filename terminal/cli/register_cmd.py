"""``facepay-terminal register --cloud URL --code CODE``: enrol this device with the cloud.

``--force`` registers a registered device again (a new device id and token, the template
key kept) and then revokes the old token through the API, so a copy of the old secrets
file is worth nothing. When the old token cannot be revoked (the old cloud is out of
reach) the new registration still stands, and the warning names the command an operator
runs to revoke it.
"""

from __future__ import annotations

import argparse
import json
import sys

from terminal.cli import exit_codes
from terminal.cli.context import registration_for, secrets_path
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.sync.client import (
    AuthError,
    CloudClient,
    CloudError,
    InsecureCloudUrlError,
    PermanentCloudError,
    RateLimitedCloudError,
    TransientCloudError,
    check_cloud_url,
)
from terminal.sync.registration import (
    Registration,
    RegistrationError,
    new_registration,
    save_registration,
)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("register", parents=[common], help="enrol with the cloud")
    parser.add_argument("--cloud", required=True, help="the cloud API, e.g. https://pay.example")
    parser.add_argument("--code", required=True, help="one-time enrollment code")
    parser.add_argument("--name", help="a name for this device in the cloud's list")
    parser.add_argument(
        "--force",
        action="store_true",
        help="register again even if registered; the old token is revoked",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    cloud = check_cloud_url(args.cloud)  # plain http to another host: refused, exit 1
    existing = _existing(args, settings)
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
        except RateLimitedCloudError as exc:
            wait = f" in {exc.retry_after_s:.0f} s" if exc.retry_after_s is not None else " later"
            print(
                f"the cloud at {cloud} refuses registrations from this address for now (too "
                f"many failed attempts); try again{wait} with a valid code",
                file=sys.stderr,
            )
            return exit_codes.CLOUD
        except TransientCloudError as exc:
            print(f"cannot reach the cloud at {cloud}: {exc}", file=sys.stderr)
            return exit_codes.CLOUD
        except PermanentCloudError as exc:
            print(f"the cloud refused the code: {exc}", file=sys.stderr)
            return exit_codes.BAD_INPUT
    registration = new_registration(cloud, answer, utc_now(), keep_key_of=existing)
    save_registration(secrets_path(args, settings), registration)
    replaced: dict[str, object] = {}
    if existing is not None:
        replaced = {"old_device_id": existing.device_id, "old_token_revoked": _revoke_old(existing)}
    _print(
        args, registration.device_id, registration.store_id, cloud, "registered", replaced=replaced
    )
    return exit_codes.OK


def _existing(args: argparse.Namespace, settings: Settings) -> Registration | None:
    try:
        return registration_for(args, settings)
    except RegistrationError as exc:
        if not args.force:
            raise
        # Its token cannot be read, so it cannot be revoked from here.
        print(
            f"warning: {exc}; registering anew. If the damaged file held a token, it stays "
            "valid until an operator revokes it ('facepay-cloud devices list', then "
            "'facepay-cloud devices revoke <id>')",
            file=sys.stderr,
        )
        return None


def _revoke_old(old: Registration) -> bool:
    """Revoke the replaced registration's token; True once it is no longer valid. Failing
    is a warning, not a failure: the new registration is saved and works."""
    try:
        with CloudClient(old.cloud_url, old.token) as client:
            client.revoke_self()
    except AuthError:
        print(f"the old token of device {old.device_id} was already not valid", file=sys.stderr)
        return True
    except (CloudError, InsecureCloudUrlError) as exc:
        print(
            f"warning: could not revoke the old token of device {old.device_id} at "
            f"{old.cloud_url} ({exc}); it stays valid until an operator runs "
            f"'facepay-cloud devices revoke {old.device_id}'",
            file=sys.stderr,
        )
        return False
    print(f"revoked the old token of device {old.device_id}", file=sys.stderr)
    return True


def _print(
    args: argparse.Namespace,
    device_id: str,
    store_id: str,
    cloud: str,
    what: str,
    *,
    replaced: dict[str, object] | None = None,
) -> None:
    if args.json:
        document = {"status": what, "device_id": device_id, "store_id": store_id, "cloud": cloud}
        print(json.dumps({**document, **(replaced or {})}))
    else:
        print(f"{what}: device {device_id} of store {store_id} at {cloud}")
