"""Alignment: a face warped by its 5 landmarks onto the 112x112 ArcFace template.

A similarity transform (rotation, uniform scale, shift; no shear, no mirror) is fitted by
least squares (Umeyama) - closed-form and deterministic, unlike a RANSAC fit, and with
five points there is nothing to reject. The embedder was trained on crops made this way.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from terminal.face.detect import Image

SIZE = 112
# insightface's arcface_dst: right eye, left eye, nose, right and left mouth corner, in
# the same order as YuNet's landmarks.
ARCFACE_TEMPLATE = np.array(
    [
        [38.2946, 51.6963],
        [73.5318, 51.5014],
        [56.0252, 71.7366],
        [41.5493, 92.3655],
        [70.7299, 92.2041],
    ],
    dtype=np.float64,
)


def similarity_transform(
    source: npt.NDArray[np.floating], target: npt.NDArray[np.floating]
) -> npt.NDArray[np.float64]:
    """The 2x3 similarity matrix that best maps ``source`` points onto ``target`` (Umeyama
    1991, without reflection)."""
    src = np.asarray(source, dtype=np.float64)
    dst = np.asarray(target, dtype=np.float64)
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    src_c, dst_c = src - src_mean, dst - dst_mean
    covariance = dst_c.T @ src_c / len(src)
    u, singular, vt = np.linalg.svd(covariance)
    d = np.ones(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        d[1] = -1.0
    rotation = u @ np.diag(d) @ vt
    variance = (src_c**2).sum() / len(src)
    scale = float((singular * d).sum() / variance) if variance > 0 else 1.0
    matrix = np.empty((2, 3), dtype=np.float64)
    matrix[:, :2] = scale * rotation
    matrix[:, 2] = dst_mean - scale * rotation @ src_mean
    return matrix


def align(image: Image, landmarks: npt.NDArray[np.floating]) -> Image:
    """The 112x112 BGR face crop for the embedder."""
    matrix = similarity_transform(landmarks, ARCFACE_TEMPLATE)
    warped = cv2.warpAffine(image, matrix, (SIZE, SIZE), flags=cv2.INTER_LINEAR, borderValue=0)
    return np.asarray(warped, dtype=np.uint8)
