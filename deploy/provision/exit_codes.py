"""Exit codes of ``facepay-provision``, one per kind of failure, so a script driving a
hundred installs can tell "wrong code" from "no network" without reading text.

The table in README.md is generated from nothing: keep the two in step by hand.
"""

from __future__ import annotations

OK = 0  # provisioned (warnings possible), or --check found no drift, or wiped
INTERNAL = 1  # an unexpected error: a bug; the traceback is on stderr
USAGE = 2  # malformed command line (a plain http:// cloud), or --yes missing without a tty
BAD_CODE = 10  # the cloud refused the enrollment code (unknown, used, expired, too many tries)
CLOUD = 11  # the cloud cannot be reached or answered with a server error
HARDWARE = 12  # something that blocks selling: the local store cannot be written
DISK = 13  # not enough free disk space for the models and the store
PERMISSIONS = 14  # a target folder or file cannot be written (run as root, or use --root)
CONFIG = 15  # the configuration would be invalid, or the device is set up for another cloud
MODELS = 16  # a downloaded model failed its sha256 or size check
CLOCK = 17  # the clock is more than 60 s off the cloud's
PLATFORM = 18  # unsupported Python version
DRIFT = 20  # --check: the device differs from what provisioning would make it
UNSYNCED = 21  # wipe refused: orders not yet accepted by the cloud remain (use --force)
# wipe refused: the token could not be revoked (cloud unreachable) - CLOUD, unless --offline

DESCRIPTIONS: dict[int, str] = {
    OK: "success",
    INTERNAL: "unexpected error",
    USAGE: "bad command line",
    BAD_CODE: "enrollment code refused",
    CLOUD: "cloud unreachable",
    HARDWARE: "blocking hardware problem",
    DISK: "not enough disk space",
    PERMISSIONS: "cannot write target folders",
    CONFIG: "invalid configuration",
    MODELS: "model verification failed",
    CLOCK: "clock too far off",
    PLATFORM: "unsupported platform",
    DRIFT: "drift found (--check)",
    UNSYNCED: "unsynced orders remain (wipe)",
}
