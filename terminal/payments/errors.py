"""Payment refusals a cashier can act on that are not rules of the sale: the cloud out of
reach, the offline caps, a result still unknown, a member the till does not have, a
payment the wallet or the cloud declined. All are ``PaymentRefused``, a ``TillError``
(``terminal/errors.py``): a reason code the screens translate, its fields (amounts in
``*_cents``), English for the log. Rule violations of a tender stay ``PaymentError``
(``terminal/domain/errors.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from terminal.errors import TillError


class PaymentRefused(TillError):
    """Base of the payment refusals below; also the result of a declined payment."""

    CODES: ClassVar[Mapping[str, str]] = {
        "pay.refused": "the payment did not go through",
        "pay.declined": "the payment was declined ({why})",
        "pay.declined.insufficient_balance": "the member's balance does not cover the amount",
        "pay.declined.member_unknown": "the cloud does not know this member",
        # The cloud's own checks of a face payment (it checks the face itself).
        "pay.declined.no_face_evidence": "the payment carried no face for the cloud to check",
        "pay.declined.face_disabled": "this member has withdrawn face pay",
        "pay.declined.face_mismatch": "the cloud did not match the face to the member",
        "pay.declined.liveness_low": "the cloud did not accept the liveness check",
        "pay.declined.over_payment_cap": "above the store's limit for one face payment",
        "pay.declined.over_member_daily_cap": "above the member's face pay limit for today",
        "pay.declined.over_device_daily_cap": "above this till's face pay limit for today",
        "pay.declined.too_many_payments": "too many face payments in a short time",
        "pay.declined.too_many_attempts": "too many refused faces for this member just now",
        "pay.cancelled": "the payment was cancelled (no result): take it again",
        "pay.not_sent": (
            "the payment was not sent: the cloud cannot be reached; nothing was charged, "
            "take another tender"
        ),
    }
    DEFAULT = "pay.refused"


class OfflineRefused(PaymentRefused):
    """The cloud cannot be reached and the offline policy does not allow this payment."""

    CODES: ClassVar[Mapping[str, str]] = {
        "offline.refused": "the cloud cannot be reached: take cash",
        "offline.no_face_pay": (
            "the cloud cannot be reached and this store allows no face pay offline: take cash"
        ),
        "offline.over_payment_cap": (
            "offline, face pay is limited to {limit_cents} a payment;"
            " this one is {amount_cents}: take cash"
        ),
        "offline.over_day_cap": (
            "offline face pay today has reached its limit ({left_cents} left of"
            " {limit_cents}): take cash"
        ),
        "offline.balance_unknown": "this member's balance is not on the till yet: take cash",
        "offline.balance_short": (
            "the member's balance ({balance_cents}) does not cover {amount_cents}: take cash"
        ),
        "offline.payment_code": (
            "the cloud cannot be reached, so payment codes cannot be taken now: "
            "take cash, or face pay for a member"
        ),
    }
    DEFAULT = "offline.refused"


class PaymentUnresolved(PaymentRefused):
    """A payment's result is still unknown: the till keeps querying it; the order waits."""

    CODES: ClassVar[Mapping[str, str]] = {
        "pay.unresolved": (
            "the payment's result is unknown and it could not be reversed yet;"
            " the till keeps trying: take another payment method only after it is settled"
        ),
    }
    DEFAULT = "pay.unresolved"


class UnknownMember(PaymentRefused):
    """A member id the till does not have (not pulled yet, or erased)."""

    CODES: ClassVar[Mapping[str, str]] = {
        "member.unknown": "this member is not on the till yet: sync, or sell as a guest",
    }
    DEFAULT = "member.unknown"
