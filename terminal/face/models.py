"""The model manifest and where each model's file comes from.

``load_manifest`` reads ``models/manifest.toml`` (name, role, files with sha256 and engine,
source, license, input, thresholds). ``ModelLocator.resolve(name)`` finds a file for a
model, in order: the configured folder (argument, else ``FACEPAY_MODELS_DIR``; flat or in
``detector/``, ``embedder/``, ``antispoof/`` subfolders), then an installed package that
carries it (looked up with ``importlib`` without importing it), then nothing:
``ModelMissing`` names the model and every place looked. A file whose sha256 differs from
the manifest is refused (``ModelChecksumError``, both hashes); each file is hashed once per
process (cached by path, size and mtime).

What must not live here: running a model (``engines.py`` and the stages), and any download:
a device gets missing models from the cloud model store at provisioning, never at run time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from terminal import resources
from terminal.face.errors import ModelChecksumError, ModelError, ModelMissing

log = logging.getLogger(__name__)

MODELS_DIR_ENV = "FACEPAY_MODELS_DIR"
DEFAULT_MANIFEST = resources.model_manifest()
ENGINES = ("onnxruntime", "opencv-dnn", "opencv-yunet")


@dataclass(frozen=True, slots=True)
class ModelFile:
    file: str
    sha256: str
    engine: str
    package: str | None = None  # an installed package that ships the file
    package_dir: str = ""  # folder inside that package


@dataclass(frozen=True, slots=True)
class ModelSpec:
    name: str
    role: str  # detector, embedder, antispoof
    files: tuple[ModelFile, ...]
    source: str
    license: str
    input: str
    thresholds: Mapping[str, float] = field(default_factory=dict)
    embedding_dim: int | None = None  # embedders: the length of a template


@dataclass(frozen=True, slots=True)
class Manifest:
    models: Mapping[str, ModelSpec]
    liveness: Mapping[str, float]
    path: Traversable  # a file, or the manifest shipped as package data

    def spec(self, name: str) -> ModelSpec:
        try:
            return self.models[name]
        except KeyError:
            raise ModelError(f"model {name!r} is not in the manifest {self.path}") from None

    def by_role(self, role: str) -> list[ModelSpec]:
        return [spec for spec in self.models.values() if spec.role == role]


@dataclass(frozen=True, slots=True)
class ResolvedModel:
    """A model file found and checked: run it with ``file.engine``."""

    spec: ModelSpec
    file: ModelFile
    path: Path

    @property
    def name(self) -> str:
        return self.spec.name


def load_manifest(path: Traversable | None = None) -> Manifest:
    path = path or DEFAULT_MANIFEST
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise ModelError(f"model manifest {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"model manifest {path} is not valid TOML: {exc}") from None
    models: dict[str, ModelSpec] = {}
    for name, body in raw.get("models", {}).items():
        models[name] = _spec(name, body, path)
    liveness = {str(k): float(v) for k, v in raw.get("liveness", {}).items()}
    return Manifest(models, liveness, path)


def _spec(name: str, body: Mapping[str, Any], path: Traversable) -> ModelSpec:
    where = f"{path}: models.{name}"
    try:
        files = tuple(
            ModelFile(
                file=str(f["file"]),
                sha256=str(f["sha256"]).lower(),
                engine=str(f["engine"]),
                package=f.get("package"),
                package_dir=str(f.get("package_dir", "")),
            )
            for f in body["files"]
        )
        spec = ModelSpec(
            name=name,
            role=str(body["role"]),
            files=files,
            source=str(body.get("source", "")),
            license=str(body.get("license", "")),
            input=str(body.get("input", "")),
            thresholds={str(k): float(v) for k, v in body.get("thresholds", {}).items()},
            embedding_dim=int(body["embedding_dim"]) if "embedding_dim" in body else None,
        )
    except KeyError as exc:
        raise ModelError(f"{where}: missing key {exc}") from None
    for f in spec.files:
        if f.engine not in ENGINES:
            raise ModelError(f"{where}: {f.file}: unknown engine {f.engine!r}")
        if len(f.sha256) != 64:
            raise ModelError(f"{where}: {f.file}: sha256 must be 64 hex digits")
    return spec


# (path, size, mtime_ns) -> sha256; a file replaced in place gets a new size or mtime.
_hash_cache: dict[tuple[str, int, int], str] = {}
_hash_lock = threading.Lock()


def file_sha256(path: Path) -> str:
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _hash_lock:
        cached = _hash_cache.get(key)
    if cached is not None:
        return cached
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    value = digest.hexdigest()
    with _hash_lock:
        _hash_cache[key] = value
    return value


def verify(path: Path, model_file: ModelFile, model: str) -> None:
    actual = file_sha256(path)
    if actual != model_file.sha256:
        raise ModelChecksumError(
            f"model {model}: file {path} is not the one in the manifest:"
            f" sha256 {actual}, expected {model_file.sha256}; replace it with the"
            " provisioned file"
        )


def package_folder(package: str, sub: str = "") -> Path | None:
    """The folder of an installed package, found without importing it (its import may be
    slow or have side effects); None when it is not installed."""
    try:
        found = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if found is None or not found.submodule_search_locations:
        return None
    base = Path(next(iter(found.submodule_search_locations)))
    return base / sub if sub else base


class ModelLocator:
    """Finds and checks model files; see the module docstring for the order."""

    def __init__(
        self,
        manifest: Manifest | None = None,
        models_dir: Path | None = None,
        *,
        use_packages: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.manifest = manifest or load_manifest()
        env = os.environ if env is None else env
        if models_dir is None and env.get(MODELS_DIR_ENV):
            models_dir = Path(env[MODELS_DIR_ENV])
        self.models_dir = models_dir
        self.use_packages = use_packages

    def _candidates(
        self, spec: ModelSpec, engines: tuple[str, ...]
    ) -> list[tuple[Path, ModelFile]]:
        """Every place a file of ``spec`` may be, in order: the configured folder for each
        file (an operator's folder wins), then the packages."""
        files = [f for f in spec.files if f.engine in engines]
        places: list[tuple[Path, ModelFile]] = []
        if self.models_dir is not None:
            for f in files:
                places.append((self.models_dir / f.file, f))
                places.append((self.models_dir / spec.role / f.file, f))
        if self.use_packages:
            for f in files:
                if not f.package:
                    continue
                folder = package_folder(f.package, f.package_dir)
                if folder is None:
                    places.append((Path(f"<package {f.package} not installed>") / f.file, f))
                else:
                    places.append((folder / f.file, f))
        return places

    def resolve(self, name: str, engines: tuple[str, ...] = ENGINES) -> ResolvedModel:
        """The first file of model ``name`` that exists and runs in one of ``engines``,
        checked against its sha256. A file that exists with the wrong hash is an error,
        not a reason to try the next one: somebody replaced it."""
        spec = self.manifest.spec(name)
        looked: list[str] = []
        for path, model_file in self._candidates(spec, engines):
            looked.append(str(path))
            if path.is_file():
                verify(path, model_file, name)
                log.info(
                    "model resolved",
                    extra={"model": name, "file": str(path), "engine": model_file.engine},
                )
                return ResolvedModel(spec, model_file, path)
        where = "; ".join(looked) or "no models folder configured and no package carries it"
        raise ModelMissing(
            f"model {name} ({spec.role}) not found; looked in: {where}. Set {MODELS_DIR_ENV}"
            " or --models to the provisioned models folder"
        )
