"""Reading a new PIN for a staff command: never from the command line (it would stay in
the shell's history and show in ``ps``). From stdin's first line when stdin is not a
terminal (``printf '%s\\n' "$PIN" | ...``); on a terminal, typed twice without echo.

Used by ``facepay-terminal staff add`` and ``facepay-cloud staff add|set-pin``. What must
not live here: checking the PIN's shape (``terminal/domain/staff.py``), hashing it.
"""

from __future__ import annotations

import getpass
import sys

from terminal.errors import InputError

MAX_LINE = 64  # far above any PIN: a pasted file is not read whole


def read_new_pin() -> str:
    if not sys.stdin.isatty():
        pin = sys.stdin.readline(MAX_LINE).rstrip("\r\n")
        if not pin:
            raise InputError("no PIN on stdin: give it as the first line")
        return pin
    first = getpass.getpass("PIN (4-8 digits): ")
    if getpass.getpass("the same PIN again: ") != first:
        raise InputError("the two PINs differ; nothing was changed")
    return first
