"""``ReceiptDoc``: what to print, as blocks of text with a style, rules, a QR code, feeds.

A document says what a receipt holds and how each line should stand out, never where a
column falls: paper width is the printer's (``PaperWidth``) and the fitting is
``layout.py``'s, so one document prints on 58 mm and 80 mm paper alike and reads as the
same plain text on a screen. Plain frozen data, safe to hand to the printer's thread.

What must not live here: orders, money, languages (``terminal/app/receipt.py`` builds the
document from an order), bytes (``encoder.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from drivers.printer.commands import Align


class PaperWidth(IntEnum):
    """Roll width in mm. At 203 dpi with the 12 x 24 dot font, a 58 mm roll prints 384
    dots (32 columns), an 80 mm roll 576 dots (48 columns)."""

    MM_58 = 58
    MM_80 = 80

    @property
    def columns(self) -> int:
        return 32 if self is PaperWidth.MM_58 else 48

    @property
    def dots(self) -> int:
        return self.columns * 12


@dataclass(frozen=True, slots=True)
class Style:
    """How a line stands out. ``wide`` halves the columns a line has; ``tall`` does not."""

    bold: bool = False
    wide: bool = False
    tall: bool = False
    align: Align = Align.LEFT


PLAIN = Style()


@dataclass(frozen=True, slots=True)
class Text:
    """One line, cut at the paper's edge (never wrapped)."""

    text: str
    style: Style = PLAIN


@dataclass(frozen=True, slots=True)
class Row:
    """A label on the left and an amount ending at the right edge; the label is cut when
    both do not fit."""

    left: str
    right: str
    style: Style = PLAIN


@dataclass(frozen=True, slots=True)
class Rule:
    """A line of ``char`` across the paper."""

    char: str = "-"


@dataclass(frozen=True, slots=True)
class QrCode:
    """A QR code (model 2, error level M) of ``data``, ``module_dots`` per module."""

    data: str
    module_dots: int = 6
    align: Align = Align.CENTER


@dataclass(frozen=True, slots=True)
class Feed:
    """Blank lines."""

    lines: int = 1


Block = Text | Row | Rule | QrCode | Feed


@dataclass(frozen=True, slots=True)
class ReceiptDoc:
    """A whole receipt: its blocks in order, then the cut. ``open_drawer``: kick the cash
    drawer in the same job (a cash sale), before the cut."""

    blocks: tuple[Block, ...]
    open_drawer: bool = False
    cut: bool = True
