"""``facepay-terminal demo``: the product with everything simulated."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from terminal.cli import exit_codes
from terminal.config import Settings, default_data_dir
from terminal.demo.headless import fresh_demo_db_path, run_demo
from terminal.storage.database import open_store


def run(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.db) if args.db else fresh_demo_db_path(default_data_dir())
    db = open_store(path)
    print("facepay-terminal demo (headless: the screens come in a later release)\n")
    run_demo(db, settings, sys.stdout)
    print(
        f"The store is at {path}.\nSee every order with: facepay-terminal orders export --db {path}"
    )
    return exit_codes.OK
