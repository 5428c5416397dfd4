"""The terminal's configuration file (``terminal.toml``): what provisioning owns in it
(device id, store, db, secrets, models folder) merged into whatever else a technician set
(time zone, code layouts), validated by the terminal's own ``load_settings`` before it is
put in place, written atomically, the previous different file kept as
``terminal.toml.bak-<UTC timestamp>``.
"""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from deploy.provision import exit_codes
from deploy.provision.atomic_file import write_atomically
from deploy.provision.errors import ProvisionError
from deploy.provision.options import Options
from deploy.provision.report import Status, StepResult
from terminal.clock import utc_now
from terminal.config import ConfigError, load_settings
from terminal.sync.registration import Registration

HEADER = (
    "# facepay-terminal settings, written by facepay-provision.\n"
    "# device, store.name and storage are set by provisioning; other keys are kept.\n"
)


def desired(options: Options, registration: Registration, with_models: bool) -> dict[str, Any]:
    layout = options.layout
    document = _existing_document(layout.config_path)
    document.setdefault("device", {})["id"] = registration.device_id
    document.setdefault("store", {}).setdefault("name", registration.store_id)
    storage = document.setdefault("storage", {})
    storage["db"] = str(layout.db_path)
    storage["secrets"] = str(layout.secrets_path)
    if with_models:
        document.setdefault("models", {})["dir"] = str(layout.models_dir)
    else:
        document.pop("models", None)
    return document


def run(options: Options, registration: Registration) -> StepResult:
    path = options.layout.config_path
    old = path.read_bytes() if path.exists() else None
    notes: list[str] = []
    text = render(desired(options, registration, with_models=True))
    try:
        _validate_text(text, registration)
    except ConfigError as exc:
        if "[models]" not in str(exc):
            raise ProvisionError(
                f"the configuration would be invalid: {exc}", exit_codes.CONFIG
            ) from None
        # This terminal release does not read [models] yet: leave it out rather than
        # write a file the terminal refuses to start with. The unit passes the folder.
        text = render(desired(options, registration, with_models=False))
        try:
            _validate_text(text, registration)
        except ConfigError as again:
            raise ProvisionError(
                f"the configuration would be invalid: {again}", exit_codes.CONFIG
            ) from None
        notes.append("models.dir left out (this terminal does not read it)")
    data = text.encode()
    if old == data:
        return StepResult("config", Status.UNCHANGED, "; ".join([str(path), *notes]))
    if options.check:
        what = "missing" if old is None else "differs"
        return StepResult("config", Status.DRIFT, f"{path} {what}")
    if old is not None:
        backup = path.with_name(f"{path.name}.bak-{utc_now():%Y%m%dT%H%M%SZ}")
        shutil.copy2(path, backup)
        notes.append(f"previous kept as {backup.name}")
    write_atomically(path, data, 0o644)
    return StepResult("config", Status.CHANGED, "; ".join([f"wrote {path}", *notes]))


def render(document: dict[str, Any]) -> str:
    """TOML for the flat tables the terminal's schema allows (no TOML writer in the
    dependencies, and the schema has only strings, numbers, booleans and lists)."""
    parts = [HEADER]
    for section, body in document.items():
        parts.append(f"\n[{section}]\n")
        for key, value in body.items():
            parts.append(f"{key} = {_value(value)}\n")
    return "".join(parts)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {value!r} to TOML")


def _existing_document(path: Path) -> dict[str, Any]:
    """Keys a technician set are kept; a file that does not parse is replaced (and backed
    up), since the terminal would not start with it anyway."""
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {k: dict(v) for k, v in document.items() if isinstance(v, dict)}


def _validate_text(text: str, registration: Registration) -> None:
    # Checked from a temp file outside the target folders: --check must write nothing
    # there, and a refused file must never sit where the terminal would read it.
    with tempfile.TemporaryDirectory(prefix="facepay-provision-") as folder:
        probe = Path(folder) / "terminal.toml"
        probe.write_text(text, encoding="utf-8")
        # No environment: FACEPAY_* of the technician's shell must not mask an error.
        settings = load_settings(probe, env={})
    if settings.device_id != registration.device_id:
        raise ConfigError(f"device.id is {settings.device_id}, not {registration.device_id}")
