"""Camera benchmark: how fresh the pump's frames are, and what a code decode costs.

Run: .venv/bin/python -m tests.bench.bench_camera [--seconds 5] [--decodes 60]

Prints:
- pump latency from frame grabbed to consumer (p50/p99 ms), measured fps and drops, with
  a 30 fps video file (written from the shared test photos) and a waiting consumer;
- the same with a consumer that works 50 ms per frame (face-pipeline-like): age of the
  frame it gets, so you see there is no backlog;
- barcode decode ms per 640x480 frame (p50/p99) with an EAN-13, with a QR, with no code
  (where every call also runs one fallback pass, taking turns: threshold, 2x upscale).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from drivers.camera import FramePump, letterbox, source_for, video_from_photos
from drivers.codes import FrameCodeReader
from tests.support.code_frames import (
    Distortion,
    ean13_image,
    place_in_frame,
    qr_image,
)
from tests.support.shared_data import SHARED


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_pump(video: Path, seconds: float, work_s: float) -> None:
    latencies: list[float] = []
    with FramePump(source_for(video)) as pump:
        first = pump.latest(0, timeout=10.0)
        assert first is not None, "the video did not play"
        seq = first.seq
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            frame = pump.latest(seq, timeout=1.0)
            if frame is None:
                continue
            latencies.append((time.monotonic() - frame.timestamp) * 1000)
            seq = frame.seq
            if work_s:
                time.sleep(work_s)
        stats = pump.stats()
    label = f"consumer working {work_s * 1000:.0f} ms/frame" if work_s else "waiting consumer"
    print(
        f"pump, 30 fps file, {label}: latency p50 {percentile(latencies, 50):.2f} ms, "
        f"p99 {percentile(latencies, 99):.2f} ms; pump {stats.fps:.1f} fps, "
        f"{stats.frames} grabbed, {len(latencies)} consumed, {stats.dropped} dropped"
    )


def bench_decode(name: str, frame: np.ndarray, runs: int) -> None:
    reader = FrameCodeReader(max_rate_hz=None)
    times: list[float] = []
    found = 0
    for _ in range(runs):
        started = time.perf_counter()
        codes = reader.read(frame)
        times.append((time.perf_counter() - started) * 1000)
        found += bool(codes)
    reader.close()
    print(
        f"decode 640x480, {name:<36}: p50 {percentile(times, 50):6.1f} ms, "
        f"p99 {percentile(times, 99):6.1f} ms, mean {statistics.fmean(times):6.1f} ms, "
        f"found in {found}/{runs}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per pump run")
    parser.add_argument("--decodes", type=int, default=60, help="decodes per frame kind")
    args = parser.parse_args()
    print(f"cpus: {os.cpu_count()}")
    photos = sorted((SHARED / "faces" / "identities").glob("*/1.jpg"))[:4]
    with tempfile.TemporaryDirectory() as folder:
        video = video_from_photos(photos, Path(folder) / "bench.avi", fps=30.0)
        bench_pump(video, args.seconds, 0.0)
        bench_pump(video, args.seconds, 0.05)
    tilted = Distortion(angle_deg=12, perspective=0.08, blur_sigma=0.8, noise_sigma=5)
    face = letterbox(cv2.imread(str(photos[0])), (640, 480))
    frames = {
        "EAN-13, tilted, on a face photo": place_in_frame(
            ean13_image("6901234567892"), tilted, backdrop=face
        ),
        "QR 18-digit, tilted, on a face photo": place_in_frame(
            qr_image("134567890123456789"), tilted, backdrop=face
        ),
        "no code: a face photo": face,
        "no code: noisy grey (worst case)": place_in_frame(np.full((1, 1), 200, np.uint8)),
    }
    for name, frame in frames.items():
        bench_decode(name, frame, args.decodes)


if __name__ == "__main__":
    main()
