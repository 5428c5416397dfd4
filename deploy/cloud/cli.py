"""The ``facepay-cloud`` command line: serve, seed, enrollment codes, order export and the
OpenAPI file. ``main(argv)`` returns the exit code; problems go to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from deploy.cloud import admin, openapi_file
from deploy.cloud.app import DEFAULT_MERGE_THRESHOLD, create_app
from deploy.cloud.database import Database, DatabaseError
from deploy.cloud.stores import StoreError

OK = 0
BAD_INPUT = 1
USAGE = 2  # argparse's own
DATABASE = 4  # the database cannot be opened or written (as facepay-terminal's STORE)
STALE = 5  # openapi --check: the checked-in file differs from the app


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facepay-cloud", description="The reference cloud API for facepay terminals."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more to stderr")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    db_help = "SQLite file path (default kind) or postgresql://user@host:port/db"

    serve = commands.add_parser("serve", help="run the API server")
    serve.add_argument("--db", required=True, help=db_help)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--models-dir", type=Path, help="folder of model files to serve")
    serve.add_argument(
        "--merge-threshold",
        type=float,
        default=DEFAULT_MERGE_THRESHOLD,
        help="cosine similarity at which an enrollment joins an existing member",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")

    seed = commands.add_parser("seed", help="create the demo store S001 (idempotent)")
    seed.add_argument("--db", required=True, help=db_help)
    seed.add_argument("--store", default=admin.DEMO_STORE)

    codes = commands.add_parser("codes", help="one-time device enrollment codes")
    codes_sub = codes.add_subparsers(dest="codes_command", required=True, metavar="ACTION")
    create = codes_sub.add_parser("create", help="print a new code")
    create.add_argument("--db", required=True, help=db_help)
    create.add_argument("--store", default=admin.DEMO_STORE)

    orders = commands.add_parser("orders", help="orders received from terminals")
    orders_sub = orders.add_subparsers(dest="orders_command", required=True, metavar="ACTION")
    export = orders_sub.add_parser("export", help="every order document")
    export.add_argument("--db", required=True, help=db_help)
    export.add_argument("--json", action="store_true", help="one JSON array (the only format)")

    spec = commands.add_parser("openapi", help="print the OpenAPI document")
    mode = spec.add_mutually_exclusive_group()
    mode.add_argument(
        "--write", action="store_true", help=f"rewrite {openapi_file.OPENAPI_FILE.name}"
    )
    mode.add_argument("--check", action="store_true", help="exit 5 if the checked-in file is stale")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose or args.command == "serve" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return _dispatch(args)
    except DatabaseError as error:
        print(f"database error: {error}", file=sys.stderr)
        return DATABASE
    except (StoreError, ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    except BrokenPipeError:
        return OK


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return _serve(args)
    if args.command == "openapi":
        if args.write:
            print(f"wrote {openapi_file.write()}")
            return OK
        if args.check:
            if openapi_file.is_current():
                return OK
            print(
                f"{openapi_file.OPENAPI_FILE} is stale; run 'facepay-cloud openapi --write'",
                file=sys.stderr,
            )
            return STALE
        sys.stdout.write(openapi_file.render(openapi_file.current_schema()))
        return OK
    db = Database(args.db)
    try:
        if args.command == "seed":
            result = admin.seed(db, args.store)
            print(
                f"store {args.store}: {'created' if result['store_created'] else 'exists'}, "
                f"{result['catalog_changed']} catalog item(s) changed, "
                f"{result['members_added']} member(s) added"
            )
        elif args.command == "codes":
            print(admin.create_code(db, args.store))
        elif args.command == "orders":
            json.dump(admin.export_orders(db), sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
    finally:
        db.close()
    return OK


def _serve(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise ValueError(f"--port {args.port} is not a TCP port")
    app = create_app(args.db, args.models_dir, merge_threshold=args.merge_threshold)
    # One worker: the SQLite engine and the in-memory model list belong to one process.
    uvicorn.run(app, host=args.host, port=args.port, workers=1, access_log=args.access_log)
    return OK
