"""``facepay-terminal orders export``: every order with its lines and payments."""

from __future__ import annotations

import argparse
import json
import sys

from terminal.cli import exit_codes
from terminal.cli.context import open_for
from terminal.config import Settings
from terminal.domain.money import format_cents
from terminal.storage.orders import OrderRepository, as_documents


def export(args: argparse.Namespace, settings: Settings) -> int:
    orders = OrderRepository(open_for(args, settings))
    out = sys.stdout
    if args.json:
        out.write("[")
        for index, document in enumerate(as_documents(orders.iter_orders())):
            out.write(",\n" if index else "\n")
            out.write(json.dumps(document, ensure_ascii=False))
        out.write("\n]\n")
        return exit_codes.OK
    for document in as_documents(orders.iter_orders()):
        totals = document["totals"]
        out.write(
            f"{document['order_no']}  {document['state']:<9}  "
            f"total {format_cents(totals['total_cents']):>9}  opened {document['opened_at']}\n"
        )
        for line in document["lines"]:
            void = " VOID" if line["voided"] else ""
            grams = line["weight_grams"]
            amount = f"{grams} g" if grams else f"x{line['quantity']}"
            name = line["name_zh"] or line["name_en"]
            out.write(
                f"    {line['line_no']:>3} {line['sku']:<14} {amount:<12} "
                f"{format_cents(line['net_cents']):>9}{void}  {name}\n"
            )
        for payment in document["payments"]:
            out.write(
                f"    pay {payment['method']:<11} {payment['state']:<9} "
                f"{format_cents(payment['amount_cents']):>9}  change "
                f"{format_cents(payment['change_cents'])}  {payment['payment_id']}\n"
            )
    return exit_codes.OK
