"""Enrollment bodies as a till sends them (both consents, the current texts) and face
vectors for the cloud tests; opening the sealed templates a device pulls."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from typing import Any

import numpy as np

from terminal.app.consent import current
from terminal.storage.template_cipher import GalleryCipher

MODEL = "sface_2021dec"  # the cloud checks lengths against the manifest: 128 values
DIM = 128


def vector(seed: int, noise: float = 0.0, noise_seed: int = 99) -> np.ndarray:
    base = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    if noise:
        base += noise * np.random.default_rng(noise_seed).standard_normal(DIM).astype(np.float32)
    return base


def b64(values: np.ndarray) -> str:
    return base64.b64encode(values.astype("<f4").tobytes()).decode()


def template(values: np.ndarray, model: str = MODEL) -> dict[str, str]:
    return {"model": model, "vector": b64(values)}


def consents(device_id: str, *, language: str = "zh_CN") -> list[dict[str, str]]:
    now = datetime.now(UTC).isoformat()
    return [
        {
            "kind": kind,
            "text_version": current(kind).version,
            "language": language,
            "accepted_at": now,
            "terminal": device_id,
        }
        for kind in ("membership", "face_pay")
    ]


def enrollment(
    device_id: str, vectors: list[np.ndarray], model: str = MODEL, **extra: Any
) -> dict[str, Any]:
    return {
        "enrollment_id": str(uuid.uuid4()),
        "member_id": str(uuid.uuid4()),
        "display_name": "Zhang Wei",
        "phone_last4": "1234",
        "templates": [template(v, model) for v in vectors],
        "consents": consents(device_id),
        **extra,
    }


def opened(gallery_key: bytes, member_id: str, sealed: dict[str, str]) -> np.ndarray:
    """A template from the member stream, opened with the store's gallery key."""
    raw = GalleryCipher(gallery_key).open(
        base64.b64decode(sealed["sealed"]), member_id=member_id, model=sealed["model"]
    )
    return np.frombuffer(raw, dtype="<f4")
