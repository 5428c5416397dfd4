"""The shared face photos as tests use them: read one, embed one with the real models,
pick a few (one per identity) for a video. Skips or fails the calling test, with the
reason, when a photo cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.face.detect import Image
from terminal.face.embed import Embedding
from terminal.face.evaluation import read_image
from terminal.face.pipeline import FaceModels, FacePipeline
from tests.support.shared_data import IDENTITIES

# The first photo of each identity, in name order.
PHOTOS = sorted(IDENTITIES.glob("*/1.jpg"))


def photo(path: Path) -> Image:
    image = read_image(path, pytest.fail)
    assert image is not None
    return image


def embed_photo(models: FaceModels, path: Path) -> Embedding:
    analysis = FacePipeline(models).analyse(photo(path), enforce_quality=False)
    assert analysis.embedding is not None, f"no face in {path}"
    return analysis.embedding


def photos(count: int) -> list[Path]:
    """The first ``count`` of ``PHOTOS``; skips the test when there are fewer."""
    if len(PHOTOS) < count:
        pytest.skip(f"needs {count} photos in {IDENTITIES}")
    return PHOTOS[:count]
