"""``face-eval`` on ../shared/faces: every identity found at rank 1, no stranger accepted
for payment, no face on non-faces, spoofs refused and the live sample accepted."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from terminal.cli import face_eval_cmd
from terminal.config import Settings
from tests.support.shared_data import MODELS


@pytest.fixture(scope="module")
def report(faces_dir: Path) -> dict[str, Any]:
    out = io.StringIO()
    args = argparse.Namespace(folder=faces_dir, json=True, models=MODELS, detect_size=640)
    with contextlib.redirect_stdout(out):
        code = face_eval_cmd.run(args, Settings())
    assert code == 0
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_json_has_the_documented_keys(report: dict[str, Any]) -> None:
    for key in (
        "rank1",
        "false_accepts_membership",
        "false_accepts_payment",
        "unknown_rejected",
        "nonface_faces",
        "spoof_rejected",
        "live_accepted",
        "pipeline_ms_p50",
        "pipeline_ms_p99",
    ):
        assert key in report
    assert isinstance(report["false_accepts_payment"], int)
    assert 0.0 <= report["rank1"] <= 1.0


def test_every_identity_found_at_rank_1(report: dict[str, Any]) -> None:
    assert report["enrolled"] == report["identities"] == 18
    assert report["rank1"] == 1.0, report


def test_no_stranger_accepted_for_payment(report: dict[str, Any]) -> None:
    assert report["false_accepts_payment"] == 0
    assert report["false_accepts_membership"] == 0
    assert report["unknown_rejected"] == report["unknowns"] > 0


def test_no_face_on_nonfaces(report: dict[str, Any]) -> None:
    assert report["nonface_images"] > 0
    assert report["nonface_faces"] == 0


def test_print_and_replay_refused_live_accepted(report: dict[str, Any]) -> None:
    assert report["spoof_samples"] == 2 and report["spoof_rejected"] == 2
    assert report["live_samples"] == 1 and report["live_accepted"] == 1


def test_odd_folders_and_files_are_handled(tmp_path: Path, faces_dir: Path) -> None:
    # Grey, huge and unreadable photos, no optional folders: warnings, not a crash.
    person = tmp_path / "identities" / "someone"
    person.mkdir(parents=True)
    source = cv2.imread(str(faces_dir / "identities" / "scarlett_johansson" / "3.jpg"))
    cv2.imwrite(str(person / "1.jpg"), cv2.resize(source, (3000, 4000)))
    cv2.imwrite(str(person / "2.png"), cv2.cvtColor(source, cv2.COLOR_BGR2GRAY))
    (person / "3.jpg").write_bytes(b"not a jpeg")
    (tmp_path / "nonfaces").mkdir()
    cv2.imwrite(str(tmp_path / "nonfaces" / "black.png"), np.zeros((50, 50), np.uint8))
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(folder=tmp_path, json=True, models=MODELS, detect_size=640)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert face_eval_cmd.run(args, Settings()) == 0
    result = json.loads(out.getvalue())
    assert result["probes"] == 1 and result["rank1"] == 1.0
    assert result["nonface_faces"] == 0 and result["spoof_samples"] == 0
    assert "3.jpg" in err.getvalue()
