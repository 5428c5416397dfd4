"""``facepay-terminal checkout --headless --script FILE``: a till driven by a script."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from terminal.app.checkout import CheckoutSession
from terminal.app.checkout_script import run_script
from terminal.app.recovery import recover_unfinished
from terminal.cli import exit_codes
from terminal.cli.context import open_for
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.storage.catalog import CatalogRepository
from terminal.storage.orders import OrderRepository


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
    db = open_for(args, settings)
    orders = OrderRepository(db)
    for item in recover_unfinished(orders, utc_now()):
        print(f"RECOVERED {item.order_no} {item.outcome}: {item.detail}", file=sys.stderr)
    catalog = CatalogRepository(db)
    if catalog.count() == 0:
        print(
            "warning: the catalog is empty; load one with 'facepay-terminal catalog import FILE'",
            file=sys.stderr,
        )
    session = CheckoutSession(orders=orders, catalog=catalog, settings=settings)
    name = "stdin" if args.script == "-" else args.script
    if args.script == "-":
        report = run_script(sys.stdin, session, sys.stdout, sys.stderr, name)
    else:
        with open(args.script, encoding="utf-8", errors="replace") as handle:
            report = run_script(handle, session, sys.stdout, sys.stderr, name)
    if session.order is not None:
        print(
            f"warning: sale {session.order.order_no} was left open at the end of the script; "
            "it will be recovered at the next start",
            file=sys.stderr,
        )
    print(
        f"{len(report.paid)} paid, {len(report.cancelled)} cancelled, "
        f"{report.errors} line(s) refused",
        file=sys.stderr,
    )
    return exit_codes.BAD_INPUT if report.errors else exit_codes.OK
