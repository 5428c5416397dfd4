"""Real models and photos from ../shared: skipped with a reason when they are missing,
failed under CI (where they must be present)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from terminal.face.models import ModelLocator
from terminal.face.pipeline import FaceModels
from tests.support.shared_data import FACES, MODELS


def _need(path: Path) -> None:
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {path} is missing")
        pytest.skip(f"shared test data {path} is missing")


@pytest.fixture(scope="session")
def face_models() -> FaceModels:
    _need(MODELS)
    return FaceModels.load(ModelLocator(models_dir=MODELS, use_packages=False))


@pytest.fixture(scope="session")
def faces_dir() -> Path:
    _need(FACES)
    return FACES
