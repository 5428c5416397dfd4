"""The order of the steps, and what a failure does to the rest of them.

Preflight changes nothing; registration comes before anything is written (a wrong code
must leave the device untouched); each later step is idempotent, so running the whole
thing again only changes what differs. ``--check`` runs the same steps read-only and
reports drift.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable

from deploy.provision import (
    config_file,
    enrol,
    exit_codes,
    first_sync,
    hardware,
    model_files,
    preflight,
    units,
)
from deploy.provision.errors import ProvisionError
from deploy.provision.options import Options
from deploy.provision.ownership import give_to_service_user, service_owner
from deploy.provision.report import Report, Status, StepResult
from terminal.sync.registration import Registration

Step = Callable[[Options, Registration], StepResult]
LATER_STEPS: list[tuple[str, Step]] = [
    ("config", config_file.run),
    ("models", model_files.run),
    ("sync", first_sync.run),
    ("hardware", lambda options, _registration: hardware.run(options)),
    ("units", lambda options, _registration: units.run(options)),
    ("ownership", lambda options, _registration: _ownership(options)),
]
ALL_STEPS = ["preflight", "register", *(name for name, _ in LATER_STEPS)]


def provision(options: Options) -> Report:
    report = Report("check" if options.check else "provision")
    started = time.monotonic()
    name = "preflight"
    try:
        if options.check:
            report.add(StepResult(name, Status.SKIPPED, "not run by --check"))
        else:
            report.add(preflight.run(options))
        name = "register"
        step, registration = enrol.run(options)
        report.add(step)
        if registration is not None:
            report.device_id, report.store_id = registration.device_id, registration.store_id
        for name, run in LATER_STEPS:
            if registration is None:  # --check on a device never registered
                if name == "units":
                    report.add(units.run(options))
                else:
                    report.add(StepResult(name, Status.SKIPPED, "not registered"))
                continue
            report.add(_run(run, name, options, registration))
    except ProvisionError as exc:
        report.add(StepResult(name, Status.FAILED, str(exc)))
        report.exit_code, report.error = exc.exit_code, str(exc)
        done = {step.name for step in report.steps}
        for rest in ALL_STEPS:
            if rest not in done:
                report.add(StepResult(rest, Status.SKIPPED, f"{name} failed"))
    drifted = any(step.status is Status.DRIFT for step in report.steps)
    if options.check and report.exit_code == exit_codes.OK and drifted:
        report.exit_code = exit_codes.DRIFT
    report.seconds = time.monotonic() - started
    return report


def _run(run: Step, name: str, options: Options, registration: Registration) -> StepResult:
    if not options.check:
        return _guarded(run, name, options, registration)
    try:
        return _guarded(run, name, options, registration)
    except ProvisionError as exc:
        # --check reports what it can: an unreachable cloud is not drift of this device.
        return StepResult(name, Status.WARNING, f"could not check: {exc}", warnings=[str(exc)])


def _guarded(run: Step, name: str, options: Options, registration: Registration) -> StepResult:
    """The file-system errors every step can meet, as the failure kinds they are."""
    try:
        return run(options, registration)
    except PermissionError as exc:
        hint = "run as root (sudo)" if options.layout.root is None else "check --root"
        raise ProvisionError(f"{name}: {exc}; {hint}", exit_codes.PERMISSIONS) from None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise ProvisionError(f"{name}: the disk is full ({exc})", exit_codes.DISK) from None
        raise


def _ownership(options: Options) -> StepResult:
    if options.check:
        return StepResult("ownership", Status.SKIPPED, "not checked")
    layout = options.layout
    owner = service_owner(options)
    if owner is None:
        return StepResult(
            "ownership", Status.OK, "chown skipped: not root, or --root not owned by root"
        )
    warnings = give_to_service_user(options, [layout.data_dir])
    if warnings:
        return StepResult("ownership", Status.WARNING, "not changed", warnings=warnings)
    return StepResult("ownership", Status.OK, f"{layout.data_dir} owned by {options.user}")
