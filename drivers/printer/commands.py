"""The ESC/POS commands this driver sends, as bytes: one function or constant per command.

Written from the public command descriptions in Epson's "ESC/POS Command Reference" (ESC @,
ESC a, ESC E, GS !, ESC d, GS ( k functions 165/167/169/180/181, GS V, ESC p, DLE DC4,
DLE EOT, FS &, FS .). Chinese-market printers implement the same subset and take GB18030
in Chinese mode (FS &); real-time commands (DLE ...) are the ones a model is most likely
to leave out, so a missing answer counts as "no reply", never as "ready". No code was
taken from any library.

Only the subset a receipt needs; ``paper.py`` reads back exactly this subset. What must
not live here: layout (``layout.py``), the order of commands in a receipt
(``encoder.py``), talking to a device (``transports.py``).
"""

from __future__ import annotations

from enum import IntEnum

ESC = 0x1B
GS = 0x1D
FS = 0x1C
DLE = 0x10
EOT = 0x04
DC4 = 0x14
LF = b"\n"

# ESC @: clear the print buffer and reset every mode to the power-on default.
INIT = bytes([ESC, 0x40])
# FS &: Chinese (Kanji) mode on, so two-byte GB18030 codes print as one character;
# FS .: off again (single-byte code page).
CHINESE_ON = bytes([FS, 0x26])
CHINESE_OFF = bytes([FS, 0x2E])

# GS V 66 n: feed to the cutting position (plus n motion units), then a partial cut
# (one point left uncut, so the receipt does not fall on the floor).
PARTIAL_CUT = bytes([GS, 0x56, 66, 0])

# GS ( k cn=49 (QR code) function numbers.
_QR_MODEL = 65  # fn 165
_QR_MODULE_SIZE = 67  # fn 167
_QR_ERROR_LEVEL = 69  # fn 169
_QR_STORE = 80  # fn 180
_QR_PRINT = 81  # fn 181
QR_MODEL_2 = 50
QR_MAX_DATA = 7089  # the largest model 2 symbol (numeric); bytes hold fewer: checked by caller


class Align(IntEnum):
    """ESC a n."""

    LEFT = 0
    CENTER = 1
    RIGHT = 2


class QrErrorLevel(IntEnum):
    """GS ( k fn 169: n = 48 + level (L 7 %, M 15 %, Q 25 %, H 30 % recoverable)."""

    L = 48
    M = 49
    Q = 50
    H = 51


class StatusQuery(IntEnum):
    """DLE EOT n: transmit real-time status; the printer answers one byte at once, even
    while offline or with data in its buffer."""

    PRINTER = 1  # bit 3: offline
    OFFLINE_CAUSE = 2  # bit 2: cover open, bit 5: stopped by paper end, bit 6: error
    ERROR_CAUSE = 3  # bit 3: autocutter, bit 5: unrecoverable, bit 6: auto-recoverable
    PAPER = 4  # bits 2+3: roll near its end, bits 5+6: no paper


def align(where: Align) -> bytes:
    return bytes([ESC, 0x61, int(where)])


def bold(on: bool) -> bytes:
    """ESC E n: emphasized (bold) on or off."""
    return bytes([ESC, 0x45, 1 if on else 0])


def char_size(width: int, height: int) -> bytes:
    """GS ! n: width and height magnification, 1 to 8 each (high nibble: width - 1, low
    nibble: height - 1). Applies to the Chinese characters too."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError(f"character magnification {width}x{height} is not 1..8 each")
    return bytes([GS, 0x21, ((width - 1) << 4) | (height - 1)])


def feed_lines(count: int) -> bytes:
    """ESC d n: print what is buffered and feed ``count`` lines (0..255)."""
    if not 0 <= count <= 255:
        raise ValueError(f"feed of {count} lines is not 0..255")
    return bytes([ESC, 0x64, count])


def _qr_function(fn: int, data: bytes) -> bytes:
    # GS ( k pL pH cn fn [parameters]: pL + pH * 256 counts cn, fn and the parameters.
    size = len(data) + 2
    return bytes([GS, 0x28, 0x6B, size & 0xFF, size >> 8, 49, fn]) + data


def qr_code(data: bytes, module_dots: int, level: QrErrorLevel = QrErrorLevel.M) -> bytes:
    """A model 2 QR symbol of ``data``: select the model, the module size in dots (1..16),
    the error correction level, store the data, print it."""
    if not 1 <= module_dots <= 16:
        raise ValueError(f"QR module size {module_dots} is not 1..16 dots")
    if not 1 <= len(data) <= QR_MAX_DATA:
        raise ValueError(f"QR data of {len(data)} bytes is not 1..{QR_MAX_DATA}")
    return b"".join(
        (
            _qr_function(_QR_MODEL, bytes([QR_MODEL_2, 0])),
            _qr_function(_QR_MODULE_SIZE, bytes([module_dots])),
            _qr_function(_QR_ERROR_LEVEL, bytes([int(level)])),
            _qr_function(_QR_STORE, b"\x30" + data),
            _qr_function(_QR_PRINT, b"\x30"),
        )
    )


def drawer_kick(pin: int, on_ms: int = 100, off_ms: int = 500) -> bytes:
    """ESC p m t1 t2: a pulse on the drawer connector's pin 2 (m = 0) or pin 5 (m = 1),
    on for t1 x 2 ms and off for t2 x 2 ms (t2 >= t1). 100 ms opens the common 24 V
    solenoids; the pause keeps a second kick from overheating one."""
    if pin not in (2, 5):
        raise ValueError(f"drawer pin {pin} is not 2 or 5")
    t1, t2 = on_ms // 2, off_ms // 2
    if not (1 <= t1 <= 255 and t1 <= t2 <= 255):
        raise ValueError(f"drawer pulse {on_ms}/{off_ms} ms is not 2..510 ms with off >= on")
    return bytes([ESC, 0x70, 0 if pin == 2 else 1, t1, t2])


def drawer_pulse_now(pin: int, on_ms: int = 100) -> bytes:
    """DLE DC4 1 m t: a real-time drawer pulse (t x 100 ms), executed even while the
    printer is offline (out of paper, cover open), when ESC p would wait in its buffer."""
    if pin not in (2, 5):
        raise ValueError(f"drawer pin {pin} is not 2 or 5")
    if not 100 <= on_ms <= 800:
        raise ValueError(f"real-time drawer pulse of {on_ms} ms is not 100..800 ms")
    return bytes([DLE, DC4, 1, 0 if pin == 2 else 1, on_ms // 100])


def status_query(query: StatusQuery) -> bytes:
    return bytes([DLE, EOT, int(query)])
