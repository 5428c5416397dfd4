"""The ESC/POS commands byte for byte, as Epson's command reference spells them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from drivers.printer import commands
from drivers.printer.commands import Align, QrErrorLevel, StatusQuery


def test_init_chinese_mode_and_the_partial_cut() -> None:
    assert bytes.fromhex("1b 40") == commands.INIT  # ESC @
    assert bytes.fromhex("1c 26") == commands.CHINESE_ON  # FS &
    assert bytes.fromhex("1c 2e") == commands.CHINESE_OFF  # FS .
    assert bytes.fromhex("1d 56 42 00") == commands.PARTIAL_CUT  # GS V 66 0


def test_alignment_bold_size_and_feed() -> None:
    assert commands.align(Align.CENTER) == bytes.fromhex("1b 61 01")
    assert commands.align(Align.RIGHT) == bytes.fromhex("1b 61 02")
    assert commands.bold(True) == bytes.fromhex("1b 45 01")
    assert commands.bold(False) == bytes.fromhex("1b 45 00")
    assert commands.char_size(2, 2) == bytes.fromhex("1d 21 11")
    assert commands.char_size(1, 2) == bytes.fromhex("1d 21 01")  # tall only
    assert commands.char_size(2, 1) == bytes.fromhex("1d 21 10")  # wide only
    assert commands.feed_lines(3) == bytes.fromhex("1b 64 03")


def test_a_qr_code_of_the_order_number_is_model_2_with_its_length_in_the_store_function() -> None:
    data = b"T01-20261122-0001"  # 17 bytes: the store function counts 17 + 3
    assert commands.qr_code(data, 6, QrErrorLevel.M) == (
        bytes.fromhex("1d 28 6b 04 00 31 41 32 00")  # fn 165: model 2
        + bytes.fromhex("1d 28 6b 03 00 31 43 06")  # fn 167: 6 dots a module
        + bytes.fromhex("1d 28 6b 03 00 31 45 31")  # fn 169: level M
        + bytes.fromhex("1d 28 6b 14 00 31 50 30")  # fn 180: store ...
        + data
        + bytes.fromhex("1d 28 6b 03 00 31 51 30")  # fn 181: print
    )


def test_a_long_qr_payload_carries_its_length_in_two_bytes() -> None:
    stored = commands.qr_code(b"x" * 300, 4)
    store = stored.index(bytes.fromhex("31 50 30"))
    assert stored[store - 2 : store] == (303).to_bytes(2, "little")


def test_the_drawer_kick_on_pin_2_and_pin_5() -> None:
    # ESC p m t1 t2: 100 ms on (t1 = 50), 500 ms off (t2 = 250).
    assert commands.drawer_kick(2) == bytes.fromhex("1b 70 00 32 fa")
    assert commands.drawer_kick(5, on_ms=200, off_ms=400) == bytes.fromhex("1b 70 01 64 c8")
    # DLE DC4 1 m t: the real-time pulse, 100 ms.
    assert commands.drawer_pulse_now(2) == bytes.fromhex("10 14 01 00 01")


def test_status_requests_are_dle_eot_n() -> None:
    assert commands.status_query(StatusQuery.PRINTER) == bytes.fromhex("10 04 01")
    assert commands.status_query(StatusQuery.PAPER) == bytes.fromhex("10 04 04")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: commands.char_size(9, 1), "1..8"),
        (lambda: commands.feed_lines(256), "0..255"),
        (lambda: commands.qr_code(b"x", 17), "1..16"),
        (lambda: commands.qr_code(b"", 4), "1..7089"),
        (lambda: commands.drawer_kick(3), "pin 3"),
        (lambda: commands.drawer_kick(2, on_ms=600, off_ms=100), "off >= on"),
    ],
)
def test_out_of_range_arguments_are_refused(make: Callable[[], bytes], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()
