"""The domain's error hierarchy: the rules of a sale, broken.

``DomainError(code, **params)`` is a ``TillError`` (``terminal/errors.py``): it carries a
reason code, a message id the screens translate, and its fields; amounts are int cents
in fields ending in ``_cents``. ``str(error)`` is English for the log and the CLI, so a
template names every field a technician needs. Each class lists its codes with their
English in ``CODES``; ``DEFAULT`` is the generic code of an error raised without one. A
code that is registered nowhere is refused when the error is made (a typo, or a sentence
where a code belongs). A money rule broken inside another rule (a discount, a price, the
cash tendered) keeps its ``money.*`` code and fields under the outer class, so callers
still catch a ``CartError`` or ``PaymentError``. Nothing here knows about Qt, files or
the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from terminal.errors import TillError


class DomainError(TillError):
    """Base of every error the checkout core raises on purpose: a rule of the sale."""

    CODES: ClassVar[Mapping[str, str]] = {
        "domain.refused": "that breaks a rule of the sale",
        "order_no.bad_device": (
            "device id {device_id!r} must be 2 to 16 upper-case letters or digits (e.g. T01)"
        ),
        "order_no.bad_seq": "order sequence must start at 1, got {seq}",
        "order_no.malformed": "{order_no!r} is not an order number like T01-20261122-0001",
        "order_no.bad_date": "{order_no!r} has an impossible date",
        "order_no.not_canonical": "{order_no!r} is not written the way this till writes numbers",
    }
    DEFAULT = "domain.refused"


class InvalidCode(DomainError):
    """A scanned or typed code that the till cannot use; the code says why."""

    CODES: ClassVar[Mapping[str, str]] = {
        "code.invalid": "that code cannot be used: scan again or type it",
        "code.empty": "nothing was read from the scan: scan again",
        "code.not_digits": (
            "barcode {preview!r} has {char!r} in it: barcodes are digits only, scan again"
        ),
        "code.bad_length": (
            "barcode {preview!r} has {length} digits; product barcodes have 8, 12, 13 or 14:"
            " scan again or type it"
        ),
        "code.check_digit": (
            "check digit wrong: {barcode} should end in {expected}; the code is misprinted"
            " or misread, scan again"
        ),
        "code.unknown_kind": (
            "not a product barcode or a payment code: {preview!r} ({length} characters),"
            " scan again or type it"
        ),
        "code.gs1_empty": "the GS1 barcode was empty: scan again or type the item code",
        "code.gs1_unreadable": (
            "the GS1 barcode is not readable: {detail}; scan again or type the item code"
        ),
        "code.gs1_price": (
            "the price on this label ({price} yuan) is not a whole number of fen: use the"
            " shelf price or type the item code"
        ),
        "code.scale_check_digit": (
            "{kind} check digit wrong on scale label {label}: the label is misprinted or"
            " misread, scan again or weigh the item again"
        ),
        "code.scale_zero": "scale label {label} shows a {kind} of zero: weigh the item again",
        "code.wallet_invalid": "not a WeChat Pay or Alipay payment code: scan the code again",
        "code.wallet_empty": "no payment code was read: ask the customer to show it again",
        "code.wallet_not_digits": (
            "payment codes are digits only, got {preview!r}: scan the code again"
        ),
        "code.wallet_length": (
            "payment codes are {min_length} to {max_length} digits, this one has {length}:"
            " scan the code again"
        ),
        "code.wallet_wechat_length": (
            "starts with {prefix} like a WeChat code, but WeChat codes are"
            " {wechat_length} digits and this one has {length}: scan the code again"
        ),
        "code.wallet_prefix": (
            "{length}-digit code starts with {prefix}: not a WeChat (10-15) or"
            " Alipay (25-30) payment code"
        ),
        "code.wallet_provider": "{masked} is a {actual} code, not {expected}",
    }
    DEFAULT = "code.invalid"


class UnknownItem(DomainError):
    """A valid code that names no item in the catalog."""

    CODES: ClassVar[Mapping[str, str]] = {
        "item.unknown": "{code} is not in the catalog",
        "item.unknown_plu": "scale item {plu} is not in the catalog",
        "item.no_gtin": "that GS1 code names no product (no GTIN in it)",
    }
    DEFAULT = "item.unknown"


class InvalidCatalogItem(DomainError):
    """A catalog record that breaks a rule (bad price, missing name, bad barcode)."""

    CODES: ClassVar[Mapping[str, str]] = {
        "catalog.invalid_item": "a catalog item breaks a rule: fix it in the back office",
        "catalog.no_code": "item has neither a barcode nor a PLU code",
        "catalog.no_name": "item {item} has no name",
        "catalog.name_too_long": "item {item}: name longer than {max_length}",
        "catalog.bad_price": "item {item}: the price is not a valid amount",
        "catalog.zero_price": "item {item} has a zero price",
        "catalog.member_price_above": (
            "item {item}: member price {member_price_cents} is above the regular price"
            " {price_cents}"
        ),
        "catalog.bad_tax_rate": (
            "item {item}: tax rate must be 0-9999 basis points, got {tax_rate_bp!r}"
        ),
        "catalog.kg_needs_plu": "weighed item {item} needs a PLU code for the scale",
    }
    DEFAULT = "catalog.invalid_item"


class CartError(DomainError):
    """An action the cart cannot take (void on an empty cart, bad quantity, ...)."""

    CODES: ClassVar[Mapping[str, str]] = {
        "cart.refused": "the cart cannot do that",
        "cart.no_sale": "no sale in progress: scan an item first",
        "cart.hold_paid": "sale {order_no} has a payment: finish or cancel it instead of holding",
        "cart.recall_busy": "sale {order_no} is in progress: finish or hold it first",
        "cart.not_held": "there is no held sale {which}",
        "cart.empty": "the cart is empty",
        "cart.no_line": "there is no line {line_no} to change",
        "cart.sold_by_weight": "{name} is sold by weight: weigh it on the scale",
        "cart.sold_by_piece": "{name} is sold by the piece: scan its own barcode",
        "cart.line_weighed": "{name} was weighed: scan each label instead",
        "cart.bad_label": "the scale label carries no usable weight or amount: weigh again",
        "cart.bad_weight": "weight {weight_grams!r} g is not plausible: weigh again",
        "cart.quantity_zero": "quantity 0: use void to remove the line",
        "cart.quantity_range": "quantity must be a whole number from 1 to {max_quantity}",
        "cart.quantity_over": "quantity {quantity} is over {max_quantity}: check the count",
        "cart.discount_over_line": (
            "discount {discount_cents} is more than the line amount {amount_cents}"
        ),
        "cart.discount_over_total": (
            "discount {discount_cents} is more than the order total {total_cents}"
        ),
    }
    DEFAULT = "cart.refused"


class IllegalTransition(DomainError):
    """An order or payment asked to move to a state its current state does not allow."""

    CODES: ClassVar[Mapping[str, str]] = {
        "state.refused": "not now: the order or payment is in another state",
        "order.cannot_move": "order {order_no} is {state}; it cannot become {new_state}",
        "order.closed": "order {order_no} is {state}: it cannot change",
        "order.money_taken": (
            "order {order_no} is {state} with money taken: finish the payment or cancel the order"
        ),
        "order.not_tendering": "order {order_no} is {state}: not taking payment",
        "state.payment_move": "payment {payment_id} cannot go from {state} to {new_state}",
    }
    DEFAULT = "state.refused"


class PaymentError(DomainError):
    """A tender that cannot be accepted (too little cash, negative amount, ...)."""

    CODES: ClassVar[Mapping[str, str]] = {
        "payment.refused": "that payment cannot be taken",
        "payment.nothing_due": "nothing is due on this order",
        "payment.no_cash": "no cash tendered",
        "payment.tender_too_large": (
            "{tendered_cents} tendered on {due_cents} due: check the amount typed"
        ),
        "payment.wrong_order": "payment {payment_id} belongs to {payment_order_no}, not {order_no}",
        "payment.empty_cart": "the cart is empty: scan an item first",
        "payment.not_a_payment_code": "that is not a payment code: scan the code on the phone",
        "payment.code_in_cart": (
            "that is a {provider} payment code ({masked}): pay with it once the items are scanned"
        ),
        "payment.none_in_flight": "no payment of this order is waiting for a result",
        "payment.in_flight": (
            "order {order_no} has a payment whose result is unknown: query it first"
        ),
        "payment.balance_due": "order {order_no} still has {due_cents} to pay",
        "payment.refund_first": "order {order_no} has money taken: refund it first",
        "payment.no_face_pay": "face pay is not set up on this till",
        "payment.no_members": "members are not set up on this till",
        "payment.no_enrollment": "joining needs a till registered with the cloud",
        "payment.face.spoof": "the face did not pass the liveness check: face pay is not offered",
        "payment.face.ask_last4": (
            "not sure enough to pay by face: ask for the phone's last 4 digits"
        ),
        "payment.face.member": "recognised as a member, but not sure enough to pay by face",
        "payment.face.unknown": "the face matches no member: invite the customer to join",
        "payment.face.searching": "still recognising: wait a moment",
        "payment.face.other_member": "the face decision is for another member: look again",
        "payment.face.nothing_staged": "no face payment is waiting for confirmation",
        "payment.face.amount_changed": (
            "the amount changed since the customer was asked: ask again"
        ),
    }
    DEFAULT = "payment.refused"


class MoneyError(DomainError):
    """An amount that is not a whole number of cents, or out of the allowed range."""

    CODES: ClassVar[Mapping[str, str]] = {
        "money.invalid": "that is not a valid amount",
        "money.not_cents": "{what} must be a whole number of cents, got {value!r}",
        "money.not_an_amount": "{text!r} is not an amount like 12.30",
        "money.too_many_decimals": "{text!r} has more than two decimals",
        "money.too_large": "{text!r} is over the limit of {limit_cents}",
        "money.negative": "{what} cannot be negative ({value_cents})",
        "money.over_limit": "{what} of {value_cents} is over the limit of {limit_cents}",
    }
    DEFAULT = "money.invalid"
