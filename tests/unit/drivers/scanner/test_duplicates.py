"""DuplicateFilter: a code held in the beam is one scan; two items are two."""

from __future__ import annotations

from drivers.scanner.duplicates import DuplicateFilter

MS = 1_000_000


def test_the_same_code_within_the_window_is_a_duplicate() -> None:
    duplicates = DuplicateFilter(800)
    assert not duplicates.is_duplicate("123", 0)
    assert duplicates.is_duplicate("123", 500 * MS)


def test_the_same_code_after_the_window_is_a_new_scan() -> None:
    duplicates = DuplicateFilter(800)
    assert not duplicates.is_duplicate("123", 0)
    assert not duplicates.is_duplicate("123", 900 * MS)


def test_a_code_held_in_the_beam_stays_one_scan_while_it_is_reread() -> None:
    duplicates = DuplicateFilter(800)
    assert not duplicates.is_duplicate("123", 0)
    assert all(duplicates.is_duplicate("123", t * 300 * MS) for t in range(1, 20))


def test_another_code_in_between_makes_the_repeat_a_new_scan() -> None:
    duplicates = DuplicateFilter(800)
    assert [duplicates.is_duplicate(code, i * MS) for i, code in enumerate("ABA")] == [
        False,
        False,
        False,
    ]


def test_a_zero_window_turns_suppression_off() -> None:
    duplicates = DuplicateFilter(0)
    assert not duplicates.is_duplicate("1", 0)
    assert not duplicates.is_duplicate("1", 0)


def test_forget_makes_the_next_read_new() -> None:
    duplicates = DuplicateFilter(800)
    duplicates.is_duplicate("1", 0)
    duplicates.forget()
    assert not duplicates.is_duplicate("1", MS)
