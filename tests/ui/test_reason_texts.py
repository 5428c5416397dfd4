"""Every reason code has its words in the string catalog, in both languages, and the
screens show an error by its code, never by its English ``str``.

The codes are enumerated from where they are defined: the ``TillError`` registry (the
domain's rules, the payment refusals, how a tender ended), the face decision's ``Why``,
enrollment refusals, and the notices the face checkout publishes. That both languages
have the same fields is checked for the whole catalog in test_language.py.
"""

from __future__ import annotations

import string

import pytest

# Importing the face checkout registers every code of the face-pay path (the checkout's
# tender outcomes, the payment refusals, the domain's rules).
from drivers.printer.status import PrinterReason
from terminal.app import face_checkout
from terminal.domain.errors import CartError, PaymentError
from terminal.errors import registered_codes
from terminal.face.decide import Why
from terminal.face.errors import EnrollmentRefused
from terminal.face.quality import QualityCode
from terminal.payments.errors import OfflineRefused, PaymentUnresolved, UnknownMember
from terminal.ui.strings import CATALOG, Language, Strings

WHY = sorted(str(why) for why in Why if why is not Why.NONE)
ENROLL = sorted(
    face_checkout.enrollment_detail(EnrollmentRefused(code, "English for the log"))
    for code in [
        *face_checkout._ENROLL_CODES,
        *(str(q) for q in QualityCode if q is not QualityCode.OK),  # refusals by the gate
    ]
)
NOTICES = sorted(
    {
        face_checkout.failure_notice(error)
        for error in (
            OfflineRefused(),
            PaymentUnresolved(),
            UnknownMember(),
            EnrollmentRefused("no_face", ""),
            RuntimeError("a bug"),
        )
    }
    | {"face.failed.declined", "face.failed.not_pay", "face.last4.no_match", "face.last4.hint"}
)
PRINTER = sorted(str(reason) for reason in PrinterReason)
ALL_CODES = sorted(registered_codes()) + WHY + ENROLL + NOTICES + PRINTER


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_codes_are_enumerated() -> None:
    # A guard against an empty registry (a module not imported): the well-known ones.
    for code in ("cart.no_sale", "offline.over_payment_cap", "pay.unresolved", "pay.paid"):
        assert code in ALL_CODES
    assert "decision.liveness_failed" in WHY


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_code_has_a_text_in_both_languages(code: str) -> None:
    assert code in CATALOG, f"no text for {code}: add it to a terminal/ui/texts_*.py table"
    zh, en = CATALOG[code]
    assert zh.strip() and en.strip()


@pytest.mark.parametrize("code", sorted(registered_codes()))
def test_a_code_text_only_uses_fields_the_error_carries(code: str) -> None:
    # The English template names the params a raise passes; a screen text may use fewer.
    carried = fields(registered_codes()[code])
    for text in CATALOG[code]:
        assert fields(text) <= carried, f"{code}: {text!r} needs {fields(text) - carried}"


def test_an_error_shows_by_its_code_in_the_current_language_with_money() -> None:
    strings = Strings(Language.EN, symbol="¥")
    error = OfflineRefused("offline.balance_short", balance_cents=120, amount_cents=3680)
    assert strings.error(error) == ("The member's balance ¥1.20 does not cover ¥36.80: take cash")
    strings.set_language(Language.ZH_CN)
    assert strings.error(error) == "会员余额 ¥1.20 不足 ¥36.80：请收现金"


def test_an_error_made_without_a_code_shows_its_class_generic_text() -> None:
    strings = Strings(Language.ZH_CN)
    assert strings.error(CartError()) == "无法修改购物车"


def test_a_bug_shows_the_generic_text_and_not_its_message() -> None:
    strings = Strings(Language.EN)
    shown = strings.error(RuntimeError("disk I/O error at /var/lib/facepay/till.db"))
    assert shown == CATALOG["error.fault"][1]
    assert "disk" not in shown


def test_an_unknown_code_falls_back_to_the_generic_refusal() -> None:
    strings = Strings(Language.EN)
    assert strings.reason("from.a.newer.release") == CATALOG["till.refused"][1]
    assert strings.reason("from.a.newer.release", fallback="") == ""
    assert strings.error(PaymentError("payment.nothing_due")) == "Nothing is due on this order"
