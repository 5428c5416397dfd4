"""``facepay-terminal demo --headless``: the product with everything simulated, no screens."""

from __future__ import annotations

import argparse
import sys

from terminal.cli import exit_codes
from terminal.cli.context import db_path
from terminal.config import Settings, default_data_dir
from terminal.demo.headless import fresh_demo_db_path, run_demo


def run(args: argparse.Namespace, settings: Settings) -> int:
    given = getattr(args, "db", None)
    path = db_path(args, settings) if given else fresh_demo_db_path(default_data_dir())
    print("facepay-terminal demo (headless: no screens; './scripts/demo' opens both)\n")
    run_demo(path, settings, sys.stdout)
    print(
        f"The store is at {path}.\nSee every order with: facepay-terminal orders export --db {path}"
    )
    return exit_codes.OK
