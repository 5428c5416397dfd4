"""``FaceProbe``: the evidence a face payment carries to the cloud: the template the till
matched (little-endian float32, L2-normalised, tagged with its model) and the liveness
score it measured. The cloud checks the template 1:1 against the member's own before it
moves any money, so the till's word alone pays nothing."""

from __future__ import annotations

import base64
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FaceProbe:
    model: str
    vector: bytes  # little-endian float32
    liveness: float  # 0..1, the mean over the frames seen

    def __post_init__(self) -> None:
        if not self.vector or len(self.vector) % 4:
            raise ValueError("a probe is a non-empty array of float32")
        if not 0.0 <= self.liveness <= 1.0:
            raise ValueError(f"a liveness score is within 0..1, not {self.liveness}")

    def wire(self) -> dict[str, str]:
        """The template as the API takes it: ``{model, vector}`` with base64 float32."""
        return {"model": self.model, "vector": base64.b64encode(self.vector).decode("ascii")}

    def __repr__(self) -> str:  # a face template is biometric data: never in a log line
        return f"FaceProbe({self.model}, {len(self.vector) // 4} values, {self.liveness:.2f})"
