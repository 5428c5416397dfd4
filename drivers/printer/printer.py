"""``ReceiptPrinter``, the interface the till prints through, and ``EscPosPrinter``, the one
implementation: ESC/POS over any ``Transport`` (serial, USB, network, the fake file).

Threading: every call is synchronous and bounded, never waiting longer than the
transport's timeouts (connect 2 s, each status answer 0.5 s, the job's bytes 5 s plus
their time on the wire), and calls are serialised by a lock. The driver has no thread:
the caller runs it off the thread that serves the cashier (``terminal/app/
receipt_printing.py`` keeps a thread for it).

A job asks the printer's status first (DLE EOT 1, 4, and 2 when it says offline) and is
not sent when the printer cannot print: a job sent into a printer out of paper prints
when paper is loaded, after the cashier has reprinted it elsewhere. Faults come back as
a ``PrintResult`` with a reason code, never as an exception. What must not live here:
receipts' content, threads, Qt.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Protocol

from drivers.printer import commands
from drivers.printer.commands import StatusQuery
from drivers.printer.device import (
    Device,
    FileDevice,
    SerialDevice,
    TcpDevice,
    UsbDevice,
    parse_device,
)
from drivers.printer.document import PaperWidth, ReceiptDoc
from drivers.printer.encoder import encode
from drivers.printer.fake import FakeTransport
from drivers.printer.status import (
    PrinterReason,
    PrinterState,
    PrinterStatus,
    PrintResult,
    is_status_byte,
    offline,
    says_offline,
    status_from_replies,
)
from drivers.printer.transports import (
    DEFAULT_TIMEOUTS,
    Link,
    SerialTransport,
    TcpTransport,
    Timeouts,
    Transport,
    UsbTransport,
)

log = logging.getLogger(__name__)


class ReceiptPrinter(Protocol):
    def print_receipt(self, receipt: ReceiptDoc) -> PrintResult: ...

    def open_drawer(self) -> PrintResult: ...

    def status(self) -> PrinterStatus: ...


def transport_for(device: Device, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> Transport:
    if isinstance(device, SerialDevice):
        return SerialTransport(device, timeouts)
    if isinstance(device, TcpDevice):
        return TcpTransport(device, timeouts)
    if isinstance(device, UsbDevice):
        return UsbTransport(device, timeouts)
    assert isinstance(device, FileDevice)
    return FakeTransport.for_device(device)


def open_printer(
    device: str | Device,
    paper: PaperWidth = PaperWidth.MM_80,
    *,
    drawer_pin: int | None = 2,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
) -> EscPosPrinter:
    """The printer a device setting names (parsed if a string: ``PrinterSettingError``
    when it names none). Opens nothing: each job opens the device."""
    parsed = parse_device(device) if isinstance(device, str) else device
    return EscPosPrinter(transport_for(parsed, timeouts), paper, drawer_pin=drawer_pin)


class EscPosPrinter:
    """``drawer_pin``: 2 or 5 where the cash drawer is wired, None for no drawer.
    ``ask_status`` False: print without asking first (a printer wired without its
    answer line); faults then show only as write failures."""

    def __init__(
        self,
        transport: Transport,
        paper: PaperWidth = PaperWidth.MM_80,
        *,
        drawer_pin: int | None = 2,
        reply_timeout_s: float = 0.5,
        ask_status: bool = True,
    ) -> None:
        if drawer_pin not in (None, 2, 5):
            raise ValueError(f"drawer pin {drawer_pin!r} is not 2, 5 or None")
        self.transport = transport
        self.paper = paper
        self.drawer_pin = drawer_pin
        self._reply_timeout_s = reply_timeout_s
        self._ask_status = ask_status and transport.replies
        self._lock = threading.Lock()

    def print_receipt(self, receipt: ReceiptDoc) -> PrintResult:
        data = encode(receipt, self.paper, drawer_pin=self.drawer_pin)
        with self._lock:
            result = self._job(lambda status: data if status.can_print else None)
        self._log("receipt", result)
        return result

    def open_drawer(self) -> PrintResult:
        """Kick the drawer: ESC p when the printer is online; the real-time pulse when it
        answers but is offline (out of paper: the cash must still go in the drawer)."""
        pin = self.drawer_pin
        if pin is None:
            return PrintResult(False, PrinterStatus(PrinterState.UNKNOWN, PrinterReason.NO_DRAWER))

        def kick(status: PrinterStatus) -> bytes | None:
            if status.can_print:
                return commands.drawer_kick(pin)
            if status.reason is PrinterReason.NO_REPLY:
                return None
            return commands.drawer_pulse_now(pin)

        with self._lock:
            result = self._job(kick)
        self._log("drawer", result)
        return result

    def status(self) -> PrinterStatus:
        with self._lock:
            try:
                link = self.transport.connect()
            except OSError as exc:
                return offline(PrinterReason.UNREACHABLE, str(exc))
            try:
                return self._read_status(link)
            except OSError as exc:
                return offline(PrinterReason.WRITE_FAILED, str(exc))
            finally:
                _close(link)

    def _job(self, job_for: _JobFor) -> PrintResult:
        try:
            link = self.transport.connect()
        except OSError as exc:
            return PrintResult(False, offline(PrinterReason.UNREACHABLE, str(exc)))
        try:
            status = self._read_status(link)
            data = job_for(status)
            if data is None:
                return PrintResult(False, status)
            link.write(data)
            return PrintResult(True, status, len(data))
        except OSError as exc:
            return PrintResult(False, offline(PrinterReason.WRITE_FAILED, str(exc)))
        finally:
            _close(link)

    def _read_status(self, link: Link) -> PrinterStatus:
        if not self._ask_status:
            return PrinterStatus(PrinterState.UNKNOWN)
        printer = self._ask(link, StatusQuery.PRINTER)
        if printer is None:
            return offline(PrinterReason.NO_REPLY, f"no answer in {self._reply_timeout_s} s")
        paper = self._ask(link, StatusQuery.PAPER)
        cause = self._ask(link, StatusQuery.OFFLINE_CAUSE) if says_offline(printer) else None
        return status_from_replies(printer, offline_cause=cause, paper=paper)

    def _ask(self, link: Link, query: StatusQuery) -> int | None:
        reply = link.ask(commands.status_query(query), self._reply_timeout_s)
        return reply[0] if reply and is_status_byte(reply[0]) else None

    def _log(self, job: str, result: PrintResult) -> None:
        fields = {
            "printer": self.transport.target,
            "job": job,
            "state": str(result.status.state),
            "reason": str(result.reason or ""),
            "bytes": result.bytes_sent,
        }
        if result.ok:
            log.info("printer job sent", extra=fields)
        else:
            log.warning("printer job not sent: %s", result.status.detail, extra=fields)


class _JobFor(Protocol):
    def __call__(self, status: PrinterStatus, /) -> bytes | None: ...


def _close(link: Link) -> None:
    with contextlib.suppress(OSError):
        link.close()
