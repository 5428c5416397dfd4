"""``read_paper``: an ESC/POS byte stream read back into what the paper would show.

The inverse of ``encoder.py`` for the subset in ``commands.py``: text lines with their
bold, size and alignment (GB18030 in Chinese mode, ASCII otherwise), QR codes, feeds,
cuts, drawer pulses and status requests. A byte outside the subset, or a command cut
short, is a ``PaperError`` naming its offset: a test must not pass over a stream it does
not understand. For the fake printer's file, tests and screenshots (``paper_image.py``);
the product never reads paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.printer.commands import DC4, DLE, EOT, ESC, FS, GS, Align

ENCODING = "gb18030"


class PaperError(ValueError):
    """The stream holds something this reader does not know; the message says where."""


@dataclass(frozen=True, slots=True)
class PrintedLine:
    text: str
    bold: bool = False
    width: int = 1  # magnification
    height: int = 1
    align: Align = Align.LEFT


@dataclass(frozen=True, slots=True)
class PrintedQr:
    data: bytes
    module_dots: int
    error_level: str  # L, M, Q or H
    align: Align = Align.LEFT


@dataclass(frozen=True, slots=True)
class Cut:
    partial: bool


@dataclass(frozen=True, slots=True)
class DrawerPulse:
    pin: int
    on_ms: int
    real_time: bool  # DLE DC4 (even while offline) rather than ESC p


@dataclass(frozen=True, slots=True)
class StatusRequest:
    query: int


Printed = PrintedLine | PrintedQr | Cut | DrawerPulse | StatusRequest


def lines_of(paper: list[Printed]) -> list[str]:
    """The text of every printed line, in order (for assertions)."""
    return [item.text for item in paper if isinstance(item, PrintedLine)]


class _Reader:
    def __init__(self, stream: bytes) -> None:
        self.stream = stream
        self.at = 0
        self.out: list[Printed] = []
        self.text = bytearray()
        self.line_style: tuple[bool, int, int, Align] | None = None
        self.reset()
        self.qr_data = b""
        self.qr_dots = 3
        self.qr_level = "L"

    def reset(self) -> None:
        self.chinese = False
        self.bold = False
        self.size = (1, 1)
        self.align = Align.LEFT
        self.text.clear()
        self.line_style = None

    def take(self, count: int, what: str) -> bytes:
        if self.at + count > len(self.stream):
            raise PaperError(f"{what} at byte {self.at} is cut short")
        chunk = self.stream[self.at : self.at + count]
        self.at += count
        return chunk

    def style(self) -> tuple[bool, int, int, Align]:
        return (self.bold, self.size[0], self.size[1], self.align)

    def end_line(self) -> None:
        bold, width, height, align = self.line_style or self.style()
        text = self.text.decode(ENCODING if self.chinese else "ascii", errors="replace")
        self.out.append(PrintedLine(text, bold, width, height, align))
        self.text.clear()
        self.line_style = None

    def flush(self) -> None:
        if self.text:
            self.end_line()


def read_paper(stream: bytes) -> list[Printed]:
    reader = _Reader(stream)
    while reader.at < len(stream):
        start = reader.at
        byte = reader.take(1, "text")[0]
        if byte == 0x0A:
            reader.end_line()
        elif byte == ESC:
            _esc(reader, start)
        elif byte == GS:
            _gs(reader, start)
        elif byte == FS:
            _fs(reader, start)
        elif byte == DLE:
            _dle(reader, start)
        elif byte < 0x20 or byte == 0x7F:
            raise PaperError(f"unknown control byte {byte:#04x} at byte {start}")
        else:
            if reader.line_style is None:
                reader.line_style = reader.style()
            reader.text.append(byte)
    reader.flush()
    return reader.out


def _esc(reader: _Reader, start: int) -> None:
    command = reader.take(1, "ESC")[0]
    if command == 0x40:  # ESC @
        reader.reset()
    elif command == 0x45:  # ESC E n
        reader.bold = bool(reader.take(1, "ESC E")[0] & 1)
    elif command == 0x61:  # ESC a n
        n = reader.take(1, "ESC a")[0] % 48
        if n > 2:
            raise PaperError(f"ESC a at byte {start}: alignment {n} is not 0, 1 or 2")
        reader.align = Align(n)
    elif command == 0x64:  # ESC d n
        reader.flush()
        for _ in range(reader.take(1, "ESC d")[0]):
            reader.end_line()
    elif command == 0x70:  # ESC p m t1 t2
        m, t1, _t2 = reader.take(3, "ESC p")
        reader.out.append(DrawerPulse(2 if m in (0, 48) else 5, t1 * 2, real_time=False))
    else:
        raise PaperError(f"unknown command ESC {command:#04x} at byte {start}")


def _gs(reader: _Reader, start: int) -> None:
    command = reader.take(1, "GS")[0]
    if command == 0x21:  # GS ! n
        n = reader.take(1, "GS !")[0]
        reader.size = ((n >> 4) + 1, (n & 0x0F) + 1)
    elif command == 0x56:  # GS V m [n]
        m = reader.take(1, "GS V")[0]
        if m in (65, 66):
            reader.take(1, "GS V")
        reader.flush()
        reader.out.append(Cut(partial=m in (1, 49, 66)))
    elif command == 0x28 and reader.take(1, "GS (")[0] == 0x6B:  # GS ( k
        _qr(reader, start)
    else:
        raise PaperError(f"unknown command GS {command:#04x} at byte {start}")


def _qr(reader: _Reader, start: int) -> None:
    low, high = reader.take(2, "GS ( k")
    body = reader.take(low + high * 256, "GS ( k")
    if len(body) < 2 or body[0] != 49:
        raise PaperError(f"GS ( k at byte {start} is not a QR code function")
    fn, params = body[1], body[2:]
    if fn in (67, 69, 80, 81) and not params:
        raise PaperError(f"QR function {fn} at byte {start} has no parameter")
    if fn == 67:
        reader.qr_dots = params[0]
    elif fn == 69:
        if not 48 <= params[0] <= 51:
            raise PaperError(f"QR error level {params[0]} at byte {start} is not 48..51")
        reader.qr_level = "LMQH"[params[0] - 48]
    elif fn == 80:
        reader.qr_data = params[1:]
    elif fn == 81:
        reader.flush()
        reader.out.append(PrintedQr(reader.qr_data, reader.qr_dots, reader.qr_level, reader.align))
    elif fn != 65:
        raise PaperError(f"QR function {fn} at byte {start} is not one this reader knows")


def _fs(reader: _Reader, start: int) -> None:
    command = reader.take(1, "FS")[0]
    if command == 0x26:  # FS &
        reader.chinese = True
    elif command == 0x2E:  # FS .
        reader.chinese = False
    else:
        raise PaperError(f"unknown command FS {command:#04x} at byte {start}")


def _dle(reader: _Reader, start: int) -> None:
    command = reader.take(1, "DLE")[0]
    if command == EOT:
        reader.out.append(StatusRequest(reader.take(1, "DLE EOT")[0]))
    elif command == DC4 and reader.take(1, "DLE DC4")[0] == 1:
        m, t = reader.take(2, "DLE DC4")
        reader.out.append(DrawerPulse(2 if m == 0 else 5, t * 100, real_time=True))
    else:
        raise PaperError(f"unknown command DLE {command:#04x} at byte {start}")
