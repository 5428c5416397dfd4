"""Order numbers: ``<device>-<yyyymmdd>-<seq>``, e.g. ``T01-20261122-0042``.

The number is also the order's idempotency key towards the cloud, so it must be unique
per device for ever: the device id is fixed at provisioning, the date is the store's
business date, and the sequence restarts at 1 each business day (the store hands it out
inside the transaction that opens the order, so there are no gaps and no repeats).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from terminal.domain.errors import DomainError

DEVICE_ID_PATTERN = re.compile(r"^[A-Z0-9]{2,16}$")
_ORDER_NO = re.compile(r"^([A-Z0-9]{2,16})-([0-9]{8})-([0-9]{4,})$")


def check_device_id(device_id: str) -> str:
    if not DEVICE_ID_PATTERN.fullmatch(device_id):
        raise DomainError("order_no.bad_device", device_id=device_id)
    return device_id


def format_order_number(device_id: str, business_date: date, seq: int) -> str:
    check_device_id(device_id)
    if seq < 1:
        raise DomainError("order_no.bad_seq", seq=seq)
    return f"{device_id}-{business_date:%Y%m%d}-{seq:04d}"


def parse_order_number(order_no: str) -> tuple[str, date, int]:
    match = _ORDER_NO.fullmatch(order_no)
    if not match:
        raise DomainError("order_no.malformed", order_no=order_no)
    device_id, day, seq = match.groups()
    try:
        business_date = datetime.strptime(day, "%Y%m%d").date()
    except ValueError:
        raise DomainError("order_no.bad_date", order_no=order_no) from None
    parsed = (device_id, business_date, int(seq))
    if int(seq) < 1 or format_order_number(*parsed) != order_no:
        # One order, one spelling: the number is the cloud's idempotency key.
        raise DomainError("order_no.not_canonical", order_no=order_no)
    return parsed
