"""``facepay-terminal catalog import FILE|--demo`` and ``catalog export [--json]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from terminal.app.catalog_files import DEMO_CATALOG, read_catalog, write_csv
from terminal.cli import exit_codes
from terminal.cli.context import open_for
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.domain.catalog_records import item_to_record
from terminal.storage.catalog import CatalogRepository


def import_file(args: argparse.Namespace, settings: Settings) -> int:
    # The parser makes FILE and --demo exclusive, and one of them required.
    items = read_catalog(DEMO_CATALOG if args.demo else Path(args.file))
    catalog = CatalogRepository(open_for(args, settings))
    written = catalog.upsert(items, utc_now())
    print(f"imported {written} item(s); the catalog now holds {catalog.count()}")
    return exit_codes.OK


def export(args: argparse.Namespace, settings: Settings) -> int:
    catalog = CatalogRepository(open_for(args, settings))
    if args.json:
        records = [item_to_record(item) for item in catalog.all()]
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        write_csv(catalog.all(), sys.stdout)
    return exit_codes.OK
