"""The hardware self-test: what ``facepay-terminal devices`` lists, actually used once.

Each camera gives a few frames, each serial port opens, screens are counted. A missing
piece is reported with what it costs the till; only a store that cannot be written blocks
selling (cash needs nothing else), so only that fails the step.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

import serial

from deploy.provision import exit_codes
from deploy.provision.errors import ProvisionError
from deploy.provision.options import Options
from deploy.provision.report import Status, StepResult
from drivers.camera.discovery import list_cameras
from drivers.camera.pump import FramePump
from drivers.camera.source import source_for
from terminal.cli.devices_cmd import list_serial_ports
from terminal.storage.database import open_store
from terminal.storage.errors import StoreError

FRAMES = 3
CAMERA_TIMEOUT_S = 5.0
PORT_TIMEOUT_S = 0.5


@dataclass(frozen=True)
class Probe:
    kind: str  # "camera", "scanner", "store"
    device: str
    ok: bool
    detail: str


def run(options: Options) -> StepResult:
    if options.check:
        return StepResult("hardware", Status.SKIPPED, "not tested by --check")
    probes = [probe_store(options.layout.db_path)]
    cameras = [c.device for c in list_cameras() if c.captures is not False]
    probes += [probe_camera(source) for source in [*cameras, *options.extra_cameras]]
    ports = [p.device for p in list_serial_ports()]
    probes += [probe_port(port) for port in [*ports, *options.extra_scanners]]
    screens = count_screens()
    data = {"probes": [asdict(p) for p in probes], "screens": screens}
    if not probes[0].ok:
        raise ProvisionError(
            f"the store cannot be written: {probes[0].detail}; nothing can be sold",
            exit_codes.HARDWARE,
        )
    warnings = []
    working_cameras = [p for p in probes if p.kind == "camera" and p.ok]
    working_ports = [p for p in probes if p.kind == "scanner" and p.ok]
    for probe in probes:
        if not probe.ok:
            warnings.append(f"{probe.kind} {probe.device}: {probe.detail}")
    if not working_cameras:
        warnings.append("no working camera: face pay unavailable, selling continues")
    if not working_ports:
        warnings.append("no working scanner port: manual entry only, selling continues")
    detail = (
        f"{len(working_cameras)} camera(s), {len(working_ports)} serial port(s), "
        f"{screens} screen(s); store writable"
    )
    return StepResult(
        "hardware", Status.WARNING if warnings else Status.OK, detail, warnings=warnings, data=data
    )


def probe_store(path: Path) -> Probe:
    try:
        db = open_store(path)
    except StoreError as exc:
        return Probe("store", str(path), False, str(exc))
    try:
        # Takes the write lock and gives it back: proves writing works, changes nothing.
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.execute("ROLLBACK")
    except Exception as exc:  # sqlite3 errors: read-only file system, locked, full disk
        return Probe("store", str(path), False, str(exc))
    finally:
        db.close()
    return Probe("store", str(path), True, "writable")


def probe_camera(source: str) -> Probe:
    pump = FramePump(
        source_for(source),
        max_open_attempts=1,
        loop=False,
        pace=False,
        stall_timeout_s=CAMERA_TIMEOUT_S,
    )
    got = 0
    shape = ""
    with pump:
        seq = 0
        while got < FRAMES:
            frame = pump.latest(seq, timeout=CAMERA_TIMEOUT_S)
            if frame is None:
                break
            seq, got = frame.seq, got + 1
            shape = "x".join(str(n) for n in frame.image.shape[1::-1])
    if got < FRAMES:
        return Probe("camera", source, False, f"gave {got} of {FRAMES} frames")
    return Probe("camera", source, True, f"{got} frames {shape}")


def probe_port(port: str) -> Probe:
    try:
        with serial.Serial(port, timeout=PORT_TIMEOUT_S, write_timeout=PORT_TIMEOUT_S):
            pass
    except (serial.SerialException, OSError) as exc:
        hint = " (the service user needs the 'dialout' group)" if "ermission" in str(exc) else ""
        return Probe("scanner", port, False, f"cannot open: {exc}{hint}")
    return Probe("scanner", port, True, "opens")


def count_screens() -> int:
    """Connected monitors: xrandr when an X display is there, else the kernel's DRM
    connectors (a headless install has none, which is fine)."""
    xrandr = shutil.which("xrandr")
    if os.environ.get("DISPLAY") and xrandr:
        try:
            out = subprocess.run(
                [xrandr, "--listmonitors"], capture_output=True, text=True, timeout=5, check=True
            ).stdout
            first = out.splitlines()[0] if out else ""
            if first.startswith("Monitors:"):
                return int(first.split(":", 1)[1])
        except (subprocess.SubprocessError, OSError, ValueError):
            pass
    connected = 0
    for status in Path("/sys/class/drm").glob("*/status"):
        try:
            connected += status.read_text().strip() == "connected"
        except OSError:
            continue
    return connected
