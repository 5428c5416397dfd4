"""``facepay-terminal scanner listen --port DEV``: print every scan a serial scanner sends.

A technician's tool for checking a scanner at the till: one line per scan on stdout
(``--json``: one JSON object per line), the link's ups and downs and any noise on stderr.
It keeps listening across unplug/replug and stops on Ctrl-C or SIGTERM with exit 0.
Wallet payment codes (16-24 digits) are printed masked unless ``--show-payment-codes``:
the output of a check at the till ends up in tickets and chat, and such a code is cash.
The reader does the work (``drivers.scanner``); this module only shows its events.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from types import FrameType
from typing import Any

from drivers.scanner import (
    ConnectionState,
    ScanEvent,
    ScannerProblem,
    ScannerReader,
    ScannerSettings,
    ScannerSettingsError,
    ScannerStatus,
)
from terminal.cli import exit_codes
from terminal.config import Settings
from terminal.domain.codes.wallet import MAX_LENGTH, MIN_LENGTH, mask


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``scanner listen`` to the ``facepay-terminal`` subcommands."""
    scanner = commands.add_parser("scanner", help="the serial barcode scanner")
    actions = scanner.add_subparsers(dest="scanner_command", required=True, metavar="ACTION")
    listen_parser = actions.add_parser(
        "listen", parents=[common], help="print each scan until Ctrl-C"
    )
    listen_parser.add_argument("--port", required=True, help="device path or pyserial URL")
    listen_parser.add_argument("--baud", type=int, default=9600, help="default 9600")
    listen_parser.add_argument("--json", action="store_true", help="one JSON object a line")
    listen_parser.add_argument(
        "--trigger",
        choices=["continuous", "host"],
        default="continuous",
        help="host: arm the scanner with SYN T CR (Honeywell/Datalogic serial trigger)",
    )
    listen_parser.add_argument(
        "--duplicate-window-ms",
        type=int,
        default=800,
        help="the same code again within this window is one scan (0: off)",
    )
    listen_parser.add_argument(
        "--show-payment-codes",
        action="store_true",
        help="print 16-24 digit codes in full (masked by default: they are as good as cash)",
    )
    listen_parser.set_defaults(handler=listen)


def listen(args: argparse.Namespace, settings: Settings) -> int:
    del settings  # the port comes from the command line: this tool checks any scanner
    try:
        scanner_settings = ScannerSettings(
            port=args.port,
            baud=args.baud,
            trigger=args.trigger,
            duplicate_window_ms=args.duplicate_window_ms,
        )
    except ScannerSettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_codes.USAGE
    if not getattr(args, "verbose", False):
        # Problems and link changes are printed below for the person at the till; the
        # driver's own log lines would say the same thing twice.
        logging.getLogger("drivers.scanner").setLevel(logging.ERROR)

    stopped = threading.Event()
    output = _Output(as_json=args.json, unmasked=args.show_payment_codes, stopped=stopped)
    reader = ScannerReader(scanner_settings)
    reader.on_scan(output.scan)
    reader.on_status(output.status)
    reader.on_problem(output.problem)

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        reader.start()
        while not stopped.wait(0.5):
            pass
    finally:
        reader.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return exit_codes.OK


def _may_be_payment_code(code: str) -> bool:
    return code.isascii() and code.isdigit() and MIN_LENGTH <= len(code) <= MAX_LENGTH


class _Output:
    """Prints events from the reader thread; one lock so lines never interleave."""

    def __init__(self, *, as_json: bool, unmasked: bool, stopped: threading.Event) -> None:
        self._as_json = as_json
        self._unmasked = unmasked
        self._stopped = stopped
        self._lock = threading.Lock()
        self._last_error: str | None = None

    def scan(self, event: ScanEvent) -> None:
        code = event.code
        if not self._unmasked and _may_be_payment_code(code):
            code = mask(code)
        if self._as_json:
            line = json.dumps(
                {"code": code, "symbology": event.symbology, "aim": event.aim},
                ensure_ascii=False,
            )
        else:
            line = f"{code}\t{event.symbology or 'unknown symbology'}"
        self._write(sys.stdout, line)

    def status(self, status: ScannerStatus) -> None:
        if status.state == ConnectionState.CONNECTED:
            text = f"scanner: connected to {status.port}"
        elif status.state == ConnectionState.RECONNECTING:
            if status.error == self._last_error:
                return  # "disconnected: <why>" just said it
            text = f"scanner: waiting for {status.port}: {status.error}"
        else:
            text = f"scanner: disconnected from {status.port}: {status.error}"
        self._last_error = status.error
        self._write(sys.stderr, text)

    def problem(self, problem: ScannerProblem) -> None:
        self._write(sys.stderr, f"warning: scanner {problem.port}: {problem.detail}")

    def _write(self, stream: Any, line: str) -> None:
        with self._lock:
            try:
                stream.write(line + "\n")
                stream.flush()
            except BrokenPipeError:
                # `listen | head` is done with us: stop rather than read into the void.
                self._stopped.set()
