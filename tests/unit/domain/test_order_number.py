"""Order numbers: <device>-<yyyymmdd>-<seq>, the order's idempotency key for ever."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.errors import DomainError
from terminal.domain.order_number import (
    check_device_id,
    format_order_number,
    parse_order_number,
)

DAY = date(2026, 11, 22)

device_ids = st.from_regex(r"[A-Z0-9]{2,16}", fullmatch=True)
business_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(9999, 12, 31))
sequences = st.integers(1, 10**7)


def test_order_number_reads_device_date_and_sequence() -> None:
    assert format_order_number("T01", DAY, 42) == "T01-20261122-0042"


@pytest.mark.parametrize(
    ("seq", "tail"),
    [(1, "0001"), (999, "0999"), (9999, "9999"), (10000, "10000"), (123456, "123456")],
)
def test_sequence_is_padded_to_four_digits_and_grows_beyond_9999(seq: int, tail: str) -> None:
    order_no = format_order_number("T01", DAY, seq)
    assert order_no == f"T01-20261122-{tail}"
    assert parse_order_number(order_no) == ("T01", DAY, seq)


@given(device_ids, business_dates, sequences)
def test_format_then_parse_gives_back_the_parts(device_id: str, day: date, seq: int) -> None:
    order_no = format_order_number(device_id, day, seq)
    assert parse_order_number(order_no) == (device_id, day, seq)
    assert format_order_number(*parse_order_number(order_no)) == order_no


@given(device_ids, business_dates, sequences, sequences)
def test_different_sequences_never_share_a_number(
    device_id: str, day: date, seq: int, other: int
) -> None:
    if seq != other:
        assert format_order_number(device_id, day, seq) != format_order_number(
            device_id, day, other
        )


@given(device_ids)
def test_provisioned_device_ids_are_accepted(device_id: str) -> None:
    assert check_device_id(device_id) == device_id


@pytest.mark.parametrize(
    "device_id",
    ["", "T", "t01", "T-01", "T_01", "T01 ", " T01", "T01\n", "A" * 17, "Ｔ01", "T0É"],
)
def test_bad_device_id_is_refused(device_id: str) -> None:
    with pytest.raises(DomainError, match="must be 2 to 16 upper-case letters or digits"):
        check_device_id(device_id)
    with pytest.raises(DomainError, match="must be 2 to 16 upper-case letters or digits"):
        format_order_number(device_id, DAY, 1)


@pytest.mark.parametrize("seq", [0, -1])
def test_sequence_starts_at_one(seq: int) -> None:
    with pytest.raises(DomainError, match=f"order sequence must start at 1, got {seq}"):
        format_order_number("T01", DAY, seq)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "T01",
        "T01-20261122-001",  # sequence shorter than 4 digits
        "t01-20261122-0001",
        "T01_20261122_0001",
        "T01-2026112-0001",
        "T01-20261122-0001 ",
        "T-20261122-0001",
    ],
)
def test_text_that_is_not_an_order_number_is_refused(text: str) -> None:
    with pytest.raises(DomainError, match="is not an order number like T01-20261122-0001"):
        parse_order_number(text)


@pytest.mark.parametrize("text", ["T01-20261322-0001", "T01-20260230-0001", "T01-00000000-0001"])
def test_order_number_with_an_impossible_date_is_refused(text: str) -> None:
    with pytest.raises(DomainError, match="has an impossible date"):
        parse_order_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "T01-20261122-٠٠٤٢",  # Arabic-Indic digits
        "T01-２０２６1122-0042",  # full-width digits in the date
        "T01-20261122-0000",
        "T01-20261122-00042",
    ],
)
def test_parse_refuses_what_format_would_never_produce(text: str) -> None:
    with pytest.raises(DomainError):
        parse_order_number(text)
