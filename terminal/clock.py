"""Where the till gets the time: UTC for storage, the store's zone for business dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def business_date(moment: datetime, zone: ZoneInfo) -> date:
    """The store's calendar day for a UTC moment (a sale at 01:00 in Shanghai is 'today')."""
    return moment.astimezone(zone).date()
