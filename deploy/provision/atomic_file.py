"""Writing a file so a power cut or a kill leaves the old one or the new one, never half:
temp file in the same folder (so the rename cannot cross file systems), fsync, rename,
fsync the folder (so the rename itself is on disk)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temp, mode)  # the mode given to open() is masked by the umask
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(path.parent)


def nearest_existing(path: Path) -> Path:
    """The path itself or its closest ancestor that exists (what a write would hit)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path("/")
