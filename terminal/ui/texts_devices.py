"""The words of the till's devices on the cashier screen: the receipt printer and the
cash drawer (``printer.*``, the printer driver's ``PrinterReason`` codes).

One text in zh_CN and en per code (tests/ui/test_reason_texts.py checks); what must not
live here: texts of sales or payments, Qt.
"""

from __future__ import annotations

# id -> (zh_CN, en). str.format fields in braces, the same fields in both languages.
DEVICE_TEXTS: dict[str, tuple[str, str]] = {
    "printer.paper_low": ("打印纸快用完了，请准备换纸", "Receipt paper is low: have a roll ready"),
    "printer.paper_out": (
        "打印机缺纸：换纸后可补打小票",
        "Printer out of paper: reprint once refilled",
    ),
    "printer.cover_open": ("打印机盖未关好", "The printer cover is open"),
    "printer.error": ("打印机故障，请检查", "The printer reports a fault: check it"),
    "printer.offline": ("打印机离线", "The printer is offline"),
    "printer.unreachable": (
        "连接不上打印机：请检查电源和连线",
        "Cannot reach the printer: check power and cable",
    ),
    "printer.no_reply": ("打印机无响应", "The printer does not answer"),
    "printer.write_failed": ("小票未打印成功：可补打", "The receipt did not print: reprint it"),
    "printer.no_drawer": ("未配置钱箱", "No cash drawer is set up"),
    "printer.printed": ("小票已打印", "Receipt printed"),
    "printer.none": ("未连接打印机", "No receipt printer"),
}
