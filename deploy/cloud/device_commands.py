"""``facepay-cloud devices list|revoke``: what an operator sees of the registered devices
and how one whose token leaked or whose till is gone is cut off.

What must not live here: the database work (``device_admin``) and argument parsing
(``cli``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from deploy.cloud import device_admin
from deploy.cloud.database import Database

OK = 0


def run(args: argparse.Namespace, db: Database) -> int:
    if args.devices_command == "list":
        return list_devices(db, args.store, as_json=args.json)
    return revoke(db, args.device_id, by=args.by)


def list_devices(db: Database, store_id: str | None, *, as_json: bool) -> int:
    found = device_admin.list_devices(db, store_id)
    if as_json:
        rows = [{**asdict(device), "revoked": device.revoked} for device in found]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return OK
    if not found:
        print(f"no devices{f' in store {store_id}' if store_id else ''}")
        return OK
    header = ("DEVICE", "STORE", "NAME", "CREATED", "REVOKED")
    lines = [header] + [
        (
            device.device_id,
            device.store_id,
            device.name or "-",
            device.created_at[:19],
            f"{device.revoked_at[:19]} by {device.revoked_by}" if device.revoked_at else "-",
        )
        for device in found
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )
    return OK


def revoke(db: Database, device_id: str, *, by: str) -> int:
    done = device_admin.revoke(db, device_id, by=by)
    device = done.device
    if done.already:
        print(
            f"device {device_id} was already revoked at {device.revoked_at} by {device.revoked_by}"
        )
    else:
        print(
            f"revoked device {device_id} of store {device.store_id}: its token is refused "
            "from now on; the till must be registered again with a new code"
        )
    return OK
