"""Barcodes and QR codes read from camera frames (zbar through pyzbar).

- ``reader``: ``FrameCodeReader`` and ``DecodedCode``: rate-limited decoding with AIM
  identifiers, payment codes never logged in full;
- ``symbology``: zbar types to AIM identifiers;
- ``zbar``: the thin layer over libzbar.

What must not live here: what a code means (``terminal.domain.codes``), the camera
(``drivers/camera``), the serial scanner (``drivers/scanner``).
"""

from drivers.codes.reader import (
    DEFAULT_FALLBACKS,
    RETAIL_SYMBOLOGIES,
    DecodedCode,
    FrameCodeReader,
    Rect,
)
from drivers.codes.symbology import aim_for

__all__ = [
    "DEFAULT_FALLBACKS",
    "RETAIL_SYMBOLOGIES",
    "DecodedCode",
    "FrameCodeReader",
    "Rect",
    "aim_for",
]
