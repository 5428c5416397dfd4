"""Parsing configured camera sources, and finding an image sequence's first frame."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.camera.source import (
    CameraError,
    CameraOpenError,
    OpenCvSource,
    SourceKind,
    first_image_of,
    mask_url_credentials,
    parse_source,
)


@pytest.mark.parametrize(
    ("configured", "kind", "index"),
    [
        (0, SourceKind.DEVICE, 0),
        ("0", SourceKind.DEVICE, 0),
        (" 2 ", SourceKind.DEVICE, 2),
        ("/dev/video4", SourceKind.DEVICE, 4),
        ("rtsp://cam.local:554/stream1", SourceKind.STREAM, None),
        ("HTTP://10.0.0.9/mjpg/video.mjpg", SourceKind.STREAM, None),
        ("clips/checkout.avi", SourceKind.FILE, None),
        ("frames/%04d.jpg", SourceKind.IMAGES, None),
        ("frames/img_%d.png", SourceKind.IMAGES, None),
        ("frames/", SourceKind.IMAGES, None),
    ],
)
def test_source_kind_is_told_from_its_shape(
    configured: str | int, kind: SourceKind, index: int | None
) -> None:
    spec = parse_source(configured)
    assert (spec.kind, spec.index) == (kind, index)


def test_an_existing_folder_is_an_image_sequence(tmp_path: Path) -> None:
    assert parse_source(tmp_path).kind is SourceKind.IMAGES
    assert parse_source(str(tmp_path)).kind is SourceKind.IMAGES


@pytest.mark.parametrize("configured", ["", "   ", -1, True])
def test_empty_or_negative_source_is_refused(configured: str | int) -> None:
    with pytest.raises(CameraError):
        parse_source(configured)


def test_live_and_file_sources() -> None:
    assert parse_source(0).is_live and parse_source("rtsp://x/y").is_live
    assert not parse_source("a.avi").is_live and not parse_source("f/%03d.png").is_live


def test_stream_credentials_never_reach_the_display_name() -> None:
    spec = parse_source("rtsp://admin:s3cret@10.0.0.5:554/s1")
    assert spec.display_name == "rtsp://***@10.0.0.5:554/s1"
    assert "s3cret" not in OpenCvSource(spec).name
    assert mask_url_credentials("rtsp://10.0.0.5/s1") == "rtsp://10.0.0.5/s1"


def test_first_image_of_a_pattern_or_folder(tmp_path: Path) -> None:
    for name in ("frame_0012.jpg", "frame_0010.jpg", "frame_0011.jpg", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    assert first_image_of(str(tmp_path / "frame_%04d.jpg")) == tmp_path / "frame_0010.jpg"
    assert first_image_of(str(tmp_path)) == tmp_path / "frame_0010.jpg"
    assert first_image_of(str(tmp_path / "other_%04d.jpg")) is None
    assert first_image_of(str(tmp_path / "missing" / "%04d.jpg")) is None


def test_opening_a_missing_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "gone.avi"
    with pytest.raises(CameraOpenError, match=r"gone\.avi: the file does not exist"):
        OpenCvSource(parse_source(missing)).open()


def test_opening_an_empty_image_folder_says_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(CameraOpenError, match="no numbered images"):
        OpenCvSource(parse_source(tmp_path)).open()


def test_opening_a_file_that_is_not_a_video_says_so(tmp_path: Path) -> None:
    junk = tmp_path / "junk.avi"
    junk.write_bytes(b"not a video at all" * 100)
    with pytest.raises(CameraOpenError, match="not a video OpenCV can decode"):
        OpenCvSource(parse_source(junk)).open()
