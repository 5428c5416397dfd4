"""Errors of the local store (a file that cannot be opened, a schema from the future).

What must not live here: domain rule errors (``terminal/domain/errors.py``).
"""

from __future__ import annotations


class StoreError(Exception):
    """The local store cannot be used: the message says which file and what to do."""
