"""Payment errors a cashier can act on; all are ``PaymentError`` so the UI shows them alike."""

from __future__ import annotations

from terminal.domain.errors import PaymentError


class OfflineRefused(PaymentError):
    """The cloud cannot be reached and the offline policy does not allow this payment."""


class PaymentUnresolved(PaymentError):
    """A payment's result is still unknown: the till keeps querying it; the order waits."""


class UnknownMember(PaymentError):
    """A member id the till does not have (not pulled yet, or erased)."""
