"""The ``facepay-cloud`` command line: serve, seed, enrollment codes, devices (list,
revoke), consent texts, member erasure, order export and the OpenAPI file. ``main(argv)``
returns the exit code; problems go to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from deploy.cloud import (
    admin,
    consent_registry,
    device_admin,
    device_commands,
    openapi_file,
    privacy_commands,
    staff_commands,
    vault,
)
from deploy.cloud.app import DEFAULT_MERGE_THRESHOLD, create_app
from deploy.cloud.database import Database, DatabaseError
from deploy.cloud.stores import StoreError
from deploy.cloud.vault import Vault, VaultError

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
    key_help = (
        f"file holding the base64 master key (mode 0600); default ${vault.MASTER_KEY_FILE_ENV}, "
        f"else ${vault.MASTER_KEY_ENV}"
    )

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
    serve.add_argument("--master-key-file", type=Path, help=key_help)

    seed = commands.add_parser("seed", help="create the demo store S001 (idempotent)")
    seed.add_argument("--db", required=True, help=db_help)
    seed.add_argument("--store", default=admin.DEMO_STORE)
    seed.add_argument("--master-key-file", type=Path, help=key_help)

    keys = commands.add_parser("keys", help="the master key that seals members' data")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    new_key = keys_sub.add_parser("new", help="write a new master key to a new file (0600)")
    new_key.add_argument("--out", type=Path, required=True, help="the file; must not exist")

    codes = commands.add_parser("codes", help="one-time device enrollment codes")
    codes_sub = codes.add_subparsers(dest="codes_command", required=True, metavar="ACTION")
    create = codes_sub.add_parser("create", help="print a new code")
    create.add_argument("--db", required=True, help=db_help)
    create.add_argument("--store", default=admin.DEMO_STORE)
    create.add_argument(
        "--ttl-hours",
        type=float,
        default=device_admin.CODE_TTL.total_seconds() / 3600,
        help="hours the code stays valid (default %(default)g, at most "
        f"{device_admin.MAX_CODE_TTL.days * 24})",
    )

    tills = commands.add_parser("devices", help="registered devices and their tokens")
    tills_sub = tills.add_subparsers(dest="devices_command", required=True, metavar="ACTION")
    listing = tills_sub.add_parser("list", help="every device: store, name, created, revoked")
    listing.add_argument("--db", required=True, help=db_help)
    listing.add_argument("--store", help="only this store's devices")
    listing.add_argument("--json", action="store_true", help="one JSON array")
    revoking = tills_sub.add_parser("revoke", help="refuse a device's token from now on")
    revoking.add_argument("device_id", metavar="DEVICE_ID")
    revoking.add_argument("--db", required=True, help=db_help)
    revoking.add_argument("--by", default="operator", help="who revokes, kept for the audit")

    _add_privacy_commands(commands, db_help)
    staff_commands.add_commands(commands, db_help)

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


def _add_privacy_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], db_help: str
) -> None:
    """``consents add|list|seed`` and ``members erase`` (``privacy_commands``)."""
    consents = commands.add_parser("consents", help="the consent texts customers accept")
    consents_sub = consents.add_subparsers(dest="consents_command", required=True, metavar="ACTION")
    adding = consents_sub.add_parser("add", help="register a new text (never edit one)")
    adding.add_argument("--db", required=True, help=db_help)
    adding.add_argument("--version", required=True, help="a new version name, e.g. 2027-01-v2")
    adding.add_argument("--language", required=True, choices=consent_registry.LANGUAGES)
    adding.add_argument("--kind", required=True, choices=consent_registry.KINDS)
    adding.add_argument(
        "--file", type=Path, required=True, help="UTF-8 text exactly as the till shows it"
    )
    texts = consents_sub.add_parser("list", help="every registered text with its sha256")
    texts.add_argument("--db", required=True, help=db_help)
    texts.add_argument("--kind", choices=consent_registry.KINDS)
    texts.add_argument("--json", action="store_true", help="one JSON array, texts included")
    seeding = consents_sub.add_parser("seed", help="register this release's till texts")
    seeding.add_argument("--db", required=True, help=db_help)

    members = commands.add_parser("members", help="members' data on request")
    members_sub = members.add_subparsers(dest="members_command", required=True, metavar="ACTION")
    erase = members_sub.add_parser("erase", help="erase a member (asked for off the till)")
    erase.add_argument("member_id", metavar="MEMBER_ID")
    erase.add_argument("--requested-by", required=True, help="who asked, kept for the audit")
    erase.add_argument("--db", required=True, help=db_help)


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
    except (StoreError, ValueError, FileNotFoundError, FileExistsError, VaultError) as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    except BrokenPipeError:
        return OK


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return _serve(args)
    if args.command == "keys":
        vault.write_master_key(args.out)
        print(f"wrote a new master key to {args.out}; keep a copy offline: without it no "
              "member's data can be read")  # fmt: skip
        return OK
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
            result = admin.seed(db, args.store, vault=_vault(args))
            print(
                f"store {args.store}: {'created' if result['store_created'] else 'exists'}, "
                f"{result['catalog_changed']} catalog item(s) changed, "
                f"{result['members_added']} member(s) added"
            )
        elif args.command == "codes":
            ttl = device_admin.code_ttl_hours(args.ttl_hours)
            print(admin.create_code(db, args.store, ttl=ttl))
            print(f"valid for {args.ttl_hours:g} h, once", file=sys.stderr)
        elif args.command == "devices":
            return device_commands.run(args, db)
        elif args.command == "consents":
            return privacy_commands.run_consents(args, db)
        elif args.command == "members":
            return privacy_commands.run_members(args, db)
        elif args.command == "staff":
            return staff_commands.run(args, db)
        elif args.command == "orders":
            json.dump(admin.export_orders(db), sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
    finally:
        db.close()
    return OK


def _serve(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise ValueError(f"--port {args.port} is not a TCP port")
    app = create_app(
        args.db,
        args.models_dir,
        master_key=vault.load_master_key(args.master_key_file),
        merge_threshold=args.merge_threshold,
    )
    # One worker: the SQLite engine and the in-memory model list belong to one process.
    uvicorn.run(app, host=args.host, port=args.port, workers=1, access_log=args.access_log)
    return OK


def _vault(args: argparse.Namespace) -> Vault:
    return Vault(vault.load_master_key(getattr(args, "master_key_file", None)))
