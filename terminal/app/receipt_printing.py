"""Printing an order's receipt and opening the cash drawer, off the cashier's threads.

- ``printer_for(settings)``: the ``ReceiptPrinter`` the ``[printer]`` section names (None:
  no printer, or ``enabled = false``); opens nothing.
- ``print_order_receipt(printer, order, settings, ...)``: one receipt, synchronously
  (bounded by the driver's short timeouts), as a ``ReceiptPrintOutcome``.
- ``ReceiptPrinting``: the till's printer thread. Every printer call goes through it, one
  at a time (a printer is one device: a receipt and a drawer kick must not interleave),
  and each returns a ``Pending`` whose callbacks run where ``deliver`` puts them (the Qt
  bridge: the GUI thread). The receipt document is made on the caller's thread from the
  order it holds, so the printer thread never touches the store's objects.

A receipt that did not print is not an error: the outcome says so with a reason code
(``printer.paper_out``, ``printer.unreachable``, ...), the order number and ``printed``
False, and the cashier can reprint. What must not live here: the receipt's content
(``receipt.py``), ESC/POS (``drivers/printer``), Qt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from drivers.printer import (
    PaperWidth,
    PrinterStatus,
    PrintResult,
    ReceiptPrinter,
    open_printer,
)
from terminal.app.receipt import receipt_doc
from terminal.app.tasks import Deliver, ErrorSink, Pending, TaskThread, call_now
from terminal.config import Settings
from terminal.domain.order import Order
from terminal.errors import Reason

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReceiptPrintOutcome:
    """How printing one order's receipt ended. ``reason``: why it did not print, or a
    warning when it did (``printer.paper_low``); None when all is well. The screens turn
    the code into words."""

    order_no: str
    printed: bool
    status: PrinterStatus
    reason: Reason | None = None
    bytes_sent: int = 0


def printer_for(settings: Settings) -> ReceiptPrinter | None:
    section = settings.printer
    if not section.enabled or section.device is None:
        return None
    # The device string was checked when the settings were loaded.
    return open_printer(section.device, PaperWidth(section.paper_mm), drawer_pin=section.drawer_pin)


def print_order_receipt(
    printer: ReceiptPrinter,
    order: Order,
    settings: Settings,
    language: str | None = None,
    *,
    open_drawer: bool = False,
) -> ReceiptPrintOutcome:
    """Print ``order``'s receipt now, on this thread; ``open_drawer``: kick the drawer in
    the same job (a cash sale; never on a reprint)."""
    doc = receipt_doc(order, settings, language)
    return _outcome(order.order_no, printer.print_receipt(replace(doc, open_drawer=open_drawer)))


def _outcome(order_no: str, result: PrintResult) -> ReceiptPrintOutcome:
    reason = None if result.reason is None else Reason(str(result.reason))
    if not result.ok:
        log.warning(
            "receipt not printed",
            extra={"order_no": order_no, "reason": str(result.reason or "")},
        )
    return ReceiptPrintOutcome(order_no, result.ok, result.status, reason, result.bytes_sent)


class ReceiptPrinting:
    """The printer thread (see the module docstring). ``start`` before use, ``stop`` at
    the end (it finishes what is queued: a receipt asked for is printed or reported)."""

    def __init__(
        self,
        printer: ReceiptPrinter,
        settings: Settings,
        *,
        deliver: Deliver = call_now,
        on_unhandled: ErrorSink | None = None,
    ) -> None:
        self.printer = printer
        self._settings = settings
        self._tasks = TaskThread("printer", deliver=deliver, on_unhandled=on_unhandled)

    @property
    def running(self) -> bool:
        return self._tasks.running

    def start(self) -> None:
        self._tasks.start()

    def stop(self, timeout_s: float = 15.0) -> bool:
        return self._tasks.stop(timeout_s)

    def print_order(
        self, order: Order, language: str | None = None, *, open_drawer: bool = False
    ) -> Pending[ReceiptPrintOutcome]:
        """Print ``order``'s receipt on the printer thread (a sale just paid, or a
        reprint); the document is made here, now."""
        doc = replace(receipt_doc(order, self._settings, language), open_drawer=open_drawer)
        order_no = order.order_no
        return self._tasks.submit(
            lambda: _outcome(order_no, self.printer.print_receipt(doc)), "print_receipt"
        )

    def open_drawer(self) -> Pending[PrintResult]:
        """Open the cash drawer (no sale: change for the float, a cash refund)."""
        return self._tasks.submit(self.printer.open_drawer, "open_drawer")

    def status(self) -> Pending[PrinterStatus]:
        return self._tasks.submit(self.printer.status, "printer_status")
