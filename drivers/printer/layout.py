"""Where every character of a receipt falls: the one place that turns a ``ReceiptDoc``'s
blocks into lines of a given number of columns.

Two measures of a character's width, because paper and screen disagree:

- ``printed_width``: a printer in Chinese mode prints every two-byte GB18030 character
  (CJK, fullwidth forms, and also "×" or "—") in a double cell and ASCII in a single
  one; the encoder first turns text into what the printer can print (``printer_text``).
- ``display_width``: a screen's monospaced font gives East Asian Wide and Fullwidth
  characters two columns, everything else one (the plain-text receipt).

``lay_out`` gives the lines for either; ``as_text`` is the receipt as plain text. What
must not live here: bytes and commands (``encoder.py``), what a receipt says.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from drivers.printer.commands import Align
from drivers.printer.document import Feed, QrCode, ReceiptDoc, Row, Rule, Style, Text

Measure = Callable[[str], int]

# Characters outside the two-byte GB18030 (GBK) set that receipts do use, mapped to ones
# inside it: Chinese printer fonts hold GBK, and a four-byte code prints as garbage.
_GBK_STAND_INS = {"¥": "￥", "\u00a0": " "}


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def printed_width(text: str) -> int:
    """Columns ``text`` takes on paper (after ``printer_text``): ASCII one, others two."""
    return sum(1 if ch < "\x80" else 2 for ch in text)


def printer_text(text: str) -> str:
    """``text`` as the printer can take it: control characters (a catalog name must not
    smuggle a command such as the drawer kick into the stream) and characters no
    Chinese printer font holds become "?"; a few common ones get a stand-in."""
    out = []
    for original in text:
        ch = _GBK_STAND_INS.get(original, original)
        bad = unicodedata.category(ch) == "Cc" or len(ch.encode("gb18030")) > 2
        out.append("?" if bad else ch)
    return "".join(out)


def cut(text: str, columns: int, measure: Measure = display_width) -> str:
    """The longest start of ``text`` that fits ``columns``."""
    used = 0
    for index, ch in enumerate(text):
        used += measure(ch)
        if used > columns:
            return text[:index]
    return text


def pad(text: str, columns: int, measure: Measure = display_width) -> str:
    """``text`` cut to ``columns`` and padded with spaces to exactly that width."""
    kept = cut(text, columns, measure)
    return kept + " " * (columns - measure(kept))


def row(left: str, right: str, columns: int, measure: Measure = display_width) -> str:
    """``left`` and ``right`` on one line ending at ``columns``, a space at least between."""
    right = cut(right, columns, measure)
    room = columns - measure(right) - 1
    if room < 0:
        return right
    return pad(left, room, measure) + " " + right


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line: its text fitted to the columns it has, and its style."""

    text: str
    style: Style


LaidOut = Line | QrCode | Feed


def lay_out(doc: ReceiptDoc, columns: int, measure: Measure = display_width) -> list[LaidOut]:
    """The document's lines at ``columns`` (a wide line has half as many)."""
    out: list[LaidOut] = []
    for block in doc.blocks:
        if isinstance(block, Text):
            room = columns // 2 if block.style.wide else columns
            out.append(Line(cut(block.text, room, measure), block.style))
        elif isinstance(block, Row):
            room = columns // 2 if block.style.wide else columns
            out.append(Line(row(block.left, block.right, room, measure), block.style))
        elif isinstance(block, Rule):
            out.append(Line(block.char * (columns // max(1, measure(block.char))), Style()))
        else:
            out.append(block)
    return out


def as_text(doc: ReceiptDoc, columns: int) -> str:
    """The receipt as plain text for a screen: sizes and bold dropped, alignment kept, no
    QR code (it prints only on paper)."""
    lines: list[str] = []
    for item in lay_out(doc, columns):
        if isinstance(item, Feed):
            lines.extend([""] * item.lines)
        elif isinstance(item, Line):
            # str.center/rjust count characters: widen the field by the extra columns.
            field = columns - (display_width(item.text) - len(item.text))
            if item.style.align is Align.CENTER:
                lines.append(item.text.center(field))
            elif item.style.align is Align.RIGHT:
                lines.append(item.text.rjust(field))
            else:
                lines.append(item.text)
    return "\n".join(lines)
