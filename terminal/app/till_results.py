"""What some till operations hand back besides the sale view: a cash tender's outcome and
a line of the recent-orders list. Plain frozen data, safe to pass between threads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CashResult:
    """A cash tender: ``paid`` when the order closed; the change to hand over."""

    order_no: str
    paid: bool
    total_cents: int
    tendered_cents: int
    change_cents: int
    balance_due_cents: int


@dataclass(frozen=True, slots=True)
class RecentOrder:
    order_no: str
    state: str
    total_cents: int
    closed_at: str | None
