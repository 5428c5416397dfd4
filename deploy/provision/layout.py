"""Where provisioning puts things on the device.

Without ``--root`` the usual places (``/etc/facepay-terminal``, ``/var/lib/facepay-
terminal``, ``/etc/systemd/system``). ``--root DIR`` is a prefix, not a chroot image: every
path, including the ones written into the config and the units, is below DIR, so the
tree it makes is complete and usable as it is (tests, a staging folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from terminal.sync.registration import secrets_path_for

CONFIG_DIR = Path("/etc/facepay-terminal")
DATA_DIR = Path("/var/lib/facepay-terminal")
UNITS_DIR = Path("/etc/systemd/system")


@dataclass(frozen=True)
class Layout:
    root: Path | None
    config_dir: Path
    data_dir: Path
    units_dir: Path

    @classmethod
    def for_root(cls, root: Path | None, config_dir: Path | None = None) -> Layout:
        def under(path: Path) -> Path:
            return path if root is None else root / path.relative_to("/")

        return cls(
            root=root,
            config_dir=config_dir.absolute() if config_dir else under(CONFIG_DIR),
            data_dir=under(DATA_DIR),
            units_dir=under(UNITS_DIR),
        )

    @property
    def config_path(self) -> Path:
        return self.config_dir / "terminal.toml"

    @property
    def kiosk_session_path(self) -> Path:
        return self.config_dir / "kiosk-session"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "terminal.db"

    @property
    def secrets_path(self) -> Path:
        # The terminal's own rule (beside the store), so a config without storage.secrets
        # still finds it.
        return secrets_path_for(self.db_path)

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    def target_dirs(self) -> list[Path]:
        return [self.config_dir, self.data_dir, self.units_dir]
