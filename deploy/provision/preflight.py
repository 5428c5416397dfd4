"""Checks of the machine before anything is changed: Python, disk space, clock against the
cloud, write access. Each failure stops the run with its own exit code; nothing here
writes anything (a write-access probe would leave traces under a fresh --root)."""

from __future__ import annotations

import os
import shutil
import sys
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from deploy.provision import exit_codes
from deploy.provision.atomic_file import nearest_existing
from deploy.provision.errors import ProvisionError
from deploy.provision.options import Options
from deploy.provision.report import Status, StepResult

MIN_PYTHON = (3, 11)
CLOCK_REFUSE_S = 60.0  # certificates, token expiry and order times go wrong beyond this
CLOCK_WARN_S = 5.0


def run(options: Options) -> StepResult:
    warnings: list[str] = []
    notes = [check_python(), check_writable(options), check_disk(options)]
    if options.cloud:
        offset = clock_offset(options.cloud)
        notes.append(f"clock offset {offset:+.1f} s")
        warning = judge_offset(offset)
        if warning:
            warnings.append(warning)
    return StepResult(
        "preflight",
        Status.WARNING if warnings else Status.OK,
        "; ".join(notes),
        warnings=warnings,
    )


def check_python() -> str:
    if sys.version_info < MIN_PYTHON:
        raise ProvisionError(
            f"Python {sys.version.split()[0]} is too old: the terminal needs "
            f"{'.'.join(map(str, MIN_PYTHON))} or newer",
            exit_codes.PLATFORM,
        )
    return f"python {sys.version_info.major}.{sys.version_info.minor}"


def check_writable(options: Options) -> str:
    for target in options.layout.target_dirs():
        hit = nearest_existing(target)
        if not hit.is_dir():
            raise ProvisionError(
                f"{hit} is in the way of {target}: not a folder", exit_codes.PERMISSIONS
            )
        # X as well as W: creating below a folder needs both.
        if not os.access(hit, os.W_OK | os.X_OK):
            hint = "run as root (sudo)" if options.layout.root is None else "check --root"
            raise ProvisionError(
                f"cannot write {target} ({hit} is not writable); {hint}", exit_codes.PERMISSIONS
            )
    return "target folders writable"


def check_disk(options: Options) -> str:
    where = nearest_existing(options.layout.data_dir)
    free_mb = shutil.disk_usage(where).free // (1024 * 1024)
    if free_mb < options.min_free_mb:
        raise ProvisionError(
            f"only {free_mb} MB free on {where}; at least {options.min_free_mb} MB are "
            "needed for the models and the store (see --min-free-mb)",
            exit_codes.DISK,
        )
    return f"{free_mb} MB free"


def clock_offset(cloud: str) -> float:
    """Seconds the local clock is behind (+) or ahead (-) of the cloud's, from the Date
    header of ``/v1/health`` (whole seconds, hence half a second of slack)."""
    url = cloud.rstrip("/") + "/v1/health"
    try:
        before = time.time()
        response = httpx.get(url, timeout=10)
        after = time.time()
    except httpx.HTTPError as exc:
        raise ProvisionError(
            f"cannot reach the cloud at {cloud}: {exc or type(exc).__name__}", exit_codes.CLOUD
        ) from None
    if response.status_code != 200:
        raise ProvisionError(
            f"the cloud at {cloud} is not healthy: {response.status_code} {response.text[:200]}",
            exit_codes.CLOUD,
        )
    header = response.headers.get("date")
    if not header:
        raise ProvisionError(
            f"the cloud at {cloud} sends no Date header; cannot check the clock", exit_codes.CLOUD
        )
    try:
        server = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        raise ProvisionError(
            f"the cloud's Date header {header!r} is malformed", exit_codes.CLOUD
        ) from None
    local = datetime.fromtimestamp((before + after) / 2, UTC)
    # The header drops the fraction: the server's true time is on average 0.5 s later.
    return server.timestamp() + 0.5 - local.timestamp()


def judge_offset(offset: float) -> str | None:
    """Refuse a clock far off (raises); a warning for a small drift; None when fine."""
    if abs(offset) > CLOCK_REFUSE_S:
        raise ProvisionError(
            f"the clock is {abs(offset):.0f} s {'behind' if offset > 0 else 'ahead of'} the "
            "cloud's; set the time (timedatectl set-ntp true) and run again",
            exit_codes.CLOCK,
        )
    if abs(offset) > CLOCK_WARN_S:
        return f"the clock is {offset:+.1f} s off the cloud's; enable NTP (timedatectl)"
    return None
