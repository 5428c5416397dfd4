"""The domain's error hierarchy.

Every error carries a message a cashier or a technician can act on: the UI shows it as it
is and the CLI prints it and exits non-zero. Nothing here knows about Qt, files or the
network.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the checkout core raises on purpose."""


class InvalidCode(DomainError):
    """A scanned or typed code that the till cannot use; the message says why."""


class UnknownItem(DomainError):
    """A valid code that names no item in the catalog."""


class InvalidCatalogItem(DomainError):
    """A catalog record that breaks a rule (bad price, missing name, bad barcode)."""


class CartError(DomainError):
    """An action the cart cannot take (void on an empty cart, bad quantity, ...)."""


class IllegalTransition(DomainError):
    """An order or payment asked to move to a state its current state does not allow."""


class PaymentError(DomainError):
    """A tender that cannot be accepted (too little cash, negative amount, ...)."""


class MoneyError(DomainError):
    """An amount that is not a whole number of cents, or out of the allowed range."""
