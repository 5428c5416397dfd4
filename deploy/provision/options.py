"""What a provisioning run was asked to do, as parsed from the command line."""

from __future__ import annotations

from dataclasses import dataclass, field

from deploy.provision.layout import Layout

DEFAULT_USER = "facepay"
DEFAULT_MIN_FREE_MB = 512  # models (~100-300 MB) plus a year of orders, with room to spare


@dataclass(frozen=True)
class Options:
    layout: Layout
    cloud: str | None = None
    code: str | None = None
    device_name: str | None = None
    user: str = DEFAULT_USER
    min_free_mb: int = DEFAULT_MIN_FREE_MB
    check: bool = False
    # Cameras and scanner ports to test besides the ones found (an RTSP camera, a port
    # behind a USB hub that does not enumerate as a scanner).
    extra_cameras: tuple[str, ...] = field(default_factory=tuple)
    extra_scanners: tuple[str, ...] = field(default_factory=tuple)
