"""Staff PINs as salted slow hashes (argon2id), made by the cloud's operator commands and
the till's own ``staff add``, checked by the till offline.

A PIN has 4 to 8 digits: whoever holds a hash can try every PIN, so the hash is slow on
purpose (argon2id, 64 MiB, 2 passes: about 0.1 s a check on a 2-core till) and salted
(the same PIN never gives the same hash). That slows a thief of the store file or of the
staff stream; it does not make a 4-digit PIN strong.

A hash that came from elsewhere is checked before use (``usable``): argon2id only, and
within the costs below, so a bad record cannot make the till spend seconds or gigabytes.
Never log a PIN, nor a hash.

What must not live here: what a PIN may look like (``terminal/domain/staff.py``), who may
sign in (``terminal/app/staff_login.py``).
"""

from __future__ import annotations

import logging

from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from terminal.domain.staff import check_pin

log = logging.getLogger(__name__)

# Tuned on the development VM (2 cores): 0.11-0.12 s per check (test_pin_hashes.py
# measures it and fails outside 0.02-1 s).
TIME_COST = 2
MEMORY_KIB = 64 * 1024
PARALLELISM = 1
MAX_HASH_CHARS = 200

# What a hash from the cloud may ask of the till at most.
MAX_TIME_COST = 10
MAX_MEMORY_KIB = 256 * 1024
MAX_PARALLELISM = 4

# The hash of a random PIN nobody knows, made with the costs above (a test checks they
# match): what an unknown id's PIN is checked against. A constant, so the first unknown
# id takes no longer than the next.
DECOY = (
    "$argon2id$v=19$m=65536,t=2,p=1$NdIPPN0f/UHQtR5sivDLgA"
    "$fKyK0YxSfNYPeKY1NVwTA5BFCZdVWX2o81Zpn5tWj+s"
)

_HASHER = PasswordHasher(
    time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM, type=Type.ID
)


def hash_pin(pin: str) -> str:
    """A new salted argon2id hash of ``pin`` (PHC string: ``$argon2id$v=19$m=...``);
    ``staff.bad_pin`` unless the PIN has 4 to 8 digits."""
    return _HASHER.hash(check_pin(pin))


def usable(pin_hash: str) -> bool:
    """Whether ``pin_hash`` is an argon2id hash this till will spend time checking."""
    if not isinstance(pin_hash, str) or len(pin_hash) > MAX_HASH_CHARS:
        return False
    try:
        found = extract_parameters(pin_hash)
    except (InvalidHashError, ValueError):
        return False
    return (
        found.type is Type.ID
        and 1 <= found.time_cost <= MAX_TIME_COST
        and 8 <= found.memory_cost <= MAX_MEMORY_KIB
        and 1 <= found.parallelism <= MAX_PARALLELISM
    )


def verify_pin(pin_hash: str, pin: str) -> bool:
    """Whether ``pin`` matches ``pin_hash``; False too for a hash that is not usable."""
    if not usable(pin_hash):
        log.warning("a staff PIN hash is not a usable argon2id hash; refusing the PIN")
        return False
    try:
        return _HASHER.verify(pin_hash, pin)
    except VerifyMismatchError:
        return False
    except (VerificationError, InvalidHashError):
        log.warning("a staff PIN hash could not be checked; refusing the PIN")
        return False


def spend_a_check(pin: str) -> None:
    """As long as checking a PIN takes, for an id nobody holds: the time an answer takes
    must not tell a real id from an unknown one."""
    verify_pin(DECOY, pin)
