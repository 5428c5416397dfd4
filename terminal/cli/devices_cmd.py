"""``facepay-terminal devices [--json]``: the serial ports and cameras this machine has.

For the technician setting up a till: which port is the scanner on, which index is the
camera. Listing never opens a port or a capture, so it cannot hang on a busy device; an
empty list is an answer, not an error.

What must not live here: probing what is behind a port (``drivers/scanner``), opening a
camera (``drivers/camera``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from typing import Any

from serial.tools import list_ports

from drivers.camera.discovery import CameraInfo, list_cameras
from terminal.cli import exit_codes
from terminal.config import Settings


@dataclass(frozen=True)
class SerialPortInfo:
    device: str
    description: str
    hwid: str
    vid: int | None
    pid: int | None
    serial_number: str | None


def list_serial_ports() -> list[SerialPortInfo]:
    return [
        SerialPortInfo(
            device=port.device,
            description=port.description or "",
            hwid=port.hwid or "",
            vid=port.vid,
            pid=port.pid,
            serial_number=port.serial_number,
        )
        for port in sorted(list_ports.comports(), key=lambda p: p.device)
    ]


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``devices`` command to the command line."""
    devices = commands.add_parser("devices", parents=[common], help="list serial ports and cameras")
    devices.add_argument("--json", action="store_true", help="one JSON object")
    devices.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    ports = list_serial_ports()
    cameras = list_cameras()
    out = sys.stdout
    if args.json:
        document: dict[str, Any] = {
            "serial_ports": [asdict(port) for port in ports],
            "cameras": [asdict(camera) for camera in cameras],
        }
        out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return exit_codes.OK
    out.write("Serial ports:\n")
    if not ports:
        out.write("  none found\n")
    for port in ports:
        out.write(f"  {port.device}  {port.description}  [{_usb_id(port)}]  {port.hwid}\n")
    out.write("Cameras:\n")
    if not cameras:
        out.write("  none found\n")
    for camera in cameras:
        out.write(f"  {camera.index}  {camera.device}  {camera.name}{_camera_note(camera)}\n")
    return exit_codes.OK


def _usb_id(port: SerialPortInfo) -> str:
    if port.vid is None or port.pid is None:
        return "not USB"
    return f"{port.vid:04x}:{port.pid:04x}"


def _camera_note(camera: CameraInfo) -> str:
    if camera.captures is None:
        return "  (could not be queried: permissions? the user needs the 'video' group)"
    return f"  ({camera.driver}, {camera.bus})" if camera.driver else ""
