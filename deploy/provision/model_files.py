"""Models from the cloud's model store (``GET /v1/models``, ``GET /v1/models/{file}``),
verified before the terminal can see them.

Each file is streamed to ``.<file>.partial`` in the models folder (same file system, so
the final rename is atomic), fsynced, its size and sha256 checked against the list, and
only then renamed into place. A failed or refused download removes its temp file; temp
files left by a run that was killed are removed at the start of the next. A file already
in place with the right hash is not downloaded again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx

from deploy.provision import exit_codes
from deploy.provision.atomic_file import fsync_dir, nearest_existing
from deploy.provision.errors import ProvisionError
from deploy.provision.options import Options
from deploy.provision.report import Status, StepResult
from terminal.sync.registration import Registration

PARTIAL_SUFFIX = ".partial"
_CHUNK = 1024 * 1024
# A plain file name: whatever the cloud says must never place a file outside the folder.
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}\Z")
DISK_MARGIN_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class RemoteModel:
    name: str
    file: str
    sha256: str
    size: int


def run(options: Options, registration: Registration) -> StepResult:
    folder = options.layout.models_dir
    with _client(registration) as client:
        remote = list_models(client)
        if options.check:
            return _check(folder, remote)
        folder.mkdir(parents=True, exist_ok=True)
        stale = remove_stale_partials(folder)
        missing = [m for m in remote if not _in_place(folder, m)]
        _check_space(folder, missing)
        for model in missing:
            download(client, model, folder)
    notes = [f"{len(remote) - len(missing)} in place", f"{len(missing)} downloaded"]
    if stale:
        notes.append(f"{stale} stale partial file(s) removed")
    warnings = [] if remote else ["the cloud's model store is empty: face pay is unavailable"]
    status = Status.CHANGED if missing or stale else Status.UNCHANGED
    return StepResult(
        "models",
        Status.WARNING if warnings else status,
        f"{folder}: " + ", ".join(notes),
        warnings=warnings,
        data={"files": [m.file for m in remote]},
    )


def _client(registration: Registration) -> httpx.Client:
    return httpx.Client(
        base_url=registration.cloud_url,
        headers={
            "Authorization": f"Bearer {registration.token}",
            "User-Agent": "facepay-provision",
        },
        # A read timeout per chunk, not for the whole file: big models take minutes.
        timeout=httpx.Timeout(30.0, connect=5.0),
    )


def list_models(client: httpx.Client) -> list[RemoteModel]:
    try:
        response = client.get("/v1/models")
    except httpx.TransportError as exc:
        raise ProvisionError(
            f"cannot reach the cloud's model store: {exc or type(exc).__name__}", exit_codes.CLOUD
        ) from None
    if response.status_code >= 500:
        raise ProvisionError(f"the model store failed: {response.status_code}", exit_codes.CLOUD)
    if response.status_code != 200:
        raise ProvisionError(
            f"the model store refused: {response.status_code} {response.text[:200]}",
            exit_codes.CLOUD,
        )
    try:
        models = [
            RemoteModel(str(m["name"]), str(m["file"]), str(m["sha256"]).lower(), int(m["size"]))
            for m in response.json()["models"]
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise ProvisionError(f"the model list is malformed: {exc}", exit_codes.MODELS) from None
    for model in models:
        if not _SAFE_NAME.fullmatch(model.file) or model.file.endswith(PARTIAL_SUFFIX):
            raise ProvisionError(
                f"the cloud lists an unsafe model file name {model.file!r}", exit_codes.MODELS
            )
    return models


def remove_stale_partials(folder: Path) -> int:
    removed = 0
    for path in folder.glob(f".*{PARTIAL_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed += 1
    return removed


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _in_place(folder: Path, model: RemoteModel) -> bool:
    path = folder / model.file
    try:
        if path.stat().st_size != model.size:
            return False
    except FileNotFoundError:
        return False
    return sha256_of(path) == model.sha256


def _check(folder: Path, remote: list[RemoteModel]) -> StepResult:
    problems = []
    for model in remote:
        path = folder / model.file
        if not path.exists():
            problems.append(f"{model.file} missing")
        elif not _in_place(folder, model):
            problems.append(f"{model.file} corrupt (sha256 differs)")
    if problems:
        return StepResult("models", Status.DRIFT, "; ".join(problems))
    return StepResult("models", Status.UNCHANGED, f"{len(remote)} verified in {folder}")


def _check_space(folder: Path, missing: list[RemoteModel]) -> None:
    needed = sum(m.size for m in missing)
    if not needed:
        return
    free = shutil.disk_usage(nearest_existing(folder)).free
    if free < needed + DISK_MARGIN_BYTES:
        raise ProvisionError(
            f"the models need {needed // 2**20} MB (+{DISK_MARGIN_BYTES // 2**20} MB margin), "
            f"only {free // 2**20} MB free in {folder}",
            exit_codes.DISK,
        )


def download(client: httpx.Client, model: RemoteModel, folder: Path) -> None:
    target = folder / model.file
    temp = folder / f".{model.file}{PARTIAL_SUFFIX}"
    try:
        digest, size = _stream_to(client, model, temp)
        if size != model.size or digest != model.sha256:
            raise ProvisionError(
                f"model {model.file} failed verification (got {size} bytes, sha256 "
                f"{digest[:16]}..., expected {model.size} bytes, {model.sha256[:16]}...); "
                "nothing was installed: tell the cloud operator",
                exit_codes.MODELS,
            )
        os.replace(temp, target)
        fsync_dir(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _stream_to(client: httpx.Client, model: RemoteModel, temp: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with client.stream("GET", f"/v1/models/{model.file}") as response:
            if response.status_code != 200:
                kind = exit_codes.CLOUD if response.status_code >= 500 else exit_codes.MODELS
                raise ProvisionError(f"downloading {model.file}: {response.status_code}", kind)
            with temp.open("wb") as handle:
                for chunk in response.iter_bytes(_CHUNK):
                    size += len(chunk)
                    if size > model.size:
                        break  # longer than listed: refused below, no need to read on
                    digest.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
    except httpx.TransportError as exc:
        raise ProvisionError(
            f"the download of {model.file} broke off after {size // 1024} KB "
            f"({exc or type(exc).__name__}); run again to finish",
            exit_codes.CLOUD,
        ) from None
    return digest.hexdigest(), size
