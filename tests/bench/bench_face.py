"""Face pipeline benchmark on this machine.

Run: .venv/bin/python -m tests.bench.bench_face [--frames 120] [--sizes 10000,100000,1000000]

Prints:
- per stage and whole-pipeline ms (p50, p99) on 640x480 frames (shared photos, letterboxed),
  with the till's settings (detection at 320 px long side) and at 640;
- worker fps on a 30 fps fake camera;
- time from a face appearing in a 15 fps video (made with video_from_photos) to the
  payment decision, over several runs;
- 1:N search at each gallery size (random unit vectors): p50/p99 ms and memory; exact
  up to 100k, HNSW (hnswlib) from 200k, with the exact scan at 1M for reference.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from drivers.camera import FakeCamera, FramePump, letterbox, source_for, video_from_photos
from terminal.face.decide import Outcome
from terminal.face.embed import Embedding
from terminal.face.enroll import enroll
from terminal.face.evaluation import percentile, read_image
from terminal.face.gallery import Gallery
from terminal.face.models import ModelLocator
from terminal.face.pipeline import FaceModels, FacePipeline, FaceSession
from terminal.face.worker import FaceEvent, FaceWorker
from tests.support.shared_data import SHARED

FACES = SHARED / "faces"
MODELS = SHARED / "models"


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def frames_640() -> list[np.ndarray]:
    photos = sorted((FACES / "identities").glob("*/*.jpg"))
    frames = []
    for path in photos:
        image = read_image(path, print)
        if image is not None:
            frames.append(letterbox(image, (640, 480)))
    return frames


def live_frame(models: FaceModels) -> np.ndarray:
    portrait = read_image(FACES / "spoof" / "live" / "silentface_image_T1.jpg", print)
    assert portrait is not None
    face = FacePipeline(models).analyse(portrait).primary.face
    assert face is not None
    top = int(min(max(0, face.center[1] - 180), portrait.shape[0] - 360))
    return np.asarray(cv2.resize(portrait[top : top + 360], (640, 480)), dtype=np.uint8)


def random_gallery(size: int, model: str, rng: np.random.Generator) -> Gallery:
    gallery = Gallery(model, capacity=size + 16)
    chunk = 100_000
    for start in range(0, size, chunk):
        n = min(chunk, size - start)
        v = rng.standard_normal((n, 128)).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        gallery.add_many((f"m{start + i}" for i in range(n)), v, model=model)
    return gallery


def bench_stages(models: FaceModels, frames: list[np.ndarray], label: str) -> None:
    gallery = random_gallery(10_000, models.model_name, np.random.default_rng(0))
    pipeline = FacePipeline(models, gallery)
    for frame in frames[:5]:
        pipeline.analyse(frame, enforce_quality=False)
    timings: dict[str, list[float]] = {}
    for frame in frames:
        analysis = pipeline.analyse(frame, enforce_quality=False)
        for stage, ms in analysis.timings_ms.items():
            timings.setdefault(stage, []).append(ms)
    print(f"stages on {len(frames)} 640x480 frames, {label}, 10k gallery (ms p50 / p99):")
    for stage in ("detect", "quality", "liveness", "align", "embed", "search", "total"):
        values = timings.get(stage, [])
        if values:
            name = "whole pipeline" if stage == "total" else stage
            print(f"  {name:<15} {percentile(values, 50):6.2f} / {percentile(values, 99):6.2f}")


def bench_worker_fps(models: FaceModels, frame: np.ndarray, seconds: float) -> None:
    gallery = random_gallery(10_000, models.model_name, np.random.default_rng(1))
    session = FaceSession(FacePipeline(models, gallery))
    with FramePump(FakeCamera([frame], fps=30.0)) as pump:
        worker = FaceWorker(pump, session)
        worker.start()
        time.sleep(1.0)
        start_frames, start = worker.frames, time.monotonic()
        time.sleep(seconds)
        fps = (worker.frames - start_frames) / (time.monotonic() - start)
        worker.stop()
        stats = pump.stats()
    print(f"worker on a 30 fps camera: {fps:.1f} frames/s processed (camera {stats.fps:.1f} fps)")


def bench_time_to_decision(models: FaceModels, frame: np.ndarray, runs: int) -> None:
    gallery = random_gallery(10_000, models.model_name, np.random.default_rng(2))
    template = enroll(FacePipeline(models), [np.roll(frame, s, axis=1) for s in (4, -4, 8)])
    gallery.add("customer", template)
    fps = 15.0
    with tempfile.TemporaryDirectory() as tmp:
        live = Path(tmp) / "live.png"
        cv2.imwrite(str(live), frame)
        blank = FACES / "nonfaces" / "faceapi_white.png"
        video = video_from_photos([blank, live], Path(tmp) / "v.avi", fps=fps, seconds_per_photo=2)
        first_face_seq = int(fps * 2) + 1
        delays: list[float] = []
        outcomes: list[str] = []
        for _ in range(runs):
            session = FaceSession(FacePipeline(models, gallery))
            events: list[FaceEvent] = []
            with FramePump(source_for(video), loop=False) as pump:
                worker = FaceWorker(pump, session)
                worker.on_event(events.append)
                start = time.monotonic()
                worker.start()
                while time.monotonic() - start < 6 and not any(
                    e.decision.outcome is Outcome.PAY for e in events
                ):
                    time.sleep(0.02)
                worker.stop()
            paid = [e for e in events if e.decision.outcome is Outcome.PAY]
            if not paid:
                outcomes.append(str(events[-1].decision.outcome) if events else "none")
                continue
            event = paid[0]
            # The face's first frame was grabbed (seq - first) frame periods before this one.
            appeared = event.frame_time - (event.seq - first_face_seq) / fps
            decided_at = event.frame_time + event.timings_ms.get("total", 0.0) / 1000
            delays.append(decided_at - appeared)
            outcomes.append("pay")
    print(
        f"face appears -> payment decision ({runs} runs, 15 fps video, 10k gallery):"
        f" p50 {percentile(delays, 50) * 1000:.0f} ms, max {max(delays, default=0) * 1000:.0f} ms;"
        f" outcomes {outcomes}"
    )


def bench_search(sizes: list[int], queries: int) -> None:
    rng = np.random.default_rng(3)
    model = "sface_2021dec"
    for size in sizes:
        before = rss_mb()
        start = time.monotonic()
        gallery = random_gallery(size, model, rng)
        built = time.monotonic() - start
        ann = ""
        if size >= gallery.ann_min_size:
            start = time.monotonic()
            if gallery.build_ann():
                ann = f", HNSW built in {time.monotonic() - start:.0f} s"
        memory = rss_mb() - before
        probes = rng.standard_normal((queries, 128)).astype(np.float32)
        probes /= np.linalg.norm(probes, axis=1, keepdims=True)
        times = []
        for probe in probes:
            t0 = time.perf_counter()
            gallery.search(Embedding(probe, model))
            times.append((time.perf_counter() - t0) * 1000)
        kind = "HNSW" if ann else "exact"
        print(
            f"1:N search, {size:>9,} members ({kind}): p50 {percentile(times, 50):6.2f} ms,"
            f" p99 {percentile(times, 99):6.2f} ms; memory +{memory:.0f} MB"
            f" (matrix {size * 128 * 4 / 1e6:.0f} MB){ann}; filled in {built:.1f} s"
        )
        if ann:
            exact = []
            for probe in probes[:20]:
                t0 = time.perf_counter()
                gallery._exact(probe, None, narrowed=False)
                exact.append((time.perf_counter() - t0) * 1000)
            print(f"    exact scan for reference: p50 {percentile(exact, 50):.1f} ms")
        del gallery


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not MODELS.is_dir() or not FACES.is_dir():
        raise SystemExit(f"needs {MODELS} and {FACES}")
    print(f"{os.cpu_count()} CPU(s); models from {MODELS}")
    locator = ModelLocator(models_dir=MODELS, use_packages=False)
    till = FaceModels.load(locator)
    frames = frames_640()
    live = live_frame(till)
    frames = (frames + [live] * 10)[: args.frames]
    bench_stages(till, frames, "till settings (detect at 320 px)")
    bench_stages(FaceModels.load(locator, detect_long_side=640), frames, "detect at 640 px")
    bench_worker_fps(till, live, seconds=4)
    bench_time_to_decision(till, live, args.runs)
    bench_search([int(s) for s in args.sizes.split(",")], args.queries)


if __name__ == "__main__":
    main()
