"""Face templates on the wire: base64 of little-endian float32, checked against the model
manifest (the model must be an embedder it lists, the length its ``embedding_dim``) and
L2-normalised; the 1:N cosine search that finds a member who enrols twice, and the 1:1
check of a face payment's probe. numpy does the arithmetic; nothing here touches the
database.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from terminal.face.models import ModelSpec, load_manifest

MAX_DIM = 4096
Vector = npt.NDArray[np.float32]


class TemplateError(ValueError):
    """A template that cannot be a face embedding; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Template:
    model: str
    vector: Vector  # L2-normalised

    @property
    def dim(self) -> int:
        return int(self.vector.shape[0])

    def to_bytes(self) -> bytes:
        return self.vector.astype("<f4").tobytes()


def decode(model: str, text: str, where: str) -> Template:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise TemplateError(f"{where}: vector is not base64") from None
    if len(raw) % 4 or not raw:
        raise TemplateError(f"{where}: vector is not a whole number of float32 values")
    values = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    if values.shape[0] < 2 or values.shape[0] > MAX_DIM:
        raise TemplateError(f"{where}: vector has {values.shape[0]} values; 2 to {MAX_DIM} allowed")
    if not np.all(np.isfinite(values)):
        raise TemplateError(f"{where}: vector holds NaN or infinity")
    # In float64: the squares of large float32 values overflow float32.
    norm = float(np.linalg.norm(values.astype(np.float64)))
    if not np.isfinite(norm) or norm < 1e-6:
        raise TemplateError(f"{where}: vector is zero (or nearly) and has no direction")
    return Template(model=model, vector=(values.astype(np.float64) / norm).astype(np.float32))


@cache
def _embedders() -> dict[str, ModelSpec]:
    return {spec.name: spec for spec in load_manifest().by_role("embedder")}


def embedder(model: str) -> ModelSpec:
    spec = _embedders().get(model)
    if spec is None or spec.embedding_dim is None:
        known = ", ".join(sorted(_embedders()))
        raise TemplateError(f"model {model!r} is not an embedder this cloud knows ({known})")
    return spec


def check_dimension(template: Template) -> None:
    """The manifest fixes each model's template length: no device sets it for others."""
    expected = embedder(template.model).embedding_dim
    if template.dim != expected:
        raise TemplateError(
            f"model {template.model} templates have {expected} values; this one has {template.dim}"
        )


def payment_threshold(model: str) -> float:
    """The cosine a face payment's probe must reach against the member's own templates:
    the manifest's payment threshold for the model, the one the tills decide with."""
    return embedder(model).thresholds["payment"]


def best_of(probe: Template, stored: list[Template]) -> float:
    """The probe's highest cosine against one member's templates of its model (-1 if none)."""
    scores = [float(t.vector @ probe.vector) for t in stored if t.model == probe.model]
    return max(scores, default=-1.0)


def decode_checked(templates: list[tuple[str, str]], where: str = "templates") -> list[Template]:
    """(model, base64) pairs as the API takes them, each decoded and its length checked
    against the manifest; ``TemplateError`` names the first bad one."""
    found = [
        decode(model, text, f"{where}.{i}.vector") for i, (model, text) in enumerate(templates)
    ]
    for template in found:
        check_dimension(template)
    return found


def from_bytes(model: str, blob: bytes) -> Template:
    return Template(model=model, vector=np.frombuffer(blob, dtype="<f4").astype(np.float32))


def encode(blob: bytes) -> str:
    return base64.b64encode(blob).decode("ascii")


def best_match(
    probes: list[Template], gallery: list[tuple[str, bytes]]
) -> tuple[str, float] | None:
    """The gallery owner most similar to any probe, and the cosine similarity.

    ``gallery`` holds (member id, stored normalised vector) of the probes' model and dim.
    """
    if not gallery or not probes:
        return None
    matrix = np.stack([np.frombuffer(blob, dtype="<f4") for _, blob in gallery])
    best: tuple[str, float] | None = None
    for probe in probes:
        scores = matrix @ probe.vector
        index = int(np.argmax(scores))
        score = float(scores[index])
        if best is None or score > best[1]:
            best = (gallery[index][0], score)
    return best
