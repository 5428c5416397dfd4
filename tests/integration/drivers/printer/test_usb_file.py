"""The USB printer-class transport (``usb:/dev/usb/lp0``) on files the kernel makes the
same way: a regular file takes the job exactly; a FIFO nobody reads stands in for a
printer that is not there (open fails) and for one that stopped taking data (the write
is cut off at the timeout). No status is asked: this link has no answer channel."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printer import (
    PaperWidth,
    PrinterReason,
    PrinterState,
    ReceiptDoc,
    Text,
    Timeouts,
    encode,
    open_printer,
)

DOC = ReceiptDoc((Text("小票"),), open_drawer=True)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "lp0"
    os.mkfifo(path)
    return path


@pytest.fixture
def stalled_reader(fifo: Path) -> Iterator[Path]:
    """The FIFO held open for reading and never read: writes fill its 64 KiB and stop."""
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    yield fifo
    os.close(fd)


def test_the_job_is_written_exactly_and_the_status_is_unknown(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.touch()
    result = open_printer(f"usb:{device}", PaperWidth.MM_58, drawer_pin=2).print_receipt(DOC)
    assert result.ok and result.status.state is PrinterState.UNKNOWN
    assert device.read_bytes() == encode(DOC, PaperWidth.MM_58, drawer_pin=2)


def test_a_missing_device_is_unreachable(tmp_path: Path) -> None:
    result = open_printer(f"usb:{tmp_path / 'lp0'}").print_receipt(DOC)
    assert (result.ok, result.reason) == (False, PrinterReason.UNREACHABLE)


def test_a_device_with_nobody_behind_it_is_unreachable(fifo: Path) -> None:
    result = open_printer(f"usb:{fifo}").print_receipt(DOC)  # ENXIO: no reader
    assert (result.ok, result.reason) == (False, PrinterReason.UNREACHABLE)


def test_a_printer_that_stops_taking_data_is_cut_off_at_the_write_timeout(
    stalled_reader: Path,
) -> None:
    long_doc = ReceiptDoc((Text("x" * 48),) * 3000)  # ~150 KB: more than the FIFO holds
    printer = open_printer(f"usb:{stalled_reader}", timeouts=Timeouts(write_s=0.3))
    started = time.monotonic()
    result = printer.print_receipt(long_doc)
    elapsed = time.monotonic() - started
    assert (result.ok, result.status.state) == (False, PrinterState.OFFLINE)
    assert result.reason is PrinterReason.WRITE_FAILED
    assert 0.25 < elapsed < 3.0
