"""A network printer's raw port over real local sockets: the job arrives exactly, one
connection a job; DLE EOT answers read over TCP; a printer that never answers, a port
nobody serves and an address nobody has are each reported offline in bounded time."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from drivers.printer import (
    Condition,
    PaperWidth,
    PrinterReason,
    PrinterState,
    QrCode,
    ReceiptDoc,
    Text,
    Timeouts,
    encode,
    open_printer,
)
from drivers.printer.simulator import TcpPrinterSimulator
from tests.support.receipt_orders import ASKED_WHEN_OFFLINE, ASKED_WHEN_ONLINE
from tests.support.scanner_events import wait_for

DOC = ReceiptDoc((Text("单号 T01-20261122-0001"), QrCode("T01-20261122-0001")))


@pytest.fixture
def never_accepting() -> Iterator[str]:
    """A port that listens and never accepts: the kernel completes the handshake, so the
    connect succeeds and the bytes go into its backlog, where nothing ever answers."""
    with socket.create_server(("127.0.0.1", 0), backlog=4) as server:
        yield f"tcp:127.0.0.1:{server.getsockname()[1]}"


def test_a_receipt_arrives_byte_for_byte_one_connection_a_job(
    tcp_printer: TcpPrinterSimulator,
) -> None:
    printer = open_printer(tcp_printer.device, PaperWidth.MM_80)
    assert printer.print_receipt(DOC).ok
    assert printer.print_receipt(DOC).ok
    job = ASKED_WHEN_ONLINE + encode(DOC, PaperWidth.MM_80)
    assert wait_for(lambda: tcp_printer.received == job * 2)
    assert tcp_printer.connections == 2
    assert printer.status().state is PrinterState.READY


def test_paper_out_is_read_over_tcp_and_no_job_is_sent(tcp_printer: TcpPrinterSimulator) -> None:
    tcp_printer.condition = Condition(paper_out=True)
    result = open_printer(tcp_printer.device).print_receipt(DOC)
    assert (result.ok, result.status.state) == (False, PrinterState.PAPER_OUT)
    assert result.reason is PrinterReason.PAPER_OUT
    assert wait_for(lambda: tcp_printer.received == ASKED_WHEN_OFFLINE)


def test_a_printer_that_takes_bytes_but_never_answers_is_offline_after_the_reply_timeout() -> None:
    with TcpPrinterSimulator(answers=False) as silent:
        started = time.monotonic()
        result = open_printer(silent.device).print_receipt(DOC)
        elapsed = time.monotonic() - started
    assert (result.ok, result.status.state) == (False, PrinterState.OFFLINE)
    assert result.reason is PrinterReason.NO_REPLY
    assert 0.4 < elapsed < 2.0


def test_a_port_that_never_accepts_is_offline_within_the_timeouts(never_accepting: str) -> None:
    printer = open_printer(never_accepting)
    started = time.monotonic()
    result = printer.print_receipt(DOC)
    status = printer.status()
    assert time.monotonic() - started < 3.0
    assert result.reason is status.reason is PrinterReason.NO_REPLY
    assert status.state is PrinterState.OFFLINE


def test_a_closed_port_is_unreachable_at_once() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
    started = time.monotonic()
    result = open_printer(f"tcp:127.0.0.1:{port}").print_receipt(DOC)
    assert time.monotonic() - started < 1.0
    assert (result.ok, result.reason) == (False, PrinterReason.UNREACHABLE)
    assert "refused" in result.status.detail.lower()


def test_an_address_nobody_has_is_unreachable_within_the_connect_timeout() -> None:
    # TEST-NET-1 (RFC 5737): never routed; the connect fails or times out, never hangs.
    printer = open_printer("tcp:192.0.2.1:9100", timeouts=Timeouts(connect_s=0.3))
    started = time.monotonic()
    result = printer.print_receipt(DOC)
    assert time.monotonic() - started < 1.5
    assert (result.ok, result.reason) == (False, PrinterReason.UNREACHABLE)
