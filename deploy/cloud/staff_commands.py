"""``facepay-cloud staff add|list|disable|set-pin``: the operator's side of a store's staff.

A PIN is never an argument (it would sit in the shell's history and in ``ps``): it is
read from stdin, one line, when stdin is not a terminal (``printf '%s\\n' "$PIN" |
facepay-cloud staff add ...``), else prompted for twice without echo
(``terminal/cli/pin_prompt.py``). Nothing printed here shows a PIN or its hash.

What must not live here: the database work (``staff_records``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from deploy.cloud import staff_records
from deploy.cloud.database import Database
from deploy.cloud.staff_records import StaffRecordError
from terminal.cli.pin_prompt import read_new_pin
from terminal.errors import InputError

OK = 0


def add_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], db_help: str
) -> None:
    staff = commands.add_parser("staff", help="who may sign in at a store's tills")
    actions = staff.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    pin_note = "; the PIN (4-8 digits) is read from stdin, or prompted for twice"

    adding = actions.add_parser("add", help="add a staff member" + pin_note)
    adding.add_argument("--db", required=True, help=db_help)
    adding.add_argument("--store", required=True)
    adding.add_argument("--id", required=True, dest="staff_id", help="1-16 of A-Z a-z 0-9 _ -")
    adding.add_argument("--name", required=True)
    adding.add_argument("--role", required=True, choices=staff_records.ROLES)

    listing = actions.add_parser("list", help="every staff member: store, id, name, role")
    listing.add_argument("--db", required=True, help=db_help)
    listing.add_argument("--store", help="only this store's staff")
    listing.add_argument("--json", action="store_true", help="one JSON array")

    disabling = actions.add_parser("disable", help="stop a staff member signing in")
    disabling.add_argument("staff_id", metavar="ID")
    disabling.add_argument("--db", required=True, help=db_help)
    disabling.add_argument("--store", required=True)

    new_pin = actions.add_parser("set-pin", help="give a staff member a new PIN" + pin_note)
    new_pin.add_argument("staff_id", metavar="ID")
    new_pin.add_argument("--db", required=True, help=db_help)
    new_pin.add_argument("--store", required=True)


def run(args: argparse.Namespace, db: Database) -> int:
    if args.staff_command == "list":
        return list_staff(db, args.store, as_json=args.json)
    if args.staff_command == "disable":
        done = staff_records.disable(db, args.store, args.staff_id)
        if done.already:
            print(f"staff member {args.staff_id} of store {args.store} was disabled already")
        else:
            print(
                f"disabled staff member {args.staff_id} of store {args.store}: "
                "the store's tills drop them at their next sync"
            )
        return OK
    pin = read_pin()
    if args.staff_command == "add":
        member = staff_records.add(
            db, args.store, args.staff_id, name=args.name, role=args.role, pin=pin
        )
        print(f"added {member.role} {member.staff_id} ({member.name}) to store {member.store_id}")
    else:
        member = staff_records.set_pin(db, args.store, args.staff_id, pin)
        print(f"new PIN for staff member {member.staff_id} of store {member.store_id}")
    return OK


def read_pin() -> str:
    try:
        return read_new_pin()
    except InputError as error:
        raise StaffRecordError(str(error)) from None


def list_staff(db: Database, store_id: str | None, *, as_json: bool) -> int:
    found = staff_records.list_staff(db, store_id)
    if as_json:
        json.dump([asdict(member) for member in found], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return OK
    if not found:
        print(f"no staff{f' in store {store_id}' if store_id else ''}")
        return OK
    header = ("STORE", "ID", "NAME", "ROLE", "STATE", "UPDATED")
    lines = [header] + [
        (
            member.store_id,
            member.staff_id,
            member.name,
            member.role,
            "disabled" if member.disabled else "active",
            member.updated_at[:19],
        )
        for member in found
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
    return OK
