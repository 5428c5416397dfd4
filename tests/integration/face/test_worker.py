"""The worker on a camera video: a member is recognised within the time budget, a printed
photo is refused and never paid; enrollment from frames."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera import FramePump, source_for, video_from_photos
from terminal.face.decide import Outcome
from terminal.face.enroll import enroll
from terminal.face.errors import EnrollmentRefused
from terminal.face.gallery import Gallery
from terminal.face.pipeline import FaceModels, FacePipeline, FaceSession
from terminal.face.worker import FaceEvent, FaceWorker
from tests.support.face_photos import embed_photo, photo

DECIDED = {Outcome.PAY, Outcome.ASK_LAST4, Outcome.SPOOF}


def enrolled_gallery(models: FaceModels, faces: Path) -> Gallery:
    gallery = Gallery(models.model_name)
    for person in sorted((faces / "identities").iterdir()):
        gallery.add(person.name, embed_photo(models, sorted(person.glob("*.jpg"))[0]))
    return gallery


def run_video(models: FaceModels, gallery: Gallery, video: Path, seconds: float) -> list[FaceEvent]:
    events: list[FaceEvent] = []
    session = FaceSession(FacePipeline(models, gallery))
    with FramePump(source_for(video), loop=False) as pump:
        worker = FaceWorker(pump, session)
        worker.on_event(events.append)
        worker.start()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not any(
            e.decision.outcome in DECIDED for e in events
        ):
            time.sleep(0.05)
        worker.stop()
    return events


def test_member_recognised_soon_after_the_face_appears(
    face_models: FaceModels, faces_dir: Path, tmp_path: Path
) -> None:
    # A genuine 640x480 capture (the Silent-Face live sample): a letterboxed press photo
    # has black bars around it, which the anti-spoofing nets rightly take for a screen.
    # It is portrait: crop it to 4:3 so the video shows it without bars.
    portrait = photo(faces_dir / "spoof" / "live" / "silentface_image_T1.jpg")
    face = FacePipeline(face_models).analyse(portrait).primary.face
    assert face is not None
    top = int(min(max(0, face.center[1] - 180), portrait.shape[0] - 360))
    frame = np.ascontiguousarray(portrait[top : top + 360])
    live = tmp_path / "live.png"
    cv2.imwrite(str(live), frame)
    gallery = enrolled_gallery(face_models, faces_dir)
    template = enroll(FacePipeline(face_models), [np.roll(frame, s, axis=1) for s in (4, -4, 8)])
    gallery.add("customer", template, last4="4321")
    video = video_from_photos(
        [faces_dir / "nonfaces" / "faceapi_white.png", live],
        tmp_path / "customer.avi",
        fps=15,
        seconds_per_photo=1.5,
    )
    events = run_video(face_models, gallery, video, seconds=6)
    decided = [e for e in events if e.decision.outcome in DECIDED]
    assert decided, [e.decision for e in events]
    first = decided[0]
    assert first.decision.outcome is Outcome.PAY
    assert first.decision.member_id == "customer"
    assert first.face_since is not None
    assert first.frame_time - first.face_since < 0.6 + 0.2  # budget + one slow frame
    assert all(e.primary is None for e in events if e.seq < 15)


def test_printed_photo_is_refused_and_never_paid(
    face_models: FaceModels, faces_dir: Path, tmp_path: Path
) -> None:
    gallery = Gallery(face_models.model_name)
    printed = faces_dir / "spoof" / "print" / "silentface_image_F1.jpg"
    # The attacker's victim is enrolled: the face itself would match.
    gallery.add("victim", embed_photo(face_models, printed))
    video = video_from_photos([printed], tmp_path / "print.avi", fps=15, seconds_per_photo=2)
    events = run_video(face_models, gallery, video, seconds=5)
    outcomes = {e.decision.outcome for e in events}
    assert Outcome.SPOOF in outcomes
    assert Outcome.PAY not in outcomes and Outcome.ASK_LAST4 not in outcomes


def test_enrollment_from_frames_and_refusals(face_models: FaceModels, faces_dir: Path) -> None:
    live = photo(faces_dir / "spoof" / "live" / "silentface_image_T1.jpg")
    frames = [np.roll(live, shift, axis=1) for shift in (0, 3, -3, 6, -6)]
    pipeline = FacePipeline(face_models)
    template = enroll(pipeline, frames)
    assert template.model == face_models.model_name
    assert float(np.linalg.norm(template.vector)) == pytest.approx(1.0, abs=1e-5)
    single = pipeline.analyse(live).embedding
    assert single is not None and float(single.vector @ template.vector) > 0.9

    blank = [np.full((480, 640, 3), 255, np.uint8)] * 5
    with pytest.raises(EnrollmentRefused) as caught:
        enroll(pipeline, blank)
    assert caught.value.code == "no_face"
    replayed = photo(faces_dir / "spoof" / "replay" / "silentface_image_F2.jpg")
    with pytest.raises(EnrollmentRefused) as caught:
        enroll(pipeline, [replayed] * 5)
    assert caught.value.code == "liveness"
