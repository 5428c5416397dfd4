"""PIN hashes: salted argon2id (the same PIN twice gives two hashes, both verify), a wrong
PIN is refused, a check takes about a tenth of a second, and a hash from elsewhere is
refused when it is not argon2id or would cost the till too much."""

from __future__ import annotations

import statistics
import time

import pytest
from argon2 import PasswordHasher, Type, extract_parameters

from terminal.domain.staff import StaffError
from terminal.pin_hashes import (
    DECOY,
    MEMORY_KIB,
    PARALLELISM,
    TIME_COST,
    hash_pin,
    spend_a_check,
    usable,
    verify_pin,
)


def test_the_same_pin_twice_gives_two_hashes_that_both_verify() -> None:
    first, second = hash_pin("4821"), hash_pin("4821")
    assert first != second  # salted
    assert first.startswith("$argon2id$")
    assert "4821" not in first
    assert verify_pin(first, "4821") and verify_pin(second, "4821")


def test_a_wrong_pin_is_refused() -> None:
    stored = hash_pin("48210")
    for guess in ("4821", "482100", "48211", "", "48210 "):
        assert not verify_pin(stored, guess)


def test_only_a_pin_of_4_to_8_digits_is_hashed() -> None:
    for bad in ("123", "123456789", "12a4"):
        with pytest.raises(StaffError):
            hash_pin(bad)


def test_a_check_takes_about_a_tenth_of_a_second() -> None:
    stored = hash_pin("4821")
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        verify_pin(stored, "4821")
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(f"\nPIN check: median {median * 1000:.0f} ms of {len(timings)}")
    # Tuned to ~0.11 s on the 2-core development VM; wide bounds for a busy machine.
    assert 0.02 < median < 1.0


def test_an_unknown_id_costs_a_check_like_a_known_one() -> None:
    params = extract_parameters(DECOY)
    assert (params.type, params.time_cost, params.memory_cost, params.parallelism) == (
        Type.ID,
        TIME_COST,
        MEMORY_KIB,
        PARALLELISM,
    )
    stored = hash_pin("4821")
    start = time.perf_counter()
    spend_a_check("4821")
    decoy = time.perf_counter() - start
    start = time.perf_counter()
    verify_pin(stored, "0000")
    real = time.perf_counter() - start
    assert decoy > real / 3


@pytest.mark.parametrize(
    "pin_hash",
    [
        "",
        "4821",
        "not a hash",
        PasswordHasher(type=Type.I, memory_cost=1024).hash("4821"),  # argon2i
        DECOY.replace("m=65536,t=2,p=1", "m=1048576,t=2,p=1"),  # 1 GiB a check
        DECOY.replace("m=65536,t=2,p=1", "m=65536,t=500,p=1"),  # a minute a check
        DECOY.replace("m=65536,t=2,p=1", "m=65536,t=2,p=64"),
        "$argon2id$v=19$m=65536,t=2,p=1$" + "A" * 300,
    ],
)
def test_a_hash_that_is_not_usable_is_refused_without_checking(pin_hash: str) -> None:
    assert not usable(pin_hash)
    assert not verify_pin(pin_hash, "4821")


def test_a_cheaper_argon2id_hash_from_the_cloud_still_verifies() -> None:
    # The costs live in the hash: a cloud tuned otherwise is still understood.
    other = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=2).hash("4821")
    assert usable(other) and verify_pin(other, "4821")
