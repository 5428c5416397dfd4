"""Product barcodes and payment codes read from camera frames.

``FrameCodeReader.read(frame)`` decodes the codes in one BGR or grayscale frame with zbar:
a grayscale pass first, then - only when that finds nothing - one fallback, taking turns
from call to call (an adaptive threshold for blur, glare and low contrast; a 2x upscale
for small or far codes): a frame with no code is the common case and must stay cheap,
and a code held up to the camera is in many frames. It runs at most ``max_rate_hz``
times a second: a call inside the interval returns ``[]`` at once, before touching the
frame, so a camera loop can offer every frame without starving the face pipeline.

A payment code is as good as cash for a minute: ``DecodedCode``'s repr and every log line
show codes through ``safe_preview``, which masks the middle of long digit strings.

What must not live here: deciding what a code means (``terminal.domain.codes.scan``), the
camera (``drivers/camera``), and talking to libzbar (``zbar.py``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import cv2
import numpy as np
from numpy.typing import NDArray

from drivers.codes.symbology import aim_for
from drivers.codes.zbar import Symbol, ZbarScanner
from terminal.domain.codes.wallet import safe_preview

log = logging.getLogger(__name__)

Fallback = Literal["upscale", "threshold"]
DEFAULT_FALLBACKS: tuple[Fallback, ...] = ("threshold", "upscale")
# What a till meets: product codes (EAN/UPC, ITF-14 on cases, DataBar on fresh food,
# GS1-128) and payment codes (QR, Code 128). Fewer types, less time per frame.
RETAIL_SYMBOLOGIES = frozenset(
    {"EAN13", "EAN8", "UPCA", "UPCE", "CODE128", "I25", "DATABAR", "DATABAR_EXP", "QRCODE"}
)


class Rect(NamedTuple):
    """Where a code is in the frame, in the frame's pixels."""

    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True, repr=False)
class DecodedCode:
    """One code read from a frame. ``aim`` is its AIM identifier (``]E0``, ``]Q1``...)."""

    text: str
    symbology: str
    aim: str
    rect: Rect

    @property
    def scan_text(self) -> str:
        """The code as a scanner with AIM prefixes would send it, for ``classify_scan``."""
        return self.aim + self.text

    def __repr__(self) -> str:
        return (
            f"DecodedCode(text={safe_preview(self.text)!r}, symbology={self.symbology!r}, "
            f"aim={self.aim!r}, rect={tuple(self.rect)!r})"
        )


class FrameCodeReader:
    """Reads codes from frames, at most ``max_rate_hz`` times a second (None: no limit).

    ``symbologies`` are zbar type names (None: every type zbar knows). ``density`` is
    zbar's scan-line step: 2 or 3 cut the cost two- to threefold and miss
    small or tilted codes. Safe to share between threads: a call while another is
    decoding returns ``[]``.
    """

    def __init__(
        self,
        max_rate_hz: float | None = 5.0,
        *,
        fallbacks: Sequence[Fallback] = DEFAULT_FALLBACKS,
        density: int = 1,
        symbologies: frozenset[str] | None = RETAIL_SYMBOLOGIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_rate_hz is not None and max_rate_hz <= 0:
            raise ValueError(f"max_rate_hz must be positive, got {max_rate_hz}")
        self._interval = 0.0 if max_rate_hz is None else 1.0 / max_rate_hz
        self._fallbacks = tuple(fallbacks)
        self._clock = clock
        self._last: float | None = None
        self._busy = threading.Lock()
        self._next_fallback = 0
        self._scanner = ZbarScanner(density=density, symbologies=symbologies)

    def ready(self) -> bool:
        """Whether ``read`` would decode now: lets a caller skip even preparing a frame."""
        return self._last is None or self._clock() - self._last >= self._interval

    def read(self, frame: NDArray[np.uint8]) -> list[DecodedCode]:
        """The codes in ``frame`` (BGR, BGRA or grayscale); ``[]`` when none was found or
        when called again within the rate interval."""
        if not self.ready() or not self._busy.acquire(blocking=False):
            return []
        try:
            # Counted from the start: a slow decode must not let the next one in sooner.
            self._last = self._clock()
            started = time.perf_counter()
            codes = self._decode(_gray(frame))
            elapsed_ms = (time.perf_counter() - started) * 1000
        finally:
            self._busy.release()
        for code in codes:
            log.debug(
                "code read from camera",
                extra={
                    "code": safe_preview(code.text),
                    "symbology": code.symbology,
                    "aim": code.aim,
                    "decode_ms": round(elapsed_ms, 1),
                },
            )
        return codes

    def close(self) -> None:
        self._scanner.close()

    def _decode(self, gray: NDArray[np.uint8]) -> list[DecodedCode]:
        codes = _to_codes(self._scanner.scan(gray), 1.0)
        if codes or not self._fallbacks:
            return codes
        fallback = self._fallbacks[self._next_fallback % len(self._fallbacks)]
        self._next_fallback += 1
        if fallback == "upscale":
            # Codes far from the lens have bars 1-2 px wide: zbar needs more.
            bigger = cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
            return _to_codes(self._scanner.scan(np.asarray(bigger, np.uint8)), 2.0)
        # Blur, glare and dim light flatten the contrast that zbar's edge finder needs.
        # The offset of 10 keeps flat, noisy areas white: sensor noise turned into edges
        # would cost zbar more time than the whole first pass.
        binary = cv2.adaptiveThreshold(
            gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 10
        )
        return _to_codes(self._scanner.scan(np.asarray(binary, np.uint8)), 1.0)


def _gray(frame: NDArray[np.uint8]) -> NDArray[np.uint8]:
    if frame.ndim == 2:
        return frame
    if frame.ndim == 3 and frame.shape[2] == 3:
        return np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    if frame.ndim == 3 and frame.shape[2] == 4:
        return np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY), dtype=np.uint8)
    raise ValueError(f"expected a BGR, BGRA or grayscale frame, got shape {frame.shape}")


def _to_codes(symbols: list[Symbol], scale: float) -> list[DecodedCode]:
    codes: list[DecodedCode] = []
    seen: set[tuple[str, str]] = set()
    for symbol in symbols:
        text = symbol.data.decode("utf-8", errors="replace")
        if (symbol.kind, text) in seen:
            continue
        seen.add((symbol.kind, text))
        codes.append(
            DecodedCode(
                text=text,
                symbology=symbol.kind,
                aim=aim_for(symbol.kind, symbol.gs1),
                rect=_rect(symbol.points, scale),
            )
        )
    return codes


def _rect(points: tuple[tuple[int, int], ...], scale: float) -> Rect:
    if not points:
        return Rect(0, 0, 0, 0)
    xs = [x / scale for x, _ in points]
    ys = [y / scale for _, y in points]
    left, top = int(min(xs)), int(min(ys))
    return Rect(left, top, int(max(xs)) - left, int(max(ys)) - top)
