"""``GET /v1/models`` (what the model store holds) and ``GET /v1/models/{file}``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from deploy.cloud.auth import CurrentDevice
from deploy.cloud.contract import ModelFile, ModelList
from deploy.cloud.errors import ApiError, documented
from deploy.cloud.model_files import ModelFiles

router = APIRouter(tags=["models"])


def _files(request: Request) -> ModelFiles:
    files: ModelFiles = request.app.state.model_files
    return files


@router.get("/models", responses=documented(401))
def list_models(request: Request, _device: CurrentDevice) -> ModelList:
    return ModelList(
        models=[
            ModelFile(name=m.name, file=m.file, sha256=m.sha256, size=m.size)
            for m in _files(request).all()
        ]
    )


@router.get(
    "/models/{file}",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "the model file"},
        **documented(401, 404),
    },
)
def download_model(file: str, request: Request, _device: CurrentDevice) -> FileResponse:
    # Looked up by exact name among the files listed at start: a path never reaches
    # the file system.
    model = _files(request).get(file)
    if model is None:
        raise ApiError(404, "model_unknown", "no such model file; see GET /v1/models")
    return FileResponse(
        model.path,
        media_type="application/octet-stream",
        filename=model.file,
        headers={"X-Content-SHA256": model.sha256},
    )
