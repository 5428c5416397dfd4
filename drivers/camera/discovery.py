"""Which cameras this machine has: the V4L2 nodes under ``/dev``, named from sysfs.

``list_cameras`` never opens a capture (a busy or broken camera can block OpenCV for
seconds); it only asks each node what it can do, with a non-blocking ``VIDIOC_QUERYCAP``,
so UVC metadata nodes (``/dev/video1`` next to ``/dev/video0``) are told apart from the
ones that give pictures.

What must not live here: opening or reading a camera (``source.py``).
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path

# _IOR('V', 0, struct v4l2_capability), where the struct is 104 bytes.
VIDIOC_QUERYCAP = 0x80685600
CAPABILITY_STRUCT = struct.Struct("16s32s32sIII12x")
V4L2_CAP_VIDEO_CAPTURE = 0x00000001
V4L2_CAP_DEVICE_CAPS = 0x80000000
_NODE = re.compile(r"video(\d+)\Z")


@dataclass(frozen=True)
class CameraInfo:
    """A video node; ``captures`` is None when the node could not be asked (no access)."""

    device: str
    index: int
    name: str
    driver: str = ""
    bus: str = ""
    captures: bool | None = None


@dataclass(frozen=True)
class Capability:
    driver: str
    card: str
    bus: str
    captures: bool


def parse_capability(raw: bytes) -> Capability:
    """Decode a ``struct v4l2_capability``."""
    driver, card, bus, _version, caps, device_caps = CAPABILITY_STRUCT.unpack(
        raw[: CAPABILITY_STRUCT.size]
    )
    # device_caps describes this node; caps the whole device, used by old drivers only.
    effective = device_caps if caps & V4L2_CAP_DEVICE_CAPS else caps
    return Capability(
        driver=_c_string(driver),
        card=_c_string(card),
        bus=_c_string(bus),
        captures=bool(effective & V4L2_CAP_VIDEO_CAPTURE),
    )


def _c_string(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("utf-8", errors="replace")


def query_capability(device: Path) -> Capability | None:
    """Ask a node what it is; None when it cannot be opened or is not V4L2."""
    try:
        # O_NONBLOCK: opening must never wait on a device that is busy or hung.
        fd = os.open(device, os.O_RDWR | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        buffer = bytearray(CAPABILITY_STRUCT.size)
        fcntl.ioctl(fd, VIDIOC_QUERYCAP, buffer)
    except OSError:
        # ENOTTY: not a V4L2 node; anything else: a device we cannot ask. Either way it
        # is still listed, as unknown, rather than failing the whole listing.
        return None
    finally:
        os.close(fd)
    return parse_capability(bytes(buffer))


def list_cameras(
    dev_root: Path = Path("/dev"), sys_root: Path = Path("/sys/class/video4linux")
) -> list[CameraInfo]:
    """Every ``/dev/videoN`` node, in index order, with its name; [] when there is none.

    Nodes that are known not to capture (metadata nodes) are left out.
    """
    if not dev_root.is_dir():
        return []
    cameras: list[CameraInfo] = []
    nodes = sorted(
        (int(match.group(1)), path)
        for path in dev_root.iterdir()
        if (match := _NODE.match(path.name))
    )
    for index, path in nodes:
        name = _read_text(sys_root / path.name / "name")
        capability = query_capability(path)
        if capability is not None and not capability.captures:
            continue
        cameras.append(
            CameraInfo(
                device=str(path),
                index=index,
                name=name or (capability.card if capability else "") or path.name,
                driver=capability.driver if capability else "",
                bus=capability.bus if capability else "",
                captures=capability.captures if capability else None,
            )
        )
    return cameras


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""
