"""The roots of the error hierarchy (``terminal/errors.py``): what a cashier may see is a
``TillError`` with a reason code and params; what only a technician can fix is an
``InputError``; English ``str`` for the log and the CLI either way."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from terminal.app.catalog_files import CatalogFileError
from terminal.app.checkout_script import ScriptError
from terminal.domain.errors import (
    CartError,
    DomainError,
    IllegalTransition,
    InvalidCatalogItem,
    InvalidCode,
    MoneyError,
    PaymentError,
    UnknownItem,
)
from terminal.errors import InputError, Reason, TillError, english, register_codes
from terminal.payments.errors import (
    OfflineRefused,
    PaymentRefused,
    PaymentUnresolved,
    UnknownMember,
)
from terminal.sync.registration import RegistrationError

DOMAIN_ERRORS = (
    InvalidCode,
    UnknownItem,
    InvalidCatalogItem,
    CartError,
    IllegalTransition,
    PaymentError,
    MoneyError,
)


@pytest.mark.parametrize("kind", DOMAIN_ERRORS)
def test_domain_rule_errors_stay_domain_errors_under_the_one_root(kind: type) -> None:
    assert issubclass(kind, DomainError) and issubclass(kind, TillError)


@pytest.mark.parametrize("kind", [OfflineRefused, PaymentUnresolved, UnknownMember])
def test_payment_refusals_are_the_cashiers_but_not_rules_of_the_sale(kind: type) -> None:
    assert issubclass(kind, PaymentRefused) and issubclass(kind, TillError)
    assert not issubclass(kind, DomainError)


@pytest.mark.parametrize("kind", [ScriptError, CatalogFileError, RegistrationError])
def test_a_technicians_input_errors_are_not_the_cashiers(kind: type) -> None:
    assert issubclass(kind, InputError)
    assert not issubclass(kind, TillError)


def test_a_code_carries_its_params_and_reads_in_english_with_amounts_as_money() -> None:
    error = OfflineRefused("offline.over_payment_cap", limit_cents=10000, amount_cents=12345)
    assert error.code == "offline.over_payment_cap"
    assert error.params == {"limit_cents": 10000, "amount_cents": 12345}
    assert str(error) == (
        "offline, face pay is limited to 100.00 a payment; this one is 123.45: take cash"
    )
    assert error.reason == Reason("offline.over_payment_cap", error.params)


def test_an_english_sentence_instead_of_a_code_is_refused_when_the_error_is_made() -> None:
    with pytest.raises(ValueError, match="not a registered reason code"):
        CartError("weight 0 g is not plausible: weigh again")


def test_a_mistyped_code_is_refused_when_the_error_is_made() -> None:
    with pytest.raises(ValueError, match=r"CartError: 'cart\.no_lines'"):
        CartError("cart.no_lines", line_no=3)


@pytest.mark.parametrize("copier", [copy.copy, lambda e: pickle.loads(pickle.dumps(e))])
def test_a_copied_error_keeps_its_code_and_params(copier: Callable[[Any], Any]) -> None:
    error = CartError("cart.no_line", line_no=3)
    copied = copier(error)
    assert type(copied) is CartError
    assert (copied.code, copied.params, str(copied)) == (error.code, error.params, str(error))


def test_no_argument_means_the_generic_code() -> None:
    error = UnknownMember()
    assert error.code == "member.unknown"
    assert "not on the till" in str(error)


def test_a_missing_param_does_not_break_the_english() -> None:
    assert "line" in str(CartError("cart.no_line"))


def test_a_code_keeps_one_meaning() -> None:
    register_codes({"cart.empty": english("cart.empty")})  # the same text again: fine
    with pytest.raises(ValueError, match=r"cart\.empty"):
        register_codes({"cart.empty": "something else"})


def test_every_subclass_names_a_registered_default() -> None:
    with pytest.raises(TypeError, match="DEFAULT"):

        class Broken(TillError):
            DEFAULT = "no.such.code"
