"""Embedding: an aligned 112x112 face to an L2-normalised float32 vector, tagged with the
model name so that a vector is only ever compared with vectors of the same model.

What must not live here: alignment (``align.py``) and comparison (``gallery.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from terminal.face.detect import Image
from terminal.face.engines import Runner
from terminal.face.models import ResolvedModel

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Embedding:
    vector: Vector  # unit length, float32
    model: str

    def to_bytes(self) -> bytes:
        """Little-endian float32, as templates are stored and sent."""
        return self.vector.astype("<f4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, model: str) -> Embedding:
        return cls(normalize(np.frombuffer(data, dtype="<f4")), model)


def normalize(vector: npt.NDArray[np.floating]) -> Vector:
    v = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(v))
    if not np.isfinite(norm) or norm == 0.0:
        raise ValueError("cannot normalise a zero or non-finite vector")
    return (v / norm).astype(np.float32)


class Embedder:
    def __init__(self, model: ResolvedModel) -> None:
        self.model_name = model.name
        self.engine = model.file.engine
        self._runner = Runner(model.path, model.file.engine, "data")

    def embed(self, aligned: Image) -> Embedding:
        # SFace takes RGB 0..255 without normalisation.
        blob = np.asarray(
            cv2.dnn.blobFromImage(aligned, 1.0, (112, 112), (0, 0, 0), swapRB=True),
            dtype=np.float32,
        )
        return Embedding(normalize(self._runner.run(blob)), self.model_name)
