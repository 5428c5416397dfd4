"""The master key the tests' clouds run with: one per test session, made here, handed to
servers in our process directly and to server processes through the environment."""

from __future__ import annotations

import os

from deploy.cloud.vault import MASTER_KEY_ENV, Vault, encode_key, new_key

MASTER_KEY = new_key()
VAULT = Vault(MASTER_KEY)


def server_environment() -> dict[str, str]:
    """The environment for a ``facepay-cloud`` process that shares this session's key."""
    return {**os.environ, MASTER_KEY_ENV: encode_key(MASTER_KEY)}
