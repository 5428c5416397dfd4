"""What every command needs: the store opened from the settings (``--db`` wins)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlite_utils import Database

from terminal.config import Settings
from terminal.store.database import Synchronous, open_store


def db_path(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.db) if getattr(args, "db", None) else settings.db_path


def open_for(args: argparse.Namespace, settings: Settings) -> Database:
    sync: Synchronous = "NORMAL" if settings.synchronous == "NORMAL" else "FULL"
    return open_store(db_path(args, settings), synchronous=sync)
