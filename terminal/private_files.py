"""Files only their owner may read: 0600 files in 0700 folders, whatever the umask.

The stores (the terminal's and the reference cloud's SQLite files, with their -wal and
-shm) and the face debug crops hold personal data. A folder this code creates is 0700; a
folder someone gave (it may be /tmp) is never changed, only warned about, once per folder.
Modes are set with chmod after creating, because the mode given to open() and mkdir() is
masked by the umask.

What must not live here: what goes in the files (the stores and the pipeline decide).
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from pathlib import Path

log = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SQLITE_SIDE_FILES = ("-wal", "-shm")

_warned: set[str] = set()
_warned_lock = threading.Lock()


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and its missing parents 0700; an existing one is left as it is."""
    missing = []
    step = folder
    while not step.exists():
        missing.append(step)
        if step.parent == step:
            break
        step = step.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # made at the same moment by another thread or process: theirs
        os.chmod(created, FOLDER_MODE)
    warn_if_open_to_others(folder)


def warn_if_open_to_others(folder: Path) -> None:
    """Log once per folder when group or others may enter it (it is not ours to change)."""
    try:
        mode = stat.S_IMODE(folder.stat().st_mode)
    except OSError:
        return
    if mode & 0o077:
        _warn_once(
            f"folder:{folder}",
            "folder %s (mode %s) holds private files but others may open it: make it 0700",
            folder,
            oct(mode),
        )


def create_private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 unless it exists, so whatever opens it next (SQLite)
    finds it owner-only from the start."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, FILE_MODE)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def write_private_file(path: Path, data: bytes) -> None:
    """Write a new file ``path`` 0600 (refusing to follow a link planted in its place)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def restrict_sqlite_files(db_path: Path) -> None:
    """Make an SQLite database and its -wal and -shm 0600, once they exist.

    SQLite creates -wal and -shm with the database file's mode, so a new store is right
    already; this tightens a store an older version (or another umask) made readable.
    """
    for path in (db_path, *(Path(f"{db_path}{suffix}") for suffix in SQLITE_SIDE_FILES)):
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode != FILE_MODE:
                os.chmod(path, FILE_MODE)
        except FileNotFoundError:
            continue
        except OSError as exc:
            _warn_once(f"file:{path}", "cannot make %s owner-only: %s", path, exc)


def _warn_once(key: str, message: str, *args: object) -> None:
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    log.warning(message, *args)
