"""Every reason code of shifts has its words in both languages, with only the fields the
error carries, and the screens show a shift refusal by its code."""

from __future__ import annotations

import string

import pytest

from terminal.domain.shift import ShiftError
from terminal.errors import registered_codes
from terminal.ui.strings import CATALOG, Language, Strings
from terminal.ui.texts_shifts import SHIFT_TEXTS

CODES = sorted(ShiftError.CODES)


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_shift_texts_are_in_the_catalog() -> None:
    assert set(SHIFT_TEXTS) == set(CODES)
    assert all(CATALOG[code] == SHIFT_TEXTS[code] for code in CODES)


@pytest.mark.parametrize("code", CODES)
def test_each_shift_code_has_both_texts_using_only_its_fields(code: str) -> None:
    zh, en = CATALOG[code]
    assert zh.strip() and en.strip()
    carried = fields(registered_codes()[code])
    assert fields(zh) <= carried and fields(en) <= carried


def test_a_shift_refusal_shows_in_the_current_language() -> None:
    strings = Strings(Language.EN)
    error = ShiftError("shift.sale_open", order_no="T01-20261122-0007")
    assert strings.error(error) == (
        "Sale T01-20261122-0007 has money taken or on its way: finish it, or let its payment"
        " settle, before closing the shift"
    )
    strings.set_language(Language.ZH_CN)
    assert strings.error(ShiftError("shift.none_open")).startswith("尚未开班")
