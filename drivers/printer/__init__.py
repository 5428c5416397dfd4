"""The ESC/POS receipt printer and the cash drawer wired to it.

``ReceiptPrinter`` is what the till prints through; ``EscPosPrinter`` implements it over
a ``Transport``: serial, a USB printer-class file, a network raw port, or the fake that
appends the byte stream to a file (``open_printer("file:/tmp/r.bin")``). Every call is
bounded by short timeouts and reports faults as a ``PrinterStatus`` with a reason code;
the driver has no thread of its own (the till's printing adapter gives it one).

Modules: ``commands`` (the ESC/POS subset), ``document`` (``ReceiptDoc``), ``layout``
(columns, CJK double cells), ``encoder``, ``status`` (DLE EOT), ``device`` (the setting
string), ``transports``, ``fake``, ``printer``; for tests, screenshots and demos only:
``paper`` (bytes back to lines), ``paper_image`` (a PNG), ``simulator`` (a printer on a
pty or a TCP port). No Qt and no receipts' content here.
"""

from drivers.printer.commands import Align
from drivers.printer.device import (
    Device,
    FileDevice,
    PrinterSettingError,
    SerialDevice,
    TcpDevice,
    UsbDevice,
    parse_device,
)
from drivers.printer.document import (
    Block,
    Feed,
    PaperWidth,
    QrCode,
    ReceiptDoc,
    Row,
    Rule,
    Style,
    Text,
)
from drivers.printer.encoder import encode
from drivers.printer.fake import FakeTransport
from drivers.printer.layout import as_text, display_width, printed_width
from drivers.printer.printer import EscPosPrinter, ReceiptPrinter, open_printer, transport_for
from drivers.printer.status import (
    Condition,
    PrinterReason,
    PrinterState,
    PrinterStatus,
    PrintResult,
)
from drivers.printer.transports import Timeouts, Transport

__all__ = [
    "Align",
    "Block",
    "Condition",
    "Device",
    "EscPosPrinter",
    "FakeTransport",
    "Feed",
    "FileDevice",
    "PaperWidth",
    "PrintResult",
    "PrinterReason",
    "PrinterSettingError",
    "PrinterState",
    "PrinterStatus",
    "QrCode",
    "ReceiptDoc",
    "ReceiptPrinter",
    "Row",
    "Rule",
    "SerialDevice",
    "Style",
    "TcpDevice",
    "Text",
    "Timeouts",
    "Transport",
    "UsbDevice",
    "as_text",
    "display_width",
    "encode",
    "open_printer",
    "parse_device",
    "printed_width",
    "transport_for",
]
