"""Wallet payment codes (the barcode or QR a customer shows in WeChat or Alipay).

A payment code is recognised and routed by its leading digits and length only:
WeChat Pay codes are 18 digits starting 10-15; Alipay codes are 16 to 24 digits starting
25-30. A full payment code is as good as cash for a minute, so nothing here ever puts one
in a ``repr``, an error message or anything else that could reach a log: ``masked()`` and
``safe_preview()`` are the only ways a code is shown.

What must not live here: calling a wallet API, retries, refunds (``terminal/payments``),
and product barcodes (``gtin.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from terminal.domain.errors import InvalidCode

Provider = Literal["wechat", "alipay"]

MIN_LENGTH = 16
MAX_LENGTH = 24
WECHAT_LENGTH = 18
WECHAT_PREFIXES = range(10, 16)
ALIPAY_PREFIXES = range(25, 31)
_NAMES: dict[str, str] = {"wechat": "WeChat Pay", "alipay": "Alipay"}
_KEEP = 4
# Text this short cannot be a payment code, so it may be shown as it is.
_SHOW_AS_IS = 14


def mask(code: str) -> str:
    """Keep the first 4 and last 4 characters and star the rest: '1345********7890'."""
    if len(code) <= 2 * _KEEP:
        return "*" * len(code)
    return code[:_KEEP] + "*" * (len(code) - 2 * _KEEP) + code[-_KEEP:]


def safe_preview(text: str) -> str:
    """Scanned text fit for an error message: anything that may hide a payment code is masked."""
    if len(text) <= _SHOW_AS_IS:
        return text
    if sum(ch.isdigit() for ch in text) > _SHOW_AS_IS:
        return mask(text)
    return text if len(text) <= 24 else text[:24] + "…"


def _provider(code: str) -> Provider:
    """Which wallet a code belongs to, or ``InvalidCode`` saying why it belongs to none."""
    if not code:
        raise InvalidCode("code.wallet_empty")
    if not (code.isascii() and code.isdigit()):
        raise InvalidCode("code.wallet_not_digits", preview=safe_preview(code))
    if not MIN_LENGTH <= len(code) <= MAX_LENGTH:
        raise InvalidCode(
            "code.wallet_length", min_length=MIN_LENGTH, max_length=MAX_LENGTH, length=len(code)
        )
    prefix = int(code[:2])
    if prefix in WECHAT_PREFIXES:
        if len(code) != WECHAT_LENGTH:
            raise InvalidCode(
                "code.wallet_wechat_length",
                prefix=code[:2],
                wechat_length=WECHAT_LENGTH,
                length=len(code),
            )
        return "wechat"
    if prefix in ALIPAY_PREFIXES:
        return "alipay"
    raise InvalidCode("code.wallet_prefix", length=len(code), prefix=code[:2])


@dataclass(frozen=True, repr=False)
class PaymentCode:
    """A payment code known to belong to ``provider``; built only from a valid code."""

    provider: Provider
    code: str

    def __post_init__(self) -> None:
        actual = _provider(self.code)
        if actual != self.provider:
            raise InvalidCode(
                "code.wallet_provider",
                masked=self.masked(),
                actual=_NAMES[actual],
                expected=_NAMES[self.provider],
            )

    def masked(self) -> str:
        """The code with all but the first 4 and last 4 digits starred, for logs and screens."""
        return mask(self.code)

    def __repr__(self) -> str:
        return f"PaymentCode(provider={self.provider!r}, code={self.masked()!r})"


def parse_payment_code(text: str) -> PaymentCode:
    """Recognise a WeChat or Alipay payment code; ``InvalidCode`` says why not.

    Surrounding whitespace is ignored; anything else that is not a digit is refused.
    """
    code = text.strip()
    return PaymentCode(provider=_provider(code), code=code)
