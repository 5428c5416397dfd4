"""``facepay-terminal sim scale --link PATH [ITEM ...]``: a scale made of a pseudo-terminal.

Puts each item on the pan in turn (a weight in grams, or ``overload`` / ``underload``)
and writes Toledo continuous frames into a pty published at ``--link``, so the
terminal's scale reader (or ``[scale] port = PATH``) reads them as from hardware: moving
frames, then stable ones, then an empty pan. ``--garbage`` adds line noise,
``--unplug-every`` pulls the cable now and then, ``--checksum`` sends the checksum byte
(``protocol = "toledo-checksum"``). After the last item the empty scale keeps talking
until Ctrl-C or SIGTERM (exit 0), as a real one does.

Registered under ``sim`` by ``sim_cmd.register``.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from drivers.scale import PtyScaleSimulator, SimulatorError, Weight, play_weighings
from drivers.scale.simulator import OVERLOAD, UNDERLOAD, keep_sending
from terminal.cli import exit_codes
from terminal.config import Settings

DEMO_ITEMS = ("385", "1250", OVERLOAD, "2040")


def register(devices: Any, common: argparse.ArgumentParser) -> None:
    """Add ``scale`` to the ``sim`` devices."""
    scale = devices.add_parser(
        "scale", parents=[common], help="a serial scale on a pseudo-terminal"
    )
    scale.add_argument("--link", required=True, type=Path, help="where to put the device")
    scale.add_argument(
        "items",
        nargs="*",
        metavar="ITEM",
        help=f"grams, {OVERLOAD} or {UNDERLOAD} (default: {' '.join(DEMO_ITEMS)})",
    )
    scale.add_argument("--interval", type=float, default=0.1, help="seconds between frames")
    scale.add_argument("--hold", type=float, default=2.0, help="seconds each item stays on")
    scale.add_argument("--unstable", type=int, default=6, help="moving frames before stable")
    scale.add_argument("--unit", choices=["kg", "g"], default="kg", help="the display's unit")
    scale.add_argument("--checksum", action="store_true", help="send the checksum byte")
    scale.add_argument(
        "--garbage", type=float, default=0.0, metavar="RATE", help="chance of noise per frame"
    )
    scale.add_argument(
        "--unplug-every", type=int, default=0, metavar="N", help="unplug after every N items"
    )
    scale.add_argument(
        "--unplug-for", type=float, default=1.0, metavar="S", help="seconds unplugged"
    )
    scale.add_argument(
        "--start-delay", type=float, default=0.0, metavar="S", help="wait before the first item"
    )
    scale.add_argument("--seed", type=int, help="random seed, to replay the same noise")
    scale.set_defaults(handler=run_scale)


def run_scale(args: argparse.Namespace, settings: Settings) -> int:
    del settings
    items, problem = _items(args.items or list(DEMO_ITEMS))
    problem = problem or _check(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return exit_codes.USAGE
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    simulator = PtyScaleSimulator(args.link, with_checksum=args.checksum)
    try:
        name = simulator.plug()
        _say(f"sim: scale at {args.link} ({name})")
        if stop.wait(args.start_delay):
            return exit_codes.OK
        report = play_weighings(
            simulator,
            items,
            frame_interval_s=args.interval,
            hold_s=args.hold,
            unstable=args.unstable,
            unit=args.unit,
            garbage_rate=args.garbage,
            unplug_every=args.unplug_every,
            unplug_for_s=args.unplug_for,
            rng=random.Random(args.seed),
            stop=stop,
        )
        _say(
            f"sim: weighed {report.items} item(s) in {report.frames} frame(s),"
            f" {report.overloads} out of range, {report.garbage} with noise,"
            f" {report.unplugs} unplug(s); the empty scale talks until Ctrl-C"
        )
        if simulator.plugged:
            keep_sending(
                simulator, Weight.of(0), frame_interval_s=args.interval, unit=args.unit, stop=stop
            )
    except SimulatorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    finally:
        simulator.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return exit_codes.OK


def _items(tokens: list[str]) -> tuple[list[int | str], str | None]:
    items: list[int | str] = []
    for token in tokens:
        if token in (OVERLOAD, UNDERLOAD):
            items.append(token)
            continue
        try:
            grams = int(token)
        except ValueError:
            return [], f"{token!r} is not a weight in grams, {OVERLOAD} or {UNDERLOAD}"
        if not -999_999 <= grams <= 999_999:
            return [], f"{grams} g does not fit the scale's six digits"
        items.append(grams)
    return items, None


def _check(args: argparse.Namespace) -> str | None:
    if args.interval <= 0:
        return "--interval must be more than 0"
    if args.hold < 0 or args.unplug_for < 0 or args.start_delay < 0:
        return "--hold, --unplug-for and --start-delay must not be negative"
    if args.unstable < 0:
        return "--unstable must not be negative"
    if not 0 <= args.garbage <= 1:
        return "--garbage is a rate from 0 to 1"
    if args.unplug_every < 0:
        return "--unplug-every must not be negative"
    return None


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
