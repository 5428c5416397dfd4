"""The one place that talks to libzbar, through pyzbar's ctypes bindings.

``pyzbar.decode`` builds and configures a new scanner for every image and hides zbar's
symbol modifiers; we keep one scanner per ``ZbarScanner`` (cheaper per frame) and read the
GS1 modifier, which is how a Code 128 that starts with FNC1 (GS1-128) or a GS1 QR Code is
told apart - zbar strips the FNC1 from the data.

What must not live here: choosing what to decode, rate limits, logging of codes
(``reader.py``). A ``ZbarScanner`` is not thread-safe: one per thread.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pyzbar import wrapper as _zbar  # type: ignore[import-untyped]

# zbar.h: zbar_modifier_e. GS1 means "FNC1 in first position".
_MOD_GS1 = 1 << 0
# The fourcc of 8-bit grayscale ("Y800"), the only format we hand to zbar.
_Y800 = ord("Y") | ord("8") << 8 | ord("0") << 16 | ord("0") << 24

_get_modifiers: Any = _zbar.zbar_function(
    "zbar_symbol_get_modifiers", ctypes.c_uint, ctypes.POINTER(_zbar.zbar_symbol)
)


@dataclass(frozen=True)
class Symbol:
    """One symbol as zbar found it; ``points`` are its outline in image pixels."""

    kind: str  # zbar's name: EAN13, CODE128, QRCODE, ...
    data: bytes
    points: tuple[tuple[int, int], ...]
    gs1: bool
    quality: int


class ZbarScanner:
    """A libzbar image scanner, kept for the life of the object."""

    def __init__(self, density: int = 1, symbologies: frozenset[str] | None = None) -> None:
        """``symbologies``: zbar type names to keep (None: all); the others are switched
        off, which saves time on every frame. Kept ones keep zbar's defaults (so UPC-A is
        still reported as a 13-digit EAN-13, as zbar does)."""
        if density < 1:
            raise ValueError(f"scan density must be 1 or more, got {density}")
        self._scanner: Any = _zbar.zbar_image_scanner_create()
        if not self._scanner:
            raise RuntimeError("libzbar could not create an image scanner")
        if symbologies is not None:
            unknown = symbologies - {kind.name for kind in _zbar.ZBarSymbol}
            if unknown:
                raise ValueError(f"unknown zbar symbologies: {sorted(unknown)}")
            for kind in _zbar.ZBarSymbol:
                if kind.value > _zbar.ZBarSymbol.PARTIAL and kind.name not in symbologies:
                    _zbar.zbar_image_scanner_set_config(
                        self._scanner, kind, _zbar.ZBarConfig.CFG_ENABLE, 0
                    )
        for config in (_zbar.ZBarConfig.CFG_X_DENSITY, _zbar.ZBarConfig.CFG_Y_DENSITY):
            # Symbology 0 (ZBAR_NONE) addresses the scanner itself.
            _zbar.zbar_image_scanner_set_config(self._scanner, 0, config, density)

    def close(self) -> None:
        if self._scanner:
            _zbar.zbar_image_scanner_destroy(self._scanner)
            self._scanner = None

    def __del__(self) -> None:
        self.close()

    def scan(self, gray: NDArray[np.uint8]) -> list[Symbol]:
        """The symbols in an 8-bit grayscale image."""
        if gray.ndim != 2:
            raise ValueError("zbar scans 8-bit grayscale images only")
        if not self._scanner:
            raise RuntimeError("the zbar scanner was closed")
        height, width = gray.shape
        pixels = np.ascontiguousarray(gray, dtype=np.uint8)
        image: Any = _zbar.zbar_image_create()
        try:
            _zbar.zbar_image_set_format(image, _Y800)
            _zbar.zbar_image_set_size(image, width, height)
            # zbar reads the buffer in place: `pixels` stays referenced until we return.
            _zbar.zbar_image_set_data(image, pixels.ctypes.data, pixels.nbytes, None)
            if _zbar.zbar_scan_image(self._scanner, image) < 0:
                raise RuntimeError("libzbar refused the image format")
            return list(_symbols(image))
        finally:
            _zbar.zbar_image_destroy(image)


def _symbols(image: Any) -> list[Symbol]:
    found: list[Symbol] = []
    symbol = _zbar.zbar_image_first_symbol(image)
    while symbol:
        data = ctypes.string_at(
            _zbar.zbar_symbol_get_data(symbol), _zbar.zbar_symbol_get_data_length(symbol)
        )
        try:
            kind = _zbar.ZBarSymbol(symbol.contents.type).name
        except ValueError:
            kind = f"ZBAR{symbol.contents.type}"
        points = tuple(
            (
                int(_zbar.zbar_symbol_get_loc_x(symbol, i)),
                int(_zbar.zbar_symbol_get_loc_y(symbol, i)),
            )
            for i in range(_zbar.zbar_symbol_get_loc_size(symbol))
        )
        found.append(
            Symbol(
                kind=str(kind),
                data=data,
                points=points,
                gs1=bool(_get_modifiers(symbol) & _MOD_GS1),
                quality=int(_zbar.zbar_symbol_get_quality(symbol)),
            )
        )
        symbol = _zbar.zbar_symbol_next(symbol)
    return found
