"""Registering the device with its one-time code, through the terminal's own functions
(the ones ``facepay-terminal register`` uses), and keeping the secrets file private.

A device already registered with the same cloud is left alone (the code is not spent
again); one registered with another cloud is refused: wipe it first.
"""

from __future__ import annotations

import os
import socket
import stat

from deploy.provision import exit_codes
from deploy.provision.errors import ProvisionError
from deploy.provision.options import Options
from deploy.provision.ownership import give_to_service_user
from deploy.provision.report import Status, StepResult
from terminal.clock import utc_now
from terminal.sync.client import (
    CloudClient,
    InsecureCloudUrlError,
    PermanentCloudError,
    RateLimitedCloudError,
    TransientCloudError,
)
from terminal.sync.registration import (
    SECRETS_MODE,
    Registration,
    RegistrationError,
    load_registration,
    new_registration,
    save_registration,
)


def current(options: Options) -> Registration | None:
    try:
        return load_registration(options.layout.secrets_path)
    except RegistrationError as exc:
        raise ProvisionError(
            f"{exc} (or run 'facepay-provision wipe' first)", exit_codes.CONFIG
        ) from None


def run(options: Options) -> tuple[StepResult, Registration | None]:
    existing = current(options)
    cloud = (options.cloud or "").rstrip("/")
    path = options.layout.secrets_path
    if existing is not None:
        if cloud and existing.cloud_url != cloud:
            raise ProvisionError(
                f"this device is registered with {existing.cloud_url}, not {cloud}; run "
                "'facepay-provision wipe' first to move it",
                exit_codes.CONFIG,
            )
        notes = [f"registered as {existing.device_id}"]
        drift = _permission_drift(options)
        if drift and options.check:
            return StepResult("register", Status.DRIFT, f"{notes[0]}; {drift}"), existing
        warnings = [] if options.check else _protect(options)
        status = Status.CHANGED if drift else Status.UNCHANGED
        return StepResult(
            "register",
            status,
            "; ".join([*notes, *([f"fixed {drift}"] if drift else [])]),
            warnings=warnings,
        ), existing
    if options.check:
        return StepResult("register", Status.DRIFT, "not registered"), None
    if not options.code:
        raise ProvisionError("this device is not registered: give --code", exit_codes.BAD_CODE)
    name = options.device_name or socket.gethostname()
    with _client(cloud) as client:
        try:
            answer = client.register(options.code, name)
        except RateLimitedCloudError as exc:
            wait = f"{exc.retry_after_s:.0f} s" if exc.retry_after_s is not None else "a while"
            raise ProvisionError(
                f"the cloud at {cloud} refuses registrations from this address for {wait} "
                "(too many failed codes); wait, then run again with a valid code",
                exit_codes.BAD_CODE,
            ) from None
        except TransientCloudError as exc:
            raise ProvisionError(
                f"cannot reach the cloud at {cloud}: {exc}", exit_codes.CLOUD
            ) from None
        except PermanentCloudError as exc:
            raise ProvisionError(
                f"the cloud refused the code {options.code!r}: {exc}; ask for a new code",
                exit_codes.BAD_CODE,
            ) from None
    registration = new_registration(cloud, answer, utc_now(), keep_key_of=None)
    try:
        save_registration(path, registration)
    except OSError as exc:
        # The code is spent now: say so, or the technician retries with a dead code.
        raise ProvisionError(
            f"registered as {registration.device_id}, but the secrets file {path} cannot be "
            f"written ({exc}); fix the permissions and run again with a NEW code",
            exit_codes.PERMISSIONS,
        ) from None
    warnings = _protect(options)
    return StepResult(
        "register", Status.CHANGED, f"registered as {registration.device_id}", warnings=warnings
    ), registration


def _client(cloud: str) -> CloudClient:
    try:
        return CloudClient(cloud)
    except InsecureCloudUrlError as exc:
        raise ProvisionError(str(exc), exit_codes.USAGE) from None


def _permission_drift(options: Options) -> str | None:
    mode = stat.S_IMODE(options.layout.secrets_path.stat().st_mode)
    if mode != SECRETS_MODE:
        return f"secrets file mode {mode:o}, should be {SECRETS_MODE:o}"
    return None


def _protect(options: Options) -> list[str]:
    path = options.layout.secrets_path
    os.chmod(path, SECRETS_MODE)
    return give_to_service_user(options, [path])
