"""Model resolution: folder first (flat or in role subfolders), then packages; a changed
file refused naming both hashes; a missing model reported with every place looked."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from terminal.face.errors import ModelChecksumError, ModelMissing
from terminal.face.models import ModelLocator, load_manifest

MANIFEST = """
[models.toy]
role = "embedder"
source = "test"
license = "MIT"
input = "none"
thresholds = {{ membership = 0.4 }}

[[models.toy.files]]
file = "toy_fast.onnx"
sha256 = "{fast}"
engine = "onnxruntime"

[[models.toy.files]]
file = "toy_packaged.onnx"
sha256 = "{packaged}"
engine = "opencv-dnn"
package = "toy_model_pkg"
package_dir = "models"
"""


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def manifest_path(tmp_path: Path) -> Path:
    path = tmp_path / "manifest.toml"
    path.write_text(MANIFEST.format(fast=sha(b"fast"), packaged=sha(b"packaged")))
    return path


def test_real_manifest_lists_every_role() -> None:
    manifest = load_manifest()
    roles = {spec.role for spec in manifest.models.values()}
    assert roles == {"detector", "embedder", "antispoof"}
    assert (
        manifest.spec("sface_2021dec").thresholds["payment"]
        > manifest.spec("sface_2021dec").thresholds["membership"]
    )


def test_folder_flat_or_in_role_subfolder(tmp_path: Path, manifest_path: Path) -> None:
    models = tmp_path / "models"
    (models / "embedder").mkdir(parents=True)
    (models / "embedder" / "toy_fast.onnx").write_bytes(b"fast")
    locator = ModelLocator(load_manifest(manifest_path), models, use_packages=False, env={})
    assert locator.resolve("toy").path == models / "embedder" / "toy_fast.onnx"
    (models / "toy_fast.onnx").write_bytes(b"fast")
    assert locator.resolve("toy").path == models / "toy_fast.onnx"


def test_changed_file_is_refused_with_both_hashes(tmp_path: Path, manifest_path: Path) -> None:
    (tmp_path / "toy_fast.onnx").write_bytes(b"tampered")
    locator = ModelLocator(load_manifest(manifest_path), tmp_path, use_packages=False, env={})
    with pytest.raises(ModelChecksumError) as caught:
        locator.resolve("toy")
    message = str(caught.value)
    assert "toy_fast.onnx" in message and sha(b"tampered") in message and sha(b"fast") in message


def test_missing_model_names_every_place(tmp_path: Path, manifest_path: Path) -> None:
    locator = ModelLocator(load_manifest(manifest_path), tmp_path, env={})
    with pytest.raises(ModelMissing) as caught:
        locator.resolve("toy")
    message = str(caught.value)
    assert "model toy" in message
    assert str(tmp_path / "toy_fast.onnx") in message
    assert str(tmp_path / "embedder" / "toy_packaged.onnx") in message
    assert "toy_model_pkg" in message


def test_env_folder_then_installed_package(
    tmp_path: Path, manifest_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site" / "toy_model_pkg"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("raise RuntimeError('must not be imported')\n")
    (package / "models" / "toy_packaged.onnx").write_bytes(b"packaged")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    manifest = load_manifest(manifest_path)
    found = ModelLocator(manifest, env={}).resolve("toy")
    assert found.path == package / "models" / "toy_packaged.onnx"
    assert found.file.engine == "opencv-dnn"
    assert "toy_model_pkg" not in sys.modules
    folder = tmp_path / "configured"
    folder.mkdir()
    (folder / "toy_fast.onnx").write_bytes(b"fast")
    env = {"FACEPAY_MODELS_DIR": str(folder)}
    assert ModelLocator(manifest, env=env).resolve("toy").path == folder / "toy_fast.onnx"
