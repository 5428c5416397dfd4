"""The whole terminal on both screens (Qt offscreen): the numbers a cashier and a customer feel.

Run: .venv/bin/python -m tests.bench.bench_terminal [--scans 60] [--greetings 5] [--stall-s 10]

Everything is real but simulated hardware: the reference cloud on loopback (``DemoRig``),
a serial scanner on a pty read by ``ScannerReader``, the camera playing a video of a
customer through OpenCV, the face models. With ../shared/models the anti-spoofing models
run and the customer is a shared photo whose frames pass them; without, the demo's
astronaut with the simulated camera's liveness.

Prints:
- cold start to ready: process start (this script's first line) to both windows shown,
  the store open and recovered, the models loaded, the gallery loaded and the first
  frame through the face pipeline; the demo set-up (cloud, video) is timed apart;
- scan to cart on screen: a code written to the pty until the customer window shows the
  new line (p50/p99 over ``--scans`` scans of different items);
- face present to greeting: the camera frame where the customer first appears (after an
  empty lead-in) until the customer screen shows the greeting, over ``--greetings`` sales;
- UI stall: gaps of the GUI thread's event loop (a 5 ms timer) while the face worker runs
  flat out on an unpaced video (p50/p99/max), with the worker's fps.
"""

from __future__ import annotations

import time

PROCESS_START = time.perf_counter()

import argparse  # noqa: E402  (the cold start counts the imports)
import os  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=100)
    parser.add_argument("--greetings", type=int, default=5)
    parser.add_argument("--stall-s", type=float, default=10.0)
    args = parser.parse_args()

    from drivers.scanner import PtyScannerSimulator, ScannerReader, ScannerSettings
    from terminal.app.catalog_files import DEMO_CATALOG, read_catalog
    from terminal.app.customer_panel import Stage
    from terminal.config import DemoSection, FaceSection, Settings
    from terminal.demo.rig import DemoRig
    from terminal.demo.screenshots import SIZE
    from terminal.face.worker import FaceEvent
    from terminal.ui.app import FrontEnd, application
    from terminal.ui.strings import Language
    from tests.support.event_loop import loop_gaps_ms
    from tests.support.shared_data import SHARED

    imported = time.perf_counter()
    models = SHARED / "models"
    real = models.is_dir()
    settings = Settings(
        models_dir=models if real else None,
        face=FaceSection(liveness="models" if real else "simulated"),
        # Staged frames of this photo pass the anti-spoofing models (min 0.97).
        demo=DemoSection(photos=SHARED / "faces" / "identities" / "barack_obama" if real else None),
    )
    app = application()

    def wait(predicate: Callable[[], bool], timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            app.processEvents()
            if predicate():
                return
            time.sleep(0.0005)
        raise TimeoutError("a benchmark step did not happen in time")

    with tempfile.TemporaryDirectory(prefix="bench-terminal-") as tmp:
        rig_started = time.perf_counter()
        rig = DemoRig(settings, Path(tmp) / "till.db", folder=Path(tmp) / "rig")
        rig_s = time.perf_counter() - rig_started
        simulator = PtyScannerSimulator(Path(tmp) / "scanner")
        simulator.plug()
        try:
            # -- cold start ---------------------------------------------------------------
            start = time.perf_counter()
            reader = ScannerReader(ScannerSettings(port=str(simulator.link)))
            front = FrontEnd(rig.parts(scanner=reader, language=Language.EN))
            front.start(show=False)
            for window in (front.cashier, front.customer):
                window.resize(*SIZE)
                window.show()
            assert front.parts.face is not None
            worker = front.parts.face.worker
            wait(lambda: front.face.gallery is not None and worker.frames > 0
                 and front.till.busy == 0)  # fmt: skip
            ready = time.perf_counter()
            print(f"liveness: {rig.liveness}; customer photo: {rig.photo.name}")
            imports_ms = (imported - PROCESS_START) * 1000
            front_ms = (ready - start) * 1000
            print(
                f"cold start to ready (a device: imports + models + both windows, store "
                f"recovered, gallery loaded, first frame through the pipeline): "
                f"{imports_ms + rig.models_s * 1000 + front_ms:.0f} ms (imports "
                f"{imports_ms:.0f}, models {rig.models_s * 1000:.0f}, front end "
                f"{front_ms:.0f}); the demo's own set-up (local cloud, registration, member "
                f"template, video) {(rig_s - rig.models_s) * 1000:.0f} ms more"
            )
            wait(lambda: reader.status.state == "connected")

            # -- scan to cart on screen ------------------------------------------------------
            # Every item of the demo catalog sold by the piece, each scanned once: a code
            # read twice within the scanner's duplicate window would be suppressed.
            codes = [item.sku[1:] for item in read_catalog(DEMO_CATALOG)
                     if item.unit == "each" and item.sku.startswith("0")]  # fmt: skip
            latencies: list[float] = []
            for index in range(args.scans):
                shown = front.customer.view
                lines = len(shown.lines) if shown.in_progress else 0  # a new sale after 20
                sent = time.perf_counter()
                simulator.send_scan(codes[index % len(codes)])
                wait(lambda n=lines: len(front.customer.view.lines) == n + 1)  # type: ignore[misc]
                latencies.append((time.perf_counter() - sent) * 1000)
                if len(front.customer.view.lines) >= 20:
                    front.cashier.actions_by_id["cancel"].trigger()
                    front.cashier.actions_by_id["cancel"].trigger()  # F8 twice: confirmed
                    wait(lambda: not front.customer.view.in_progress)
            print(
                f"scan to cart on screen ({len(latencies)} scans): p50 "
                f"{statistics.median(latencies):.1f} ms, p99 {pct(latencies, 99):.1f} ms, "
                f"max {max(latencies):.1f} ms"
            )
            front.cashier.actions_by_id["cancel"].trigger()
            front.cashier.actions_by_id["cancel"].trigger()  # F8 twice: confirmed
            wait(lambda: not front.customer.view.in_progress)

            # -- face present to greeting -----------------------------------------------------
            first_face: list[float] = []
            empty: list[bool] = [False]

            def watch(event: FaceEvent) -> None:
                if event.primary is None:
                    empty[0] = True
                    first_face.clear()
                elif empty[0] and not first_face:
                    first_face.append(event.frame_time)

            worker.on_event(watch)
            greetings: list[float] = []
            for index in range(args.greetings):
                empty[0] = False
                first_face.clear()
                wait(lambda: empty[0], 60)  # the video's empty lead-in: nobody there
                front.cashier.scan_field.setText(codes[index % len(codes)])
                front.cashier.submit_entry()
                wait(lambda: front.face.panel.stage is Stage.GREETING, 60)
                greeted = time.monotonic()
                greetings.append((greeted - first_face[0]) * 1000)
                front.cashier.actions_by_id["cancel"].trigger()
                front.cashier.actions_by_id["cancel"].trigger()  # F8 twice: confirmed
                wait(lambda: not front.customer.view.in_progress)
            print(
                f"face present to greeting ({len(greetings)} customers): p50 "
                f"{statistics.median(greetings):.0f} ms, max {max(greetings):.0f} ms"
            )
            front.shutdown()

            # -- UI stall while the face worker runs flat out ------------------------------
            # Unpaced: the video gives a new frame whenever asked, so the worker never waits.
            front = FrontEnd(rig.parts(language=Language.EN, pace=False))
            front.start(show=False)
            for window in (front.cashier, front.customer):
                window.resize(*SIZE)
                window.show()
            front.cashier.scan_field.setText(codes[0])
            front.cashier.submit_entry()
            assert front.parts.face is not None
            worker = front.parts.face.worker
            wait(lambda: worker.frames >= 5)
            frames_before = worker.frames
            gaps = loop_gaps_ms(args.stall_s)
            fps = (worker.frames - frames_before) / args.stall_s
            print(
                f"UI event loop gaps with the face worker flat out ({fps:.1f} face fps, "
                f"{len(gaps)} beats of 5 ms): p50 {statistics.median(gaps):.1f} ms, "
                f"p99 {pct(gaps, 99):.1f} ms, max {max(gaps):.1f} ms"
            )
            front.shutdown()
        finally:
            simulator.close()
            rig.close()


if __name__ == "__main__":
    main()
