"""``facepay-terminal demo`` with screens: both windows, everything simulated.

``DemoRig`` (``demo_rig.py``) sets up the local cloud on loopback, a registered demo store,
the face models and a simulated camera playing a demo customer who is the member Zhang**.
With a display: a simulated serial scanner (a pseudo-terminal read by the real
``ScannerReader``) scans demo items every few seconds, and the person at the keyboard
takes the payment: by face (F10, or the customer's button), cash (F5 / F6), and the rest.
Without a display (no ``DISPLAY``, ``WAYLAND_DISPLAY``, or an offscreen ``QT_QPA_PLATFORM``),
it says so, plays a face-pay sale (greeting, confirm, paid) and a cash sale offscreen
through the same windows and writes screenshots of both screens to a folder it prints;
the exit code is 1 if the face-pay sale did not complete. ``--headless`` keeps the
receipts-only demo.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QTimer

from drivers.scanner import PtyScannerSimulator, ScannerReader, ScannerSettings, type_scans
from terminal.cli import demo_cmd, exit_codes
from terminal.config import Settings, default_data_dir
from terminal.demo.headless import fresh_demo_db_path
from terminal.demo.rig import DemoRig
from terminal.demo.screenshots import (
    COLA,
    CRISPS,
    NOODLES,
    SIZE,
    WATER,
    ScriptStalled,
    play_cash_sale,
    play_face_sale,
)
from terminal.ui.app import FrontEnd, application

# Items the simulated scanner cycles through (all in the demo catalog).
DEMO_SCANS = (WATER, COLA, NOODLES, CRISPS, "6951929701674", "6923036203839")
SCAN_INTERVAL_S = 3.0


# Platforms that draw into memory: a person cannot watch the demo on them.
_NO_SCREEN_PLATFORMS = ("offscreen", "minimal", "vnc")


def has_display(env: dict[str, str] | None = None) -> bool:
    env = dict(os.environ) if env is None else env
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform:
        return not platform.startswith(_NO_SCREEN_PLATFORMS)
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def run(args: argparse.Namespace, settings: Settings) -> int:
    """The ``demo`` command: ``--headless`` for receipts only, else the screens."""
    if getattr(args, "headless", False):
        return demo_cmd.run(args, settings)
    out_dir = getattr(args, "out", None)
    db_path = Path(args.db) if getattr(args, "db", None) else None
    if has_display():
        quit_after = getattr(args, "quit_after", None)
        return run_with_display(
            settings, db_path, sys.stdout, quit_after_s=quit_after,
            out_dir=Path(out_dir) if out_dir else None,
        )  # fmt: skip
    return run_offscreen(settings, db_path, Path(out_dir) if out_dir else None, sys.stdout)


def run_with_display(
    settings: Settings,
    db_path: Path | None,
    out: TextIO,
    *,
    quit_after_s: float | None = None,
    out_dir: Path | None = None,
) -> int:
    """Both windows for a person; ``quit_after_s`` (smoke tests, unattended kiosks at a
    trade fair) grabs both windows into ``out_dir`` and quits after that long."""
    path = db_path or fresh_demo_db_path(default_data_dir())
    out.write("facepay-terminal demo: starting the local cloud and the face models...\n")
    out.flush()
    stop = threading.Event()
    rig = DemoRig(settings, path)
    try:
        simulator = PtyScannerSimulator(rig.folder / "scanner")
        simulator.plug()
        reader = ScannerReader(ScannerSettings(port=str(simulator.link)))
        typist = threading.Thread(
            target=lambda: type_scans(
                simulator, itertools.cycle(DEMO_SCANS), interval_s=SCAN_INTERVAL_S, stop=stop
            ),
            name="demo-scanner",
            daemon=True,
        )
        out.write(
            "A simulated scanner scans a demo item every "
            f"{SCAN_INTERVAL_S:g} s; the simulated camera shows a demo customer, who is the\n"
            'member Zhang** (balance ¥200). F10 or the customer\'s "Pay by face" button pays\n'
            "by face; F5 takes the cash typed on the keypad, F6 exact cash, F3 void,\n"
            "F11 English/中文. Close a window to quit.\n"
            f"{rig.liveness_note}\nThe store is at {path}; the local cloud at {rig.cloud.url}.\n"
        )
        out.flush()
        app = application()
        front = FrontEnd(rig.parts(scanner=reader))
        front.start()
        typist.start()
        if quit_after_s is not None:
            folder = out_dir or rig.folder

            def grab_and_quit() -> None:
                folder.mkdir(parents=True, exist_ok=True)
                for name, window in (("cashier", front.cashier), ("customer", front.customer)):
                    target = folder / f"{name}-display-{front.strings.language}.png"
                    window.grab().save(str(target))
                    out.write(f"  {target}\n")
                app.quit()

            QTimer.singleShot(int(quit_after_s * 1000), grab_and_quit)
        try:
            code = app.exec()
        finally:
            stop.set()
            typist.join(5)
            front.shutdown()
            simulator.close()
    finally:
        rig.close()
    return code


def run_offscreen(
    settings: Settings, db_path: Path | None, out_dir: Path | None, out: TextIO
) -> int:
    out.write(
        "No display found: playing a face-pay sale and a cash sale offscreen, with the local "
        "cloud and a simulated camera.\n"
    )
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = out_dir or default_data_dir() / f"demo-screens-{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    path = db_path or fresh_demo_db_path(default_data_dir())
    application()
    rig = DemoRig(settings, path)
    out.write(f"{rig.liveness_note}\n")
    front = FrontEnd(rig.parts())
    written: list[Path] = []
    paid_by_face = False
    try:
        front.start(show=False)
        for window in (front.cashier, front.customer):
            window.resize(*SIZE)
            window.show()
        front.wait_idle()

        def snap(state: str) -> None:
            front.wait_idle()
            for name, window in (("cashier", front.cashier), ("customer", front.customer)):
                target = folder / f"{name}-{state}-{front.strings.language}.png"
                window.grab().save(str(target))
                written.append(target)

        snap("idle")
        try:
            play_face_sale(front, snap)
            paid_by_face = True
        except ScriptStalled as stalled:
            out.write(f"{stalled}\n")
            front.till.cancel()
            front.wait_idle()
        play_cash_sale(front, snap, first_snap=False)
    finally:
        front.shutdown()
        rig.close()
    out.write(f"Screenshots of both screens are in {folder}:\n")
    for target in written:
        out.write(f"  {target.name}\n")
    out.write(f"The store is at {path}; its orders: facepay-terminal orders export --db {path}\n")
    return exit_codes.OK if paid_by_face else exit_codes.BAD_INPUT
