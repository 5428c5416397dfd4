"""``encode``: a ``ReceiptDoc`` as the ESC/POS byte stream of one print job.

The job starts with ESC @ (a printer left in double size by someone else's job prints
ours plainly), turns Chinese mode on when any character is not ASCII (text then goes as
GB18030), sends each laid-out line with a style command only where the style changes,
prints the QR code, kicks the drawer if asked, and ends with a partial cut. The same
document always gives the same bytes, so tests can compare streams exactly.

What must not live here: where characters fall (``layout.py``), devices.
"""

from __future__ import annotations

from dataclasses import replace

from drivers.printer import commands
from drivers.printer.commands import Align, QrErrorLevel
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
from drivers.printer.layout import Line, lay_out, printed_width, printer_text

ENCODING = "gb18030"


def _printable(block: Block) -> Block:
    if isinstance(block, Text):
        return replace(block, text=printer_text(block.text))
    if isinstance(block, Row):
        return replace(block, left=printer_text(block.left), right=printer_text(block.right))
    if isinstance(block, Rule):
        return replace(block, char=printer_text(block.char)[:1] or "-")
    return block


class _Modes:
    """The printer's modes as the stream so far left them; a command only on a change."""

    def __init__(self) -> None:
        self.align, self.bold, self.size = Align.LEFT, False, (1, 1)

    def set(self, style: Style) -> bytes:
        out = b""
        if style.align is not self.align:
            self.align = style.align
            out += commands.align(style.align)
        if style.bold != self.bold:
            self.bold = style.bold
            out += commands.bold(style.bold)
        size = (2 if style.wide else 1, 2 if style.tall else 1)
        if size != self.size:
            self.size = size
            out += commands.char_size(*size)
        return out


def encode(doc: ReceiptDoc, paper: PaperWidth, *, drawer_pin: int | None = None) -> bytes:
    """The job's bytes; ``drawer_pin`` (2 or 5) is where the drawer is wired, None for no
    drawer (then ``doc.open_drawer`` is ignored: the printer reports it)."""
    printable = replace(doc, blocks=tuple(_printable(b) for b in doc.blocks))
    laid = lay_out(printable, paper.columns, printed_width)
    chinese = any(isinstance(i, Line) and not i.text.isascii() for i in laid)
    out = [commands.INIT]
    if chinese:
        out.append(commands.CHINESE_ON)
    modes = _Modes()
    for item in laid:
        if isinstance(item, Line):
            out.append(modes.set(item.style))
            out.append(item.text.encode(ENCODING) + commands.LF)
        elif isinstance(item, QrCode):
            out.append(modes.set(Style(align=item.align)))
            data = item.data.encode("utf-8")
            out.append(commands.qr_code(data, item.module_dots, QrErrorLevel.M))
        elif isinstance(item, Feed):
            out.append(commands.feed_lines(item.lines))
    if doc.open_drawer and drawer_pin is not None:
        out.append(commands.drawer_kick(drawer_pin))
    if doc.cut:
        out.append(commands.PARTIAL_CUT)
    return b"".join(out)
