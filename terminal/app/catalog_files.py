"""Catalog files in and out: CSV (the demo catalog's columns) or JSON (a list of objects).

An import is all or nothing: every bad row is reported with its row number and nothing is
written, so a store never runs on half a price list. Barcodes are validated and turned
into the 14-digit lookup key; weighed items are keyed by their scale PLU.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from importlib.resources.abc import Traversable
from typing import Any

from terminal import resources
from terminal.domain.catalog import CatalogItem
from terminal.domain.catalog_records import COLUMNS, item_from_record, item_to_record
from terminal.domain.errors import DomainError
from terminal.errors import InputError

REQUIRED = ("name_zh", "name_en", "price_cents", "tax_rate_bp")
DEMO_CATALOG = resources.demo_catalog()


class CatalogFileError(InputError):
    """A catalog file that cannot be imported; lists every bad row."""


def read_catalog(path: Traversable) -> list[CatalogItem]:
    """The items of a catalog file: a path, or a resource such as ``DEMO_CATALOG``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogFileError(f"catalog file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogFileError(f"catalog file {path} cannot be read as UTF-8: {exc}") from None
    if path.name.lower().endswith(".json") or text.lstrip().startswith(("[", "{")):
        records = _json_records(text, path)
        first_row = 1
    else:
        records = list(csv.DictReader(io.StringIO(text)))
        first_row = 2  # row 1 is the header
        if records and not set(REQUIRED) <= set(records[0]):
            missing = sorted(set(REQUIRED) - set(records[0]))
            raise CatalogFileError(f"{path}: header lacks {', '.join(missing)}")
    return items_from_records(records, str(path), first_row)


def _json_records(text: str, path: Traversable) -> list[Mapping[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogFileError(f"{path}: not valid JSON ({exc})") from None
    if isinstance(data, dict):
        data = data.get("items")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise CatalogFileError(f"{path}: expected a list of item objects (or {{'items': [...]}})")
    return data


def items_from_records(
    records: Iterable[Mapping[str, Any]], source: str, first_row: int = 1
) -> list[CatalogItem]:
    items: list[CatalogItem] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for row_no, record in enumerate(records, start=first_row):
        try:
            item = item_from_record(record)
        except (DomainError, ValueError) as exc:
            problems.append(f"row {row_no}: {exc}")
            continue
        if item.sku in seen:
            problems.append(f"row {row_no}: {item.sku} repeats row {seen[item.sku]}")
            continue
        seen[item.sku] = row_no
        items.append(item)
    if problems:
        shown = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise CatalogFileError(
            f"{source}: {len(problems)} bad row(s), nothing imported:\n  {shown}{more}"
        )
    return items


def write_csv(items: Iterable[CatalogItem], out: io.TextIOBase | Any) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in items:
        record = item_to_record(item)
        if record["member_price_cents"] is None:
            record["member_price_cents"] = ""
        writer.writerow(record)
