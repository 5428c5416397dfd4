"""Errors of the local store (a file that cannot be opened, a schema from the future)."""

from __future__ import annotations


class StoreError(Exception):
    """The local store cannot be used: the message says which file and what to do."""
