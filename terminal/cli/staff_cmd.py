"""``facepay-terminal staff add|list|disable``: staff of a till that has no cloud yet.

A till that is not registered has no staff stream, so its staff are added here, marked
local. When the till is registered later they keep working beside the cloud's staff:
a pull never overwrites or deletes a local staff member, and a cloud staff member with
the same id is left out (logged) until the local one is disabled here, which hands the
id over to the cloud at the next sync. On a registered till staff are added in the cloud
(``facepay-cloud staff add``), so ``add`` refuses; ``list`` and ``disable`` still work.

The PIN is read from stdin or prompted for (``pin_prompt``), never an argument; nothing
printed shows it or its hash.
"""

from __future__ import annotations

import argparse
import json
import sys

from terminal.app.staff_login import StaffDirectory
from terminal.cli import exit_codes
from terminal.cli.context import open_for, registration_for
from terminal.cli.pin_prompt import read_new_pin
from terminal.config import Settings
from terminal.domain.staff import Role


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("staff", parents=[common], help="staff of this till")
    actions = parser.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    adding = actions.add_parser(
        "add",
        parents=[common],
        help="a local staff member (an unregistered till); the PIN from stdin or prompted",
    )
    adding.add_argument("--id", required=True, dest="staff_id", help="1-16 of A-Z a-z 0-9 _ -")
    adding.add_argument("--name", required=True)
    adding.add_argument("--role", required=True, choices=[str(role) for role in Role])
    adding.set_defaults(handler=add)
    listing = actions.add_parser("list", parents=[common], help="every staff member here")
    listing.add_argument("--json", action="store_true", help="one JSON array")
    listing.set_defaults(handler=list_staff)
    disabling = actions.add_parser("disable", parents=[common], help="a local staff member")
    disabling.add_argument("staff_id", metavar="ID")
    disabling.set_defaults(handler=disable)


def add(args: argparse.Namespace, settings: Settings) -> int:
    if registration_for(args, settings) is not None:
        print(
            "this till is registered: add staff in the cloud ('facepay-cloud staff add'); "
            "they reach the till at its next sync",
            file=sys.stderr,
        )
        return exit_codes.BAD_INPUT
    pin = read_new_pin()
    record = StaffDirectory(open_for(args, settings)).add_local(
        args.staff_id, args.name, args.role, pin
    )
    print(f"added local {record.role} {record.staff_id} ({record.name})")
    return exit_codes.OK


def list_staff(args: argparse.Namespace, settings: Settings) -> int:
    found = StaffDirectory(open_for(args, settings)).all()
    rows = [
        {
            "staff_id": r.staff_id,
            "name": r.name,
            "role": str(r.role),
            "source": r.source,
            "disabled": r.disabled,
        }
        for r in found
    ]
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return exit_codes.OK
    if not rows:
        print("no staff on this till")
        return exit_codes.OK
    for row in rows:
        state = "disabled" if row["disabled"] else "active"
        print(f"{row['staff_id']:<16}  {row['role']:<8}  {row['source']:<5}  {state:<8}  "
              f"{row['name']}")  # fmt: skip
    return exit_codes.OK


def disable(args: argparse.Namespace, settings: Settings) -> int:
    if StaffDirectory(open_for(args, settings)).disable_local(args.staff_id):
        print(f"disabled local staff member {args.staff_id}")
    else:
        print(f"local staff member {args.staff_id} was disabled already")
    return exit_codes.OK
