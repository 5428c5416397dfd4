"""The model store's view of its folder: models in subfolders, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.cloud.model_files import ModelFiles


def test_models_in_subfolders_are_served_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "detector").mkdir()
    (tmp_path / "embedder").mkdir()
    (tmp_path / "detector" / "yunet.onnx").write_bytes(b"d" * 10)
    (tmp_path / "embedder" / "sface.onnx").write_bytes(b"e" * 20)
    (tmp_path / "README.md").write_text("notes")
    (tmp_path / "SHA256SUMS").write_text("abc  yunet.onnx")
    (tmp_path / ".hidden.onnx").write_bytes(b"h")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.onnx").write_bytes(b"s")
    (tmp_path / "linked").symlink_to(outside, target_is_directory=True)
    files = ModelFiles(tmp_path)
    assert sorted(f.file for f in files.all()) == ["sface.onnx", "yunet.onnx"]
    assert files.get("sface.onnx") is not None and files.get("sface.onnx").size == 20  # type: ignore[union-attr]
    assert files.get("README.md") is None and files.get("secret.onnx") is None


def test_two_models_with_one_name_are_refused_at_start(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "model.onnx").write_bytes(folder.encode())
    with pytest.raises(ValueError, match=r"two models named model\.onnx"):
        ModelFiles(tmp_path)
