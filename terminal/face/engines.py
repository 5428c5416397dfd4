"""The two inference engines and their thread limits.

onnxruntime and OpenCV each start a thread pool as wide as the machine; on a 2-core till
they fight each other and the camera pump. ``configure_threads`` caps OpenCV once per
process; ``ort_session`` makes onnxruntime sessions with one intra-op thread and no
inter-op parallelism (measured: a second thread gains < 1 ms on the detector and costs the
embedder and the camera more). ``opencv_net`` loads a file with OpenCV DNN.

What must not live here: model choice (``models.py``) and pre/post-processing (the stages).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from terminal.face.errors import ModelError

ORT_THREADS = 1
OPENCV_THREADS = 1

_configured = threading.Event()


def configure_threads(opencv_threads: int = OPENCV_THREADS) -> None:
    if not _configured.is_set():
        cv2.setNumThreads(opencv_threads)
        _configured.set()


def ort_session(path: Path, threads: int = ORT_THREADS) -> Any:
    """An onnxruntime CPU session; imported here so OpenCV-only setups need no onnxruntime."""
    configure_threads()
    try:
        import onnxruntime as ort  # type: ignore[import-untyped]  # noqa: PLC0415 - optional
    except ImportError:
        raise ModelError(
            f"{path.name} runs in onnxruntime, which is not installed (pip install onnxruntime)"
        ) from None
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3  # its graph warnings are for model authors, not tills
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
        raise ModelError(f"onnxruntime cannot load {path}: {exc}") from exc


def opencv_net(path: Path) -> cv2.dnn.Net:
    configure_threads()
    try:
        net = cv2.dnn.readNetFromONNX(str(path))
    except cv2.error as exc:
        raise ModelError(f"OpenCV cannot load {path}: {exc}") from exc
    if net.empty():
        raise ModelError(f"OpenCV loaded an empty network from {path}")
    return net


class Runner:
    """One single-input, single-output network, in whichever engine its file runs in.
    Not thread-safe: each pipeline owns its runners and calls them from one thread."""

    def __init__(self, path: Path, engine: str, input_name: str) -> None:
        self.engine = engine
        self.input_name = input_name
        self._net: cv2.dnn.Net | None = None
        self._session: Any = None
        if engine == "onnxruntime":
            self._session = ort_session(path)
        elif engine == "opencv-dnn":
            self._net = opencv_net(path)
        else:
            raise ModelError(f"{path.name}: engine {engine} cannot run a plain network")

    def run(self, blob: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        if self._net is not None:
            self._net.setInput(blob, self.input_name)
            return np.asarray(self._net.forward(), dtype=np.float32)
        (out,) = self._session.run(None, {self.input_name: blob})[:1]
        return np.asarray(out, dtype=np.float32)
