"""The face debug folder: aligned crops of every face analysed, written only when
``face.debug_dir`` is set (``run`` refuses it without ``--unsafe-debug``).

The crops are biometric data: each is 0600 in a folder made 0700, and crops older than a
day are deleted when the folder is opened and then at most once an hour. Only files named
as this module names them are ever deleted: the folder may be one shared with other files.

What must not live here: deciding whether crops are written (the settings and ``run``).
"""

from __future__ import annotations

import logging
import re
import stat
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import cv2

from terminal.face.detect import Image
from terminal.private_files import make_private_folder, write_private_file

log = logging.getLogger(__name__)

KEEP_S = 24 * 3600.0
PRUNE_EVERY_S = 3600.0
# A crop's name: a random uuid, so one never replaces another.
_CROP_NAME = re.compile(r"^[0-9a-f]{32}\.png$")


class DebugCrops:
    """Writes crops into one folder and keeps it to the last day's. Not thread-safe: one
    per pipeline, as the pipeline is one per worker."""

    def __init__(self, folder: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.folder = folder
        self._clock = clock
        make_private_folder(folder)
        log.warning("face debug crops are being written to %s", folder)
        self._failing = False
        self._pruned_at = clock()
        self.prune()

    def write(self, crop: Image) -> Path | None:
        """Write one crop; None when it could not be (a debug aid never fails a frame)."""
        now = self._clock()
        # A clock set back counts as due: the next prune is never more than an hour away.
        if not 0 <= now - self._pruned_at < PRUNE_EVERY_S:
            self._pruned_at = now
            self.prune()
        ok, png = cv2.imencode(".png", crop)
        if not ok:
            self._failed("the crop cannot be encoded as PNG")
            return None
        path = self.folder / f"{uuid.uuid4().hex}.png"
        try:
            write_private_file(path, png.tobytes())
        except OSError as exc:
            self._failed(str(exc))
            return None
        self._failing = False
        return path

    def _failed(self, why: str) -> None:
        if not self._failing:  # once per run of failures, not once per frame
            log.warning("face debug crops are not being written: %s", why)
        self._failing = True

    def prune(self) -> int:
        """Delete this module's crops older than a day; how many went."""
        oldest = self._clock() - KEEP_S
        removed = 0
        try:
            entries = list(self.folder.iterdir())
        except OSError as exc:
            log.warning("cannot list the face debug folder %s: %s", self.folder, exc)
            return 0
        for entry in entries:
            if not _CROP_NAME.match(entry.name):
                continue
            try:
                info = entry.lstat()
                if stat.S_ISREG(info.st_mode) and info.st_mtime < oldest:
                    entry.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.warning("cannot delete the old face crop %s: %s", entry, exc)
        if removed:
            log.info("%d face debug crop(s) older than a day deleted", removed)
        return removed
