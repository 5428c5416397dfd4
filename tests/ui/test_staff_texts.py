"""The staff texts (terminal/ui/texts_staff.py): every staff reason code in both languages
using only the fields its error carries, an unknown id worded exactly like a wrong PIN,
and a name for each role and each restricted action."""

from __future__ import annotations

import string

import pytest

from terminal.app.staff_login import LoginRefused
from terminal.domain.staff import RestrictedAction, Role, StaffError
from terminal.ui.texts_staff import STAFF_TEXTS

ENGLISH = {**LoginRefused.CODES, **StaffError.CODES}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(ENGLISH))
def test_every_staff_code_has_both_languages_with_the_fields_it_carries(code: str) -> None:
    zh, en = STAFF_TEXTS[code]
    assert zh.strip() and en.strip()
    assert fields(zh) == fields(en) <= fields(ENGLISH[code])


def test_an_unknown_id_reads_exactly_like_a_wrong_pin() -> None:
    assert STAFF_TEXTS["staff.unknown"] == STAFF_TEXTS["staff.wrong_pin"]
    assert fields(STAFF_TEXTS["staff.unknown"][1]) == {"tries_left"}


def test_every_role_and_restricted_action_has_a_name() -> None:
    for value in [*Role, *RestrictedAction]:
        kind = "role" if isinstance(value, Role) else "action"
        zh, en = STAFF_TEXTS[f"staff.{kind}.{value}"]
        assert zh and en and zh != en
