"""``facepay-terminal report x|z [--shift N] [--json]``: a shift's X report (the figures so
far, of the open shift unless ``--shift`` names one) or its Z report (as written when the
shift closed: of the last closed shift unless ``--shift`` names one).

Closing a shift (the count, who closes) is the till's job, not this command's: ``report
z`` only reads what the close wrote. No shift to report on is exit 1, with the reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from terminal.app.shifts import ShiftService
from terminal.cli import exit_codes
from terminal.cli.context import open_for
from terminal.config import Settings
from terminal.domain.money import format_cents
from terminal.domain.shift_report import x_report_document


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "report", parents=[common], help="a shift's X report (so far) or Z report (at close)"
    )
    parser.add_argument("kind", choices=["x", "z"], help="x: figures so far; z: as closed")
    parser.add_argument(
        "--shift", type=int, metavar="N", help="shift number (default: open / last closed)"
    )
    parser.add_argument("--json", action="store_true", help="the report as one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    db = open_for(args, settings)
    try:
        shifts = ShiftService(db, settings.device_id)
        if args.kind == "x":
            document = x_report_document(shifts.report_of(shifts.shift(args.shift)))
        else:
            document = shifts.z_document(args.shift)
    finally:
        db.close()
    if args.json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render(document))
    return exit_codes.OK


def render(document: dict[str, Any]) -> str:
    """The report as a technician reads it on a terminal."""
    money = format_cents
    title = f"Z report {document['z_number']}" if document["kind"] == "Z" else "X report (so far)"
    lines = [
        f"{title}: shift {document['shift_no']} of {document['device_id']}",
        f"opened {document['opened_at']} by {document['opened_by']}",
    ]
    if document.get("closed_at"):
        lines.append(f"closed {document['closed_at']} by {document['closed_by']}")
    if document["kind"] == "X":
        lines.append(f"at     {document['at']}")
    lines += ["", f"{'tender':<10}{'sales':>12}{'refunds':>12}{'net':>12}{'count':>7}"]
    for t in document["tenders"]:
        lines.append(
            f"{t['tender']:<10}{money(t['sales_cents']):>12}{money(t['refunds_cents']):>12}"
            f"{money(t['net_cents']):>12}{t['sales_count']:>7}"
        )
    lines.append(
        f"{'total':<10}{money(document['sales_cents']):>12}"
        f"{money(document['refunds_cents']):>12}{money(document['net_cents']):>12}"
    )
    lines += [
        "",
        f"orders paid {document['orders_paid']}, cancelled {document['orders_cancelled']};"
        f" discounts {money(document['discounts_cents'])}",
        f"float          {money(document['float_cents']):>12}",
        f"pay-ins    ({document['pay_ins_count']:>2}) {money(document['pay_ins_cents']):>12}",
        f"pay-outs   ({document['pay_outs_count']:>2}) {money(document['pay_outs_cents']):>12}",
        f"cash expected  {money(document['cash_expected_cents']):>12}",
    ]
    if document["kind"] == "Z":
        lines += [
            f"cash counted   {money(document['counted_cents']):>12}",
            f"variance       {money(document['variance_cents']):>12}",
        ]
    return "\n".join(lines) + "\n"
