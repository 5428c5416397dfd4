"""What the screens show of a recognised member: a greeting and the face-pay question.

Plain data for the UI: names are masked here ("Zhang**"), so no screen ever gets a full
name to show by mistake; money is int cents. No words: the screens make the greeting and
the question from the string catalog ("face.greeting", "face.prompt") in their language.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class FacePayPrompt:
    member_id: str
    name: str  # masked
    amount_cents: int
    symbol: str = "¥"
