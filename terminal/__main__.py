"""The ``facepay-terminal`` command line: parse, load settings, dispatch, map errors to
exit codes. Handlers live in ``terminal.cli``; nothing here knows a business rule.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from terminal.cli import (
    catalog_cmd,
    checkout_cmd,
    demo_cmd,
    devices_cmd,
    exit_codes,
    face_eval_cmd,
    orders_cmd,
    register_cmd,
    report_cmd,
    run_cmd,
    scanner_cmd,
    screenshots_cmd,
    sim_cmd,
    staff_cmd,
    sync_cmd,
)
from terminal.cli.context import with_registration
from terminal.config import ConfigError, Settings, load_settings
from terminal.errors import InputError, TillError
from terminal.storage.errors import StoreError

Handler = Callable[[argparse.Namespace, Settings], int]


def _global_options(*, with_defaults: bool) -> argparse.ArgumentParser:
    """``--config``, ``--db`` and ``-v``. The top-level parser holds the defaults; each
    command's copy has none (SUPPRESS), so it sets an option only when given after the
    command's name and never overwrites one given before it."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--config",
        type=Path,
        default=None if with_defaults else argparse.SUPPRESS,
        help="settings file (TOML); or FACEPAY_CONFIG",
    )
    options.add_argument(
        "--db",
        default=None if with_defaults else argparse.SUPPRESS,
        help="the local store (SQLite file); overrides the settings",
    )
    options.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=False if with_defaults else argparse.SUPPRESS,
        help="log more to stderr",
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facepay-terminal",
        description="Face-pay checkout terminal.",
        parents=[_global_options(with_defaults=True)],
    )
    # Every command takes the global options too, before or after its name.
    common = _global_options(with_defaults=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", parents=[common], help="run the demo")
    demo.add_argument("--headless", action="store_true", help="no screens: print receipts")
    demo.add_argument("--out", type=Path, help="folder for the demo's screenshots")
    demo.add_argument(
        "--quit-after",
        type=float,
        metavar="SECONDS",
        help="with a display: save screenshots of both windows to --out and quit after this long",
    )
    demo.set_defaults(handler=_demo)

    checkout = commands.add_parser("checkout", parents=[common], help="run a till")
    checkout.add_argument("--headless", action="store_true", help="no screens: read a script")
    checkout.add_argument("--script", required=True, help="actions file, one a line; - is stdin")
    checkout.set_defaults(handler=checkout_cmd.run)

    orders = commands.add_parser("orders", parents=[common], help="orders in the local store")
    orders_sub = orders.add_subparsers(dest="orders_command", required=True, metavar="ACTION")
    orders_export = orders_sub.add_parser("export", parents=[common], help="every order")
    orders_export.add_argument("--json", action="store_true", help="one JSON array")
    orders_export.set_defaults(handler=orders_cmd.export)

    catalog = commands.add_parser("catalog", parents=[common], help="the item catalog")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", required=True, metavar="ACTION")
    catalog_import = catalog_sub.add_parser(
        "import", parents=[common], help="CSV or JSON file, or --demo"
    )
    source = catalog_import.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", metavar="FILE", help="a CSV or JSON catalog file")
    source.add_argument(
        "--demo", action="store_true", help="the demo catalog that ships with the terminal"
    )
    catalog_import.set_defaults(handler=catalog_cmd.import_file)
    catalog_export = catalog_sub.add_parser("export", parents=[common], help="to stdout")
    catalog_export.add_argument("--json", action="store_true", help="JSON instead of CSV")
    catalog_export.set_defaults(handler=catalog_cmd.export)

    for module in (
        register_cmd,
        sync_cmd,
        scanner_cmd,
        sim_cmd,
        devices_cmd,
        face_eval_cmd,
        screenshots_cmd,
        run_cmd,
        staff_cmd,
        report_cmd,
    ):
        module.register(commands, common)
    return parser


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    if args.headless:
        return demo_cmd.run(args, settings)
    # Imported here: only commands with screens load Qt.
    from terminal.demo import screens as demo_ui  # noqa: PLC0415

    return demo_ui.run(args, settings)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    handler: Handler = args.handler
    try:
        settings = with_registration(args, load_settings(args.config))
        return handler(args, settings)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return exit_codes.CONFIG
    except StoreError as exc:
        print(f"store error: {exc}", file=sys.stderr)
        return exit_codes.STORE
    except (TillError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    except BrokenPipeError:
        # `... | head` closed the pipe: not an error of ours.
        return exit_codes.OK


if __name__ == "__main__":
    sys.exit(main())
