"""``facepay-terminal checkout --headless --script FILE``: a till driven by a script.

It runs the real ``Till`` (its store thread, start-up recovery, the same session as the
screens), with results handed straight back to this thread: the crash test SIGKILLs
exactly what a till with screens runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from terminal.app.checkout_script import WAIT_S, run_script
from terminal.app.parts import receipt_printing
from terminal.app.till import Till
from terminal.cli import exit_codes
from terminal.cli.context import db_path, registration_for
from terminal.config import Settings
from terminal.sync.registration import Registration, RegistrationError


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.headless:
        print(
            "checkout without --headless needs the screens; use 'facepay-terminal demo'",
            file=sys.stderr,
        )
        return exit_codes.USAGE
    if args.script != "-" and not Path(args.script).is_file():
        print(f"script {args.script} does not exist", file=sys.stderr)
        return exit_codes.BAD_INPUT
    till = Till(
        db_path(args, settings),
        settings,
        registration=_registration(args, settings),
        printing=receipt_printing(settings),
    )
    # The script reports each refused line itself; nothing else is left unheard here.
    till.on_error(lambda _error: None)
    try:
        return _run_script(args.script, till)
    finally:
        till.stop()


def _registration(args: argparse.Namespace, settings: Settings) -> Registration | None:
    """A registered store takes payment codes too; a damaged secrets file still sells cash."""
    try:
        return registration_for(args, settings)
    except RegistrationError as exc:
        print(f"warning: selling cash only: {exc}", file=sys.stderr)
        return None


def _run_script(script: str, till: Till) -> int:
    for item in till.start().wait(WAIT_S):
        print(f"RECOVERED {item.order_no} {item.outcome}: {item.detail}", file=sys.stderr)
    if till.catalog_size().wait(WAIT_S) == 0:
        print(
            "warning: the catalog is empty; load one with 'facepay-terminal catalog import FILE'",
            file=sys.stderr,
        )
    if script == "-":
        report = run_script(sys.stdin, till, sys.stdout, sys.stderr, "stdin")
    else:
        with open(script, encoding="utf-8", errors="replace") as handle:
            report = run_script(handle, till, sys.stdout, sys.stderr, script)
    view = till.view
    if view.in_progress:
        print(
            f"warning: sale {view.order_no} was left open at the end of the script; "
            "it will be recovered at the next start",
            file=sys.stderr,
        )
    print(
        f"{len(report.paid)} paid, {len(report.cancelled)} cancelled, "
        f"{report.errors} line(s) refused",
        file=sys.stderr,
    )
    return exit_codes.BAD_INPUT if report.errors else exit_codes.OK
