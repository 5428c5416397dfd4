"""What the screens show of a recognised member: a greeting and the face-pay question.

Plain data for the UI: names are masked here ("Zhang**"), so no screen ever gets a full
name to show by mistake; money is int cents plus the formatted text.
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.domain.money import format_cents
from terminal.storage.members import Member


def mask_name(name: str | None) -> str:
    """Keep a greeting and no more: the first word, or the first character, then '**'."""
    if name is None or not name.strip():
        return "**"
    name = name.strip()
    if "*" in name:
        return name  # masked by the cloud already
    words = name.split()
    head = words[0] if len(words) > 1 else name[0]
    return f"{head[:30]}**"


@dataclass(frozen=True, slots=True)
class Greeting:
    member_id: str
    name: str  # masked
    points: int
    balance_cents: int

    @classmethod
    def of(cls, member: Member) -> Greeting:
        return cls(member.member_id, mask_name(member.display_name), member.points,
                   member.balance_cents)  # fmt: skip

    def text(self, language: str = "en") -> str:
        if language.startswith("zh"):
            return f"{self.name}，您好！积分 {self.points}"
        return f"Hi, {self.name}! Points: {self.points}"


@dataclass(frozen=True, slots=True)
class FacePayPrompt:
    member_id: str
    name: str  # masked
    amount_cents: int
    symbol: str = "¥"

    def text(self, language: str = "en") -> str:
        amount = format_cents(self.amount_cents, self.symbol)
        if language.startswith("zh"):
            return f"{self.name}，确认支付 {amount}？"
        return f"{self.name}, pay {amount}?"
