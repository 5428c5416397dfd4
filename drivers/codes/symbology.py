"""zbar's symbol types mapped to AIM symbology identifiers (ISO/IEC 15424).

A serial scanner set to send AIM prefixes sends ``]E0`` before an EAN-13; the codes read
from camera frames carry the same identifier, so ``terminal.domain.codes.scan`` routes a
camera read and a scanner read the same way.

What must not live here: decoding images (``zbar.py``) and what a code means (the domain).
"""

from __future__ import annotations

# AIM "]X0": other symbology, for what has no identifier of its own.
UNKNOWN_AIM = "]X0"

_AIM: dict[str, str] = {
    "EAN13": "]E0",
    "UPCA": "]E0",
    "UPCE": "]E0",
    "ISBN13": "]E0",
    "ISBN10": "]E0",
    "EAN2": "]E1",  # add-ons read alone
    "EAN5": "]E2",
    "EAN8": "]E4",
    "CODE128": "]C0",
    "CODE39": "]A0",
    "CODE93": "]G0",
    "CODABAR": "]F0",
    "I25": "]I0",
    "DATABAR": "]e0",  # GS1 DataBar is GS1 by definition
    "DATABAR_EXP": "]e0",
    "COMPOSITE": "]e0",
    "PDF417": "]L2",
    "QRCODE": "]Q1",
}

# With FNC1 in the first position the same symbologies carry a GS1 message.
_GS1_AIM: dict[str, str] = {"CODE128": "]C1", "QRCODE": "]Q3"}


def aim_for(kind: str, gs1: bool = False) -> str:
    """The AIM identifier for a zbar symbol type; ``gs1`` when zbar saw a leading FNC1."""
    if gs1 and kind in _GS1_AIM:
        return _GS1_AIM[kind]
    return _AIM.get(kind, UNKNOWN_AIM)
