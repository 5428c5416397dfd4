"""The frame code reader on camera-like frames: real zbar, real warps, blur and noise."""

from __future__ import annotations

import logging

import cv2
import numpy as np
import pytest

from drivers.camera.fake import letterbox
from drivers.codes import FrameCodeReader
from terminal.domain.codes.scan import ScannedProduct, classify_scan
from terminal.domain.codes.wallet import PaymentCode, mask
from terminal.domain.codes.weighed import WeighedCodeLayout
from tests.support.code_frames import (
    Distortion,
    code128_image,
    ean13_image,
    place_in_frame,
    qr_image,
)
from tests.support.shared_data import SHARED

EAN = "6901234567892"
WECHAT_CODE = "134567890123456789"  # 18 digits, starts 13: shaped like a WeChat Pay code

DISTORTIONS = {
    "flat": Distortion(),
    "rotated": Distortion(angle_deg=20),
    "sideways": Distortion(angle_deg=90, scale=0.8),
    "perspective": Distortion(angle_deg=10, perspective=0.15),
    "blurred_noisy": Distortion(angle_deg=8, blur_sigma=1.2, noise_sigma=6),
    "dim": Distortion(contrast=0.35, blur_sigma=1.0, noise_sigma=6, angle_deg=12),
    "everything": Distortion(
        angle_deg=15, perspective=0.12, blur_sigma=1.0, noise_sigma=6, contrast=0.6
    ),
}


def read_until_found(reader: FrameCodeReader, frame: np.ndarray, tries: int = 3) -> list:
    """A code held up to a camera is in many frames; the fallbacks take turns across them."""
    for _ in range(tries):
        codes = reader.read(frame)
        if codes:
            return codes
    return []


@pytest.fixture
def reader() -> FrameCodeReader:
    return FrameCodeReader(max_rate_hz=None)


@pytest.mark.parametrize("name", DISTORTIONS)
def test_ean13_is_read_from_a_distorted_frame(reader: FrameCodeReader, name: str) -> None:
    frame = place_in_frame(ean13_image(EAN), DISTORTIONS[name], seed=3)
    codes = reader.read(frame)
    assert [(c.text, c.symbology, c.aim) for c in codes] == [(EAN, "EAN13", "]E0")]


@pytest.mark.parametrize("name", DISTORTIONS)
def test_payment_qr_is_read_from_a_distorted_frame(reader: FrameCodeReader, name: str) -> None:
    frame = place_in_frame(qr_image(WECHAT_CODE), DISTORTIONS[name], seed=5)
    codes = reader.read(frame)
    assert [(c.text, c.symbology, c.aim) for c in codes] == [(WECHAT_CODE, "QRCODE", "]Q1")]


def test_small_far_codes_are_found_by_the_fallbacks(reader: FrameCodeReader) -> None:
    far = Distortion(scale=0.5, angle_deg=5, blur_sigma=0.8, noise_sigma=5)
    far_blurred = Distortion(scale=0.5, angle_deg=5, blur_sigma=1.0, noise_sigma=5)
    plain_pass_only = FrameCodeReader(max_rate_hz=None, fallbacks=())
    for frame, text in (
        (place_in_frame(ean13_image(EAN), far, seed=7), EAN),
        (place_in_frame(qr_image(WECHAT_CODE, 5), far_blurred, seed=0), WECHAT_CODE),
    ):
        assert plain_pass_only.read(frame) == []
        assert [c.text for c in read_until_found(reader, frame)] == [text]


def test_code_on_a_real_photo_backdrop_is_read_with_its_position(
    reader: FrameCodeReader,
) -> None:
    photo = SHARED / "faces" / "identities" / "barack_obama" / "1.jpg"
    if not photo.is_file():
        pytest.skip(f"needs {photo}")
    backdrop = letterbox(cv2.imread(str(photo)), (640, 480))
    frame = place_in_frame(qr_image(WECHAT_CODE, 4), Distortion(angle_deg=10), backdrop=backdrop)
    [code] = reader.read(frame)
    assert code.text == WECHAT_CODE
    # The QR sits in the middle of the frame, about 29 modules x 4 px = 116 px wide.
    left, top, width, height = code.rect
    assert abs(left + width / 2 - 320) < 20 and abs(top + height / 2 - 240) < 20
    assert 90 < width < 160


def test_symbologies_get_their_aim_identifiers(reader: FrameCodeReader) -> None:
    ean8 = place_in_frame(_bars_from("ean8", "96385074"))
    gs1 = place_in_frame(code128_image("0109501101530003", gs1=True))
    plain128 = place_in_frame(code128_image("SKU-4711"))
    assert [(c.text, c.aim) for c in reader.read(ean8)] == [("96385074", "]E4")]
    assert [(c.text, c.aim) for c in reader.read(gs1)] == [("0109501101530003", "]C1")]
    assert [(c.text, c.aim) for c in reader.read(plain128)] == [("SKU-4711", "]C0")]


def _bars_from(kind: str, data: str) -> np.ndarray:
    import barcode

    modules = barcode.get(kind, data).build()[0]
    row = np.repeat([255] * 10 + [0 if m == "1" else 255 for m in modules] + [255] * 10, 3)
    return np.tile(row.astype(np.uint8), (120, 1))


def test_camera_reads_classify_like_scanner_reads(reader: FrameCodeReader) -> None:
    layout = WeighedCodeLayout()
    [product] = reader.read(place_in_frame(ean13_image(EAN)))
    [payment] = reader.read(place_in_frame(qr_image(WECHAT_CODE)))
    scanned = classify_scan(product.scan_text, layout)
    assert isinstance(scanned, ScannedProduct) and scanned.raw == EAN
    assert isinstance(classify_scan(payment.scan_text, layout), PaymentCode)


def test_payment_code_never_appears_unmasked_in_logs(
    reader: FrameCodeReader, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    [code] = reader.read(place_in_frame(qr_image(WECHAT_CODE), DISTORTIONS["rotated"]))
    assert code.text == WECHAT_CODE
    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert mask(WECHAT_CODE) in logged  # it was logged, masked
    assert WECHAT_CODE not in logged
    assert WECHAT_CODE not in repr(code) and WECHAT_CODE not in repr([code])


def test_frame_without_a_code_gives_nothing(reader: FrameCodeReader) -> None:
    empty = place_in_frame(np.full((100, 100), 255, dtype=np.uint8), seed=9)
    assert [reader.read(empty) for _ in range(3)] == [[], [], []]  # every fallback tried


def test_a_read_within_the_rate_interval_returns_at_once_without_decoding() -> None:
    now = [100.0]
    reader = FrameCodeReader(max_rate_hz=2.0, clock=lambda: now[0])
    frame = place_in_frame(ean13_image(EAN))
    assert [c.text for c in reader.read(frame)] == [EAN]
    now[0] += 0.2
    assert not reader.ready()
    # A frame it would refuse to decode proves the call never looked at it.
    not_an_image = np.zeros((2, 2, 2, 2), dtype=np.uint8)
    assert reader.read(not_an_image) == []
    now[0] += 0.31  # 0.51 s after the first read: past the 0.5 s interval
    assert reader.ready()
    assert [c.text for c in reader.read(frame)] == [EAN]


def test_rate_limit_holds_against_the_real_clock() -> None:
    reader = FrameCodeReader(max_rate_hz=1.0)
    frame = place_in_frame(ean13_image(EAN))
    results = [reader.read(frame) for _ in range(20)]
    assert sum(1 for r in results if r) == 1  # 20 calls well within one second


def test_only_the_chosen_symbologies_are_read() -> None:
    qr_only = FrameCodeReader(max_rate_hz=None, fallbacks=(), symbologies=frozenset({"QRCODE"}))
    assert qr_only.read(place_in_frame(ean13_image(EAN))) == []
    assert [c.text for c in qr_only.read(place_in_frame(qr_image(WECHAT_CODE)))] == [WECHAT_CODE]
    with pytest.raises(ValueError, match="EAN14"):
        FrameCodeReader(symbologies=frozenset({"EAN14"}))
