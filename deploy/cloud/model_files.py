"""The model store: the model files in ``--models-dir``, hashed once at start.

Model files (``.onnx``) are found in the folder and its subfolders (a release keeps
detector/, embedder/, antispoof/ apart) and served by file name; notes, checksum lists and
anything else beside them are not models and are not served. Only files listed at start
can be downloaded, looked up by exact name, so no path a client sends ever reaches the
file system (no traversal, no symlink tricks, no hidden files). Two models with the same
file name are refused at start. Restart the server after adding a model.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
_CHUNK = 1024 * 1024
MODEL_SUFFIXES = frozenset({".onnx"})


@dataclass(frozen=True, slots=True)
class ModelFile:
    name: str
    file: str
    sha256: str
    size: int
    path: Path


class ModelFiles:
    def __init__(self, directory: Path | None):
        self.directory = directory
        self._files: dict[str, ModelFile] = {}
        if directory is None:
            return
        if not directory.is_dir():
            raise FileNotFoundError(f"models folder {directory} does not exist")
        for folder, subfolders, names in os.walk(directory, followlinks=False):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(names):
                path = Path(folder) / name
                if (
                    name.startswith(".")
                    or path.suffix.lower() not in MODEL_SUFFIXES
                    or path.is_symlink()
                    or not path.is_file()
                ):
                    continue
                if name in self._files:
                    raise ValueError(
                        f"two models named {name} under {directory}: "
                        f"{self._files[name].path} and {path}"
                    )
                self._files[name] = ModelFile(
                    name=path.stem,
                    file=name,
                    sha256=_sha256(path),
                    size=path.stat().st_size,
                    path=path,
                )
        log.info("models: %d file(s) in %s", len(self._files), directory)

    def all(self) -> list[ModelFile]:
        return list(self._files.values())

    def get(self, file: str) -> ModelFile | None:
        return self._files.get(file)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
