"""Camera discovery over a fake /dev and sysfs: never opens a capture, never fails."""

from __future__ import annotations

from pathlib import Path

from drivers.camera.discovery import (
    CAPABILITY_STRUCT,
    V4L2_CAP_DEVICE_CAPS,
    V4L2_CAP_VIDEO_CAPTURE,
    list_cameras,
    parse_capability,
)


def capability(card: str, device_caps: int) -> bytes:
    caps = V4L2_CAP_DEVICE_CAPS | V4L2_CAP_VIDEO_CAPTURE
    return CAPABILITY_STRUCT.pack(
        b"uvcvideo", card.encode(), b"usb-0000:00:14.0-1", 0, caps, device_caps
    )


def test_capture_node_and_metadata_node_are_told_apart() -> None:
    capture = parse_capability(capability("HD Webcam", V4L2_CAP_VIDEO_CAPTURE))
    metadata = parse_capability(capability("HD Webcam", 0x00800000))  # V4L2_CAP_META_CAPTURE
    assert (capture.driver, capture.card, capture.captures) == ("uvcvideo", "HD Webcam", True)
    assert metadata.captures is False


def test_nodes_are_listed_in_index_order_with_their_sysfs_names(tmp_path: Path) -> None:
    dev, sysfs = tmp_path / "dev", tmp_path / "sys"
    dev.mkdir()
    for index, name in ((10, "Face camera"), (2, "Barcode camera")):
        (dev / f"video{index}").write_bytes(b"")  # not a device: the query fails quietly
        (sysfs / f"video{index}").mkdir(parents=True)
        (sysfs / f"video{index}" / "name").write_text(name + "\n")
    (dev / "videodev").write_bytes(b"")
    (dev / "ttyUSB0").write_bytes(b"")
    cameras = list_cameras(dev, sysfs)
    assert [(c.device, c.index, c.name, c.captures) for c in cameras] == [
        (str(dev / "video2"), 2, "Barcode camera", None),
        (str(dev / "video10"), 10, "Face camera", None),
    ]


def test_no_cameras_is_an_empty_list(tmp_path: Path) -> None:
    assert list_cameras(tmp_path / "no-dev", tmp_path / "no-sys") == []
    assert list_cameras(tmp_path, tmp_path) == []
