"""``SimulatedLiveness``: the liveness stand-in for the demo's simulated camera.

A real kiosk camera pairs its colour sensor with a depth (or IR) sensor, and the
anti-spoofing models (MiniFASNet, installed by provisioning) judge whether a face is a
live person. The demo's camera is a video made from still photos: it has no depth
sensor, and on a fresh machine the anti-spoofing models are not there at all. This class
plays the part of that sensor: it answers every face with one fixed "live" score, so the
rest of the pipeline (quality, align, embed, search, decide over frames) runs for real.

It is used only when a caller asks for it by name (``FaceModels.load(...,
liveness="simulated")``, ``[face] liveness = "simulated"``) and it logs a warning when it
is made: a till that takes payments must never run with it. A missing anti-spoofing model
is still an error (``ModelMissing``) everywhere else.

What must not live here: any real liveness judgement (``liveness.py``).
"""

from __future__ import annotations

import logging

from terminal.face.detect import Face, Image

log = logging.getLogger(__name__)

# Well above the manifest's "real" threshold (0.70), as a live person scores.
SIMULATED_REAL_SCORE = 0.95


class SimulatedLiveness:
    """Same interface as ``LivenessModel``: ``score(image, face)`` -> 0..1, here fixed."""

    def __init__(self, score: float = SIMULATED_REAL_SCORE) -> None:
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"a liveness score is between 0 and 1, got {score}")
        self.names = ["simulated"]
        self._score = score
        log.warning(
            "liveness is simulated: every face counts as live (demo camera only, never a till"
            " that takes payments)",
            extra={"score": score},
        )

    def score(self, image: Image, face: Face) -> float:
        """The fixed score, whatever the frame shows: the simulated depth sensor's answer."""
        return self._score
