"""Typed settings of one terminal, from a TOML file plus environment overrides.

Loaded once at start-up and validated; every error names the offending key and the file,
so a technician can fix it without reading code. Unknown keys are errors too: a typo such
as ``synchronus`` must not silently fall back to a default.

Environment: ``FACEPAY_CONFIG`` (file path), ``FACEPAY_DEVICE_ID``, ``FACEPAY_DB``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from terminal.domain.codes import WeighedCodeLayout
from terminal.domain.errors import DomainError
from terminal.domain.order_number import check_device_id

DEFAULT_WEIGHED_PATTERN = "FFIIIIIVVVVVC"
DEFAULT_WEIGHED_PREFIXES = tuple(str(n) for n in range(20, 30))


class ConfigError(Exception):
    """A setting is missing, malformed or out of range; the message names it."""


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "facepay-terminal"


@dataclass(frozen=True, slots=True)
class Settings:
    device_id: str = "T01"
    store_name: str = "Demo Store"
    timezone: str = "Asia/Shanghai"
    currency_symbol: str = "¥"
    db_path: Path = field(default_factory=lambda: default_data_dir() / "terminal.db")
    synchronous: str = "FULL"
    secrets_path: Path | None = None  # None: beside the store, <db>.secrets.json
    models_dir: Path | None = None  # where provisioning put the face models
    weighed_layout: WeighedCodeLayout = field(
        default_factory=lambda: WeighedCodeLayout.from_config(
            DEFAULT_WEIGHED_PATTERN, list(DEFAULT_WEIGHED_PREFIXES), "price"
        )
    )
    source: str = "defaults"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# section -> key -> expected type; the single list of what a config file may hold.
_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "device": {"id": str},
    "store": {"name": str, "timezone": str, "currency_symbol": str},
    "storage": {"db": str, "synchronous": str, "secrets": str},
    "codes": {"weighed_pattern": str, "weighed_prefixes": list, "weighed_value": str},
    "models": {"dir": str},
}


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    if path is None and env.get("FACEPAY_CONFIG"):
        path = Path(env["FACEPAY_CONFIG"])
    raw: dict[str, Any] = {}
    source = "defaults"
    if path is not None:
        raw = _read_toml(path)
        source = str(path)
    _check_shape(raw, source)

    def get(section: str, key: str, default: Any) -> Any:
        return raw.get(section, {}).get(key, default)

    defaults = Settings()
    device_id = env.get("FACEPAY_DEVICE_ID") or get("device", "id", defaults.device_id)
    db = env.get("FACEPAY_DB") or get("storage", "db", None)
    values = {
        "device_id": device_id,
        "store_name": get("store", "name", defaults.store_name),
        "timezone": get("store", "timezone", defaults.timezone),
        "currency_symbol": get("store", "currency_symbol", defaults.currency_symbol),
        "db_path": Path(db).expanduser() if db else defaults.db_path,
        "synchronous": str(get("storage", "synchronous", defaults.synchronous)).upper(),
        "secrets_path": Path(get("storage", "secrets", "")).expanduser()
        if get("storage", "secrets", "")
        else None,
        "models_dir": Path(get("models", "dir", "")).expanduser()
        if get("models", "dir", "")
        else None,
    }
    try:
        check_device_id(values["device_id"])
    except DomainError as exc:
        raise ConfigError(f"{source}: device.id: {exc}") from None
    try:
        ZoneInfo(values["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{source}: store.timezone: unknown time zone {values['timezone']!r} "
            "(use a name like Asia/Shanghai)"
        ) from None
    if values["synchronous"] not in ("FULL", "NORMAL"):
        raise ConfigError(f"{source}: storage.synchronous must be FULL or NORMAL")
    try:
        layout = WeighedCodeLayout.from_config(
            get("codes", "weighed_pattern", DEFAULT_WEIGHED_PATTERN),
            list(get("codes", "weighed_prefixes", list(DEFAULT_WEIGHED_PREFIXES))),
            get("codes", "weighed_value", "price"),
        )
    except ValueError as exc:
        raise ConfigError(f"{source}: codes.weighed_*: {exc}") from None
    return Settings(**values, weighed_layout=layout, source=source)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def _check_shape(raw: Mapping[str, Any], source: str) -> None:
    for section, body in raw.items():
        if section not in _SCHEMA:
            raise ConfigError(f"{source}: unknown section [{section}]")
        if not isinstance(body, dict):
            raise ConfigError(f"{source}: [{section}] must be a table")
        for key, value in body.items():
            expected = _SCHEMA[section].get(key)
            if expected is None:
                raise ConfigError(f"{source}: unknown key {section}.{key}")
            if not isinstance(value, expected):
                kind = expected.__name__ if isinstance(expected, type) else "value"
                raise ConfigError(f"{source}: {section}.{key} must be a {kind}, got {value!r}")
