"""``facepay-provision wipe``: decommission a till. Revokes the device's token in the
cloud, then removes the secrets (so the device is unregistered), the member gallery
(templates and members) and the orders the cloud has already accepted, in one
transaction on the store.

Refuses while the outbox still holds entries the cloud has not accepted (pending, or
parked as dead), showing how many, unless ``--force``: those orders exist nowhere else.
With --force they are deleted too. Refuses as well when the token cannot be revoked (the
cloud is out of reach, or the secrets file is unreadable), unless ``--offline``: then it
wipes and warns that the token stays valid until an operator revokes it, since a copy
of the secrets file would otherwise go on working. Deleted rows are overwritten
(``secure_delete``) and the WAL is truncated afterwards, so no old page of a template
survives in it. The catalog, the config, the models and the units stay: the device can
be provisioned again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from deploy.provision import exit_codes
from deploy.provision.atomic_file import fsync_dir
from deploy.provision.errors import ProvisionError
from deploy.provision.layout import Layout
from deploy.provision.report import Report, Status, StepResult
from terminal.config import ConfigError, load_settings
from terminal.errors import InputError
from terminal.sync.client import AuthError, CloudClient, CloudError
from terminal.sync.inbound import CLOUD_CONFIG, MEMBERS_CURSOR
from terminal.sync.registration import Registration, load_registration, secrets_path_for

# Member data goes; the member cursor must go with it, or a later registration would
# pull only changes after it and never get the gallery back.
_META_KEYS = (MEMBERS_CURSOR, CLOUD_CONFIG)


@dataclass(frozen=True)
class Targets:
    db_path: Path
    secrets_path: Path


def targets(layout: Layout) -> Targets:
    """The store and secrets the installed config names (a technician may have moved
    them), else the provisioning defaults."""
    if layout.config_path.exists():
        try:
            settings = load_settings(layout.config_path, env={})
        except ConfigError as exc:
            raise ProvisionError(
                f"cannot tell where the store is: {exc}", exit_codes.CONFIG
            ) from None
        return Targets(settings.db_path, secrets_path_for(settings.db_path, settings.secrets_path))
    return Targets(layout.db_path, layout.secrets_path)


def unsynced(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return int(
            conn.execute(
                "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'dead')"
            ).fetchone()[0]
        )
    except sqlite3.OperationalError:
        return 0  # no outbox table: a store never used
    finally:
        conn.close()


def wipe(layout: Layout, *, force: bool, offline: bool = False) -> Report:
    report = Report("wipe")
    where = targets(layout)
    waiting = unsynced(where.db_path)
    if waiting and not force:
        raise ProvisionError(
            f"{waiting} order(s) or record(s) have not reached the cloud yet; run "
            "'facepay-terminal sync --once' until none wait, or export them "
            "('facepay-terminal orders export --json') and wipe with --force",
            exit_codes.UNSYNCED,
        )
    # Before anything is deleted: a refusal here leaves the device as it was.
    report.add(_revoke_token(where.secrets_path, offline=offline))
    report.add(_wipe_store(where.db_path, waiting))
    report.add(_remove_secrets(where.secrets_path))
    return report


def _revoke_token(secrets_path: Path, *, offline: bool) -> StepResult:
    try:
        registration = load_registration(secrets_path)
    except InputError as exc:  # a damaged file: its token cannot be read
        return _not_revoked(None, f"the secrets file cannot be read ({exc})", offline=offline)
    if registration is None:
        return StepResult("revoke", Status.UNCHANGED, "not registered: no token to revoke")
    try:
        with CloudClient(registration.cloud_url, registration.token) as client:
            client.revoke_self()
    except AuthError:
        return StepResult(
            "revoke",
            Status.UNCHANGED,
            f"the token of device {registration.device_id} was already not valid",
        )
    except (CloudError, InputError) as exc:
        reason = f"cannot revoke the token at {registration.cloud_url}: {exc}"
        return _not_revoked(registration, reason, offline=offline)
    return StepResult(
        "revoke",
        Status.CHANGED,
        f"revoked the token of device {registration.device_id} at {registration.cloud_url}",
    )


def _not_revoked(registration: Registration | None, reason: str, *, offline: bool) -> StepResult:
    device = registration.device_id if registration is not None else "<id>"
    consequence = (
        f"the token of device {device} stays valid until an operator runs "
        f"'facepay-cloud devices revoke {device}'"
    )
    if registration is None:
        consequence += " (the device id is in 'facepay-cloud devices list')"
    if not offline:
        raise ProvisionError(
            f"{reason}; nothing was wiped. Run again when the cloud can be reached, or wipe "
            f"with --offline: then {consequence}",
            exit_codes.CLOUD,
        )
    warning = f"{reason}; {consequence}"
    return StepResult("revoke", Status.WARNING, "not revoked (--offline)", warnings=[warning])


def _wipe_store(db_path: Path, waiting: int) -> StepResult:
    if not db_path.exists():
        return StepResult("store", Status.UNCHANGED, f"no store at {db_path}")
    conn = sqlite3.connect(db_path, isolation_level=None, timeout=10)
    try:
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        counts: dict[str, int] = {}
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Children first: the foreign keys point from lines and payments to orders.
            for table in (
                "member_templates",
                "members",
                "order_lines",
                "payments",
                "orders",
                "outbox",
            ):
                counts[table] = conn.execute(f"DELETE FROM {table}").rowcount
            marks = ",".join("?" for _ in _META_KEYS)
            conn.execute(f"DELETE FROM meta WHERE key IN ({marks})", _META_KEYS)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        # The WAL still holds the old pages until a checkpoint: fold it in and truncate.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as exc:
        raise ProvisionError(
            f"cannot wipe the store {db_path}: {exc}", exit_codes.HARDWARE
        ) from None
    finally:
        conn.close()
    removed = sum(counts.values())
    detail = ", ".join(f"{n} {table}" for table, n in counts.items())
    if waiting:
        detail += f" ({waiting} unsynced entries discarded by --force)"
    return StepResult("store", Status.CHANGED if removed else Status.UNCHANGED, detail, data=counts)


def _remove_secrets(path: Path) -> StepResult:
    if not path.exists():
        return StepResult("secrets", Status.UNCHANGED, f"no secrets file at {path}")
    # Overwrite before unlinking: on most file systems the blocks are then not the token.
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.write(b"\0" * size)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)
    return StepResult("secrets", Status.CHANGED, f"removed {path}: the device is unregistered")
