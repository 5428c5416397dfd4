"""``facepay-terminal sim scanner --link PATH``: a scanner made of a pseudo-terminal.

Types the codes read from stdin or ``--file`` (one a line; blank lines and ``#`` comments
skipped) into a pty published at ``--link``, so ``scanner listen --port PATH`` or the
terminal itself reads them as from hardware. ``--garbage`` adds line noise and
``--unplug-every`` pulls the cable now and then. After the last code the device stays
plugged until Ctrl-C or SIGTERM (exit 0), as a real scanner would.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from drivers.scanner import PtyScannerSimulator, SimulatorError, type_scans
from terminal.cli import exit_codes, sim_scale_cmd
from terminal.config import Settings


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``sim scanner`` to the ``facepay-terminal`` subcommands."""
    sim = commands.add_parser("sim", help="simulated devices for demos and tests")
    devices = sim.add_subparsers(dest="sim_command", required=True, metavar="DEVICE")
    scanner = devices.add_parser(
        "scanner", parents=[common], help="a serial scanner on a pseudo-terminal"
    )
    scanner.add_argument("--link", required=True, type=Path, help="where to put the device")
    scanner.add_argument("--file", type=Path, help="codes, one a line (default: stdin)")
    scanner.add_argument("--interval", type=float, default=0.5, help="seconds between scans")
    scanner.add_argument("--terminator", choices=["cr", "lf", "crlf"], default="cr")
    scanner.add_argument("--aim", action="store_true", help="prefix AIM identifiers (]E0 ...)")
    scanner.add_argument(
        "--garbage", type=float, default=0.0, metavar="RATE", help="chance of noise per scan"
    )
    scanner.add_argument(
        "--unplug-every", type=int, default=0, metavar="N", help="unplug after every N scans"
    )
    scanner.add_argument(
        "--unplug-for", type=float, default=1.0, metavar="S", help="seconds unplugged"
    )
    scanner.add_argument(
        "--start-delay", type=float, default=0.0, metavar="S", help="wait before the first scan"
    )
    scanner.add_argument("--seed", type=int, help="random seed, to replay the same noise")
    scanner.set_defaults(handler=run_scanner)
    sim_scale_cmd.register(devices, common)


def run_scanner(args: argparse.Namespace, settings: Settings) -> int:
    del settings
    problem = _check(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return exit_codes.USAGE
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()
        # Also break a blocking read of stdin; caught below.
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    simulator = PtyScannerSimulator(args.link)
    try:
        name = simulator.plug()
        _say(f"sim: scanner at {args.link} ({name})")
        if stop.wait(args.start_delay):
            return exit_codes.OK
        with _codes(args.file) as codes:
            report = type_scans(
                simulator,
                codes,
                interval_s=args.interval,
                terminator=args.terminator,
                aim=args.aim,
                garbage_rate=args.garbage,
                unplug_every=args.unplug_every,
                unplug_for_s=args.unplug_for,
                rng=random.Random(args.seed),
                stop=stop,
            )
        _say(
            f"sim: sent {report.sent} scan(s), {report.garbage} with noise,"
            f" {report.overlong} over-long line(s), {report.unplugs} unplug(s);"
            " still plugged until Ctrl-C"
        )
        while not stop.wait(3600):
            pass
    except KeyboardInterrupt:
        pass
    except SimulatorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    finally:
        simulator.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return exit_codes.OK


def _check(args: argparse.Namespace) -> str | None:
    if args.file is not None and not args.file.is_file():
        return f"--file {args.file} does not exist"
    if args.interval < 0 or args.unplug_for < 0 or args.start_delay < 0:
        return "--interval, --unplug-for and --start-delay must not be negative"
    if not 0 <= args.garbage <= 1:
        return "--garbage is a rate from 0 to 1"
    if args.unplug_every < 0:
        return "--unplug-every must not be negative"
    return None


@contextlib.contextmanager
def _codes(path: Path | None) -> Iterator[Iterator[str]]:
    """The codes to type, read lazily so that typing on stdin works interactively."""
    if path is None:
        yield _lines(sys.stdin)
        return
    with path.open(encoding="utf-8") as handle:
        yield _lines(handle)


def _lines(source: TextIO) -> Iterator[str]:
    for raw in source:
        # Only the line's own end goes: a GS inside a GS1 code is data.
        line = raw.rstrip("\r\n").strip(" ")
        if line and not line.startswith("#"):
            yield line


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
