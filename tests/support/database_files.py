"""The bytes a database leaves on disk: the files of an SQLite database (main, -wal, -shm)
or a PostgreSQL cluster's whole data directory (base/, pg_wal/, ...), searched for
plaintext the way someone holding a copy of the disk would."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path


def sqlite_files(database: Path) -> list[Path]:
    return [database, *(Path(f"{database}{suffix}") for suffix in ("-wal", "-shm", "-journal"))]


def files_under(roots: list[Path]) -> Iterator[Path]:
    for root in roots:
        if root.is_file():
            yield root
        elif root.is_dir():
            yield from (path for path in sorted(root.rglob("*")) if path.is_file())


def found_in(roots: list[Path], needles: Mapping[str, bytes]) -> list[str]:
    """ "<needle name> in <file>" for every needle whose bytes are in a file under roots."""
    hits = []
    for path in files_under(roots):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue  # a WAL segment recycled, a temp file gone, while we looked
        hits += [f"{name} in {path}" for name, needle in needles.items() if needle in data]
    return hits
