"""Typed settings of one terminal, from a TOML file plus environment overrides.

Loaded once at start-up and validated; every error names the offending key and the file,
so a technician can fix it without reading code. Unknown keys are errors too: a typo such
as ``synchronus`` must not silently fall back to a default.

Sections: ``[device] [store] [storage] [codes] [models]`` (the till and its store), and
the device's parts: ``[ui]`` (screens, language), ``[scanner]``, ``[scale]``, ``[camera]``,
``[face]``, ``[sync]`` (how often, how long to wait), ``[printer]``, ``[demo]``; each of
the latter is one small frozen dataclass on ``Settings`` (``settings.ui.language``),
defaults when the section is absent. Nothing here opens a device:
``terminal/cli/run_cmd.py`` builds the parts.

Environment: ``FACEPAY_CONFIG`` (file path), ``FACEPAY_DEVICE_ID``, ``FACEPAY_DB``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from drivers.printer.device import PrinterSettingError, parse_device
from terminal.domain.codes import WeighedCodeLayout
from terminal.domain.errors import DomainError
from terminal.domain.order_number import check_device_id

DEFAULT_WEIGHED_PATTERN = "FFIIIIIVVVVVC"
DEFAULT_WEIGHED_PREFIXES = tuple(str(n) for n in range(20, 30))
LANGUAGES = ("zh_CN", "en")
LIVENESS_SOURCES = ("models", "simulated")
DRAWER_PINS = ("pin2", "pin5", "none")
UiLanguage = Literal["zh_CN", "en"]
DrawerPin = Literal["pin2", "pin5", "none"]
LivenessSource = Literal["models", "simulated"]
# The same names as drivers.scale.settings.PROTOCOLS (a test keeps them equal).
SCALE_PROTOCOLS = ("toledo", "toledo-checksum")


class ConfigError(Exception):
    """A setting is missing, malformed or out of range; the message names it."""


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "facepay-terminal"


@dataclass(frozen=True, slots=True)
class UiSection:
    """``[ui]``: where the windows go and what they say."""

    cashier_screen: str | None = None  # a screen name (Qt's), None: the primary screen
    customer_screen: str | None = None  # None: the second screen, if there is one
    language: UiLanguage = "zh_CN"
    full_screen: bool = False
    thanks_s: float = 8.0  # how long the customer screen says thank you after a sale


@dataclass(frozen=True, slots=True)
class ScannerSection:
    """``[scanner]``: the serial barcode scanner; no port, no serial scanner."""

    port: str | None = None
    baud: int = 9600


@dataclass(frozen=True, slots=True)
class ScaleSection:
    """``[scale]``: the serial retail scale, off unless ``enabled`` (then ``port`` is
    required); ``protocol`` is its continuous output format (``SCALE_PROTOCOLS``)."""

    enabled: bool = False
    port: str | None = None
    baud: int = 9600
    protocol: str = "toledo"


@dataclass(frozen=True, slots=True)
class CameraSection:
    """``[camera]``: a device index ("0"), a video file, an image-sequence pattern or an
    rtsp/http URL; no source, no camera. ``width``/``height`` ask a device for a size."""

    source: str | None = None
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> tuple[int, int] | None:
        return (self.width, self.height) if self.width and self.height else None


@dataclass(frozen=True, slots=True)
class FaceSection:
    """``[face]``: face pay on or off, the debug folder (aligned crops are written there;
    off by default), and where liveness comes from: the anti-spoofing ``models``, or
    ``simulated`` (the demo camera's stand-in; never on a till that takes payments).
    ``run`` refuses both debug settings unless given ``--unsafe-debug``."""

    enabled: bool = True
    debug_dir: Path | None = None
    liveness: LivenessSource = "models"


@dataclass(frozen=True, slots=True)
class SyncSection:
    """``[sync]``: the sync worker's rhythm and its HTTP timeout, in seconds."""

    send_every_s: float = 3.0
    pull_every_s: float = 60.0
    timeout_s: float = 10.0


@dataclass(frozen=True, slots=True)
class SaleSection:
    """``[sale]``: how the cart and tenders behave. ``merge_scans``: a second scan of the
    same piece-priced item adds to its line's quantity; ``max_tender_multiple``: a cash
    tender above this many times the amount due (and above the amount due plus ¥100, so
    a big note on a small sale is fine) is a typing slip, refused."""

    merge_scans: bool = True
    max_tender_multiple: int = 20
    # A discount above this share of the amount needs a manager (on a till with staff).
    discount_limit_percent: int = 10


@dataclass(frozen=True, slots=True)
class PrinterSection:
    """``[printer]``: the ESC/POS receipt printer. ``device``: ``file:/path`` (the fake),
    ``serial:/dev/ttyUSB0[:baud]``, ``usb:/dev/usb/lp0`` or ``tcp:HOST[:9100]``; none, or
    ``enabled = false``, no printer. ``paper_mm``: 58 or 80; ``drawer``: the cash drawer's
    pin on the printer's drawer port, ``pin2``, ``pin5`` or ``none``."""

    device: str | None = None
    enabled: bool = True
    paper_mm: int = 80
    drawer: DrawerPin = "pin2"

    @property
    def drawer_pin(self) -> int | None:
        return None if self.drawer == "none" else int(self.drawer[-1])


@dataclass(frozen=True, slots=True)
class DemoSection:
    """``[demo]``: a folder of face photos for the demo's customers (None: the bundled
    astronaut photo)."""

    photos: Path | None = None


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
    ui: UiSection = field(default_factory=UiSection)
    scanner: ScannerSection = field(default_factory=ScannerSection)
    scale: ScaleSection = field(default_factory=ScaleSection)
    camera: CameraSection = field(default_factory=CameraSection)
    face: FaceSection = field(default_factory=FaceSection)
    sync: SyncSection = field(default_factory=SyncSection)
    demo: DemoSection = field(default_factory=DemoSection)
    sale: SaleSection = field(default_factory=SaleSection)
    printer: PrinterSection = field(default_factory=PrinterSection)
    source: str = "defaults"

    @property
    def synchronous_mode(self) -> Literal["FULL", "NORMAL"]:
        """``storage.synchronous`` as the store opens it (validated: FULL or NORMAL)."""
        return "NORMAL" if self.synchronous == "NORMAL" else "FULL"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


_NUMBER = (int, float)
# section -> key -> expected type; the single list of what a config file may hold.
_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "device": {"id": str},
    "store": {"name": str, "timezone": str, "currency_symbol": str},
    "storage": {"db": str, "synchronous": str, "secrets": str},
    "codes": {"weighed_pattern": str, "weighed_prefixes": list, "weighed_value": str},
    "models": {"dir": str},
    "ui": {
        "cashier_screen": str,
        "customer_screen": str,
        "language": str,
        "full_screen": bool,
        "thanks_seconds": _NUMBER,
    },
    "scanner": {"port": str, "baud": int},
    "scale": {"enabled": bool, "port": str, "baud": int, "protocol": str},
    "camera": {"source": str, "width": int, "height": int},
    "face": {"enabled": bool, "debug_dir": str, "liveness": str},
    "sync": {"send_every_s": _NUMBER, "pull_every_s": _NUMBER, "timeout_s": _NUMBER},
    "demo": {"photos": str},
    "sale": {"merge_scans": bool, "max_tender_multiple": int, "discount_limit_percent": int},
    "printer": {"device": str, "enabled": bool, "paper_mm": int, "drawer": str},
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
    sections = _Sections(raw, source)
    return Settings(
        **values,
        weighed_layout=layout,
        ui=sections.ui(),
        scanner=sections.scanner(),
        scale=sections.scale(),
        camera=sections.camera(),
        face=sections.face(),
        sync=sections.sync(),
        demo=sections.demo(),
        sale=sections.sale(),
        printer=sections.printer(),
        source=source,
    )


class _Sections:
    """The device sections of a file whose shape was checked: each value's range."""

    def __init__(self, raw: Mapping[str, Any], source: str) -> None:
        self._raw = raw
        self._source = source

    def _get(self, section: str, key: str, default: Any) -> Any:
        return self._raw.get(section, {}).get(key, default)

    def _error(self, section: str, key: str, what: str) -> ConfigError:
        return ConfigError(f"{self._source}: {section}.{key} {what}")

    def _text(self, section: str, key: str) -> str | None:
        value = self._get(section, key, None)
        if value is not None and not value.strip():
            raise self._error(section, key, "is empty: leave it out instead")
        return None if value is None else str(value).strip()

    def _path(self, section: str, key: str) -> Path | None:
        text = self._text(section, key)
        return None if text is None else Path(text).expanduser()

    def _choice(self, section: str, key: str, choices: tuple[str, ...], default: str) -> str:
        value = str(self._get(section, key, default))
        if value not in choices:
            raise self._error(section, key, f"must be one of {', '.join(choices)}, got {value!r}")
        return value

    def _positive(self, section: str, key: str, default: float, *, most: float) -> float:
        value = float(self._get(section, key, default))
        if not 0 < value <= most:
            raise self._error(section, key, f"must be more than 0 and at most {most:g}")
        return value

    def _size(self, section: str, key: str) -> int | None:
        value: int | None = self._get(section, key, None)
        if value is not None and not 16 <= value <= 8192:
            raise self._error(section, key, f"must be 16 to 8192 pixels, got {value}")
        return value

    def ui(self) -> UiSection:
        language = cast(UiLanguage, self._choice("ui", "language", LANGUAGES, "zh_CN"))
        return UiSection(
            cashier_screen=self._text("ui", "cashier_screen"),
            customer_screen=self._text("ui", "customer_screen"),
            language=language,
            full_screen=bool(self._get("ui", "full_screen", False)),
            thanks_s=self._positive("ui", "thanks_seconds", 8.0, most=600),
        )

    def scanner(self) -> ScannerSection:
        baud = int(self._get("scanner", "baud", 9600))
        if baud <= 0:
            raise self._error("scanner", "baud", f"must be a positive rate, got {baud}")
        return ScannerSection(port=self._text("scanner", "port"), baud=baud)

    def scale(self) -> ScaleSection:
        enabled = bool(self._get("scale", "enabled", False))
        port = self._text("scale", "port")
        if enabled and port is None:
            raise self._error("scale", "port", "is missing: an enabled scale needs its device")
        baud = int(self._get("scale", "baud", 9600))
        if baud <= 0:
            raise self._error("scale", "baud", f"must be a positive rate, got {baud}")
        protocol = self._choice("scale", "protocol", SCALE_PROTOCOLS, "toledo")
        return ScaleSection(enabled=enabled, port=port, baud=baud, protocol=protocol)

    def camera(self) -> CameraSection:
        width, height = self._size("camera", "width"), self._size("camera", "height")
        if (width is None) != (height is None):
            key = "height" if width is not None else "width"
            raise self._error("camera", key, "is missing: give both width and height, or neither")
        return CameraSection(source=self._text("camera", "source"), width=width, height=height)

    def face(self) -> FaceSection:
        liveness = cast(
            LivenessSource, self._choice("face", "liveness", LIVENESS_SOURCES, "models")
        )
        return FaceSection(
            enabled=bool(self._get("face", "enabled", True)),
            debug_dir=self._path("face", "debug_dir"),
            liveness=liveness,
        )

    def sync(self) -> SyncSection:
        return SyncSection(
            send_every_s=self._positive("sync", "send_every_s", 3.0, most=3600),
            pull_every_s=self._positive("sync", "pull_every_s", 60.0, most=86400),
            timeout_s=self._positive("sync", "timeout_s", 10.0, most=300),
        )

    def demo(self) -> DemoSection:
        return DemoSection(photos=self._path("demo", "photos"))

    def sale(self) -> SaleSection:
        multiple = int(self._get("sale", "max_tender_multiple", 20))
        if not 2 <= multiple <= 1000:
            raise self._error("sale", "max_tender_multiple", f"must be 2 to 1000, got {multiple}")
        limit = int(self._get("sale", "discount_limit_percent", 10))
        if not 0 <= limit <= 100:
            raise self._error("sale", "discount_limit_percent", f"must be 0 to 100, got {limit}")
        return SaleSection(
            merge_scans=bool(self._get("sale", "merge_scans", True)),
            max_tender_multiple=multiple,
            discount_limit_percent=limit,
        )

    def printer(self) -> PrinterSection:
        device = self._text("printer", "device")
        if device is not None:
            try:
                parse_device(device)
            except PrinterSettingError as exc:
                raise self._error("printer", "device", f"cannot be used: {exc}") from None
        paper_mm = int(self._get("printer", "paper_mm", 80))
        if paper_mm not in (58, 80):
            raise self._error("printer", "paper_mm", f"must be 58 or 80, got {paper_mm}")
        drawer = cast(DrawerPin, self._choice("printer", "drawer", DRAWER_PINS, "pin2"))
        return PrinterSection(
            device=device,
            enabled=bool(self._get("printer", "enabled", True)),
            paper_mm=paper_mm,
            drawer=drawer,
        )


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
            # TOML's true is a Python int too: only a bool key takes a bool.
            wrong_bool = isinstance(value, bool) and expected is not bool
            if wrong_bool or not isinstance(value, expected):
                kind = expected.__name__ if isinstance(expected, type) else "number"
                article = "an" if kind[0] in "aeiou" else "a"
                raise ConfigError(
                    f"{source}: {section}.{key} must be {article} {kind}, got {value!r}"
                )
