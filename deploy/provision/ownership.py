"""Giving the data folder and the secrets to the service user.

Only root can chown, and only a real system should be touched: under a --root that root
does not own (a technician's staging folder, a test) the chown is skipped; modes are
set regardless, so the secrets stay 0600 either way.
"""

from __future__ import annotations

import os
import pwd
from pathlib import Path

from deploy.provision.options import Options


def service_owner(options: Options) -> tuple[int, int] | str | None:
    """(uid, gid) to chown to; None when chown does not apply; a warning text when the
    service user is missing."""
    root = options.layout.root
    if os.geteuid() != 0 or (root is not None and root.stat().st_uid != 0):
        return None
    try:
        user = pwd.getpwnam(options.user)
    except KeyError:
        return (
            f"service user {options.user!r} does not exist (useradd --system "
            f"{options.user}); files stay root's"
        )
    return user.pw_uid, user.pw_gid


def give_to_service_user(options: Options, paths: list[Path]) -> list[str]:
    """chown each path (folders recursively); the warnings to report."""
    owner = service_owner(options)
    if owner is None:
        return []
    if isinstance(owner, str):
        return [owner]
    uid, gid = owner
    for path in paths:
        if not path.exists():
            continue
        os.chown(path, uid, gid)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                for name in [*dirs, *files]:
                    os.chown(os.path.join(folder, name), uid, gid, follow_symlinks=False)
    return []
