"""Scanner benchmark: a burst of scans through a real pseudo-terminal into ScannerReader.

Run: .venv/bin/python -m tests.bench.bench_scanner [--rate 50] [--seconds 10]

A sender thread types unique codes (so duplicate suppression cannot hide a loss) at a
steady rate into a ``PtyScannerSimulator``; the reader's listener records when each
arrived. Prints sent / received / lost / duplicated (the goal is 0 and 0) and the p50,
p99 and max latency from the write to the listener call, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from drivers.scanner import (
    ConnectionState,
    PtyScannerSimulator,
    ScanEvent,
    ScannerReader,
    ScannerSettings,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="scans per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the burst")
    args = parser.parse_args()

    count = int(args.rate * args.seconds)
    sent_ns: dict[str, int] = {}
    arrivals: list[tuple[str, int]] = []
    connected = threading.Event()

    def heard(event: ScanEvent) -> None:
        arrivals.append((event.code, time.monotonic_ns()))

    with tempfile.TemporaryDirectory() as folder:
        link = Path(folder) / "scanner"
        with PtyScannerSimulator(link) as simulator:
            reader = ScannerReader(ScannerSettings(str(link), baud=115200))
            reader.on_scan(heard)
            reader.on_status(
                lambda s: connected.set() if s.state == ConnectionState.CONNECTED else None
            )
            with reader:
                if not connected.wait(10):
                    raise SystemExit("the reader never connected to the simulator")
                started = time.monotonic()
                period = 1.0 / args.rate
                for i in range(count):
                    # Absolute schedule, so a late write does not shift every later one.
                    delay = started + i * period - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                    code = f"69{i:011d}"
                    sent_ns[code] = time.monotonic_ns()
                    simulator.send_scan(code, "crlf", aim="]E0")
                deadline = time.monotonic() + 5
                while len(arrivals) < count and time.monotonic() < deadline:
                    time.sleep(0.05)
                elapsed = time.monotonic() - started

    seen = Counter(code for code, _ in arrivals)
    received = len(seen.keys() & sent_ns.keys())
    duplicated = sum(n - 1 for n in seen.values() if n > 1)
    unknown = len(seen.keys() - sent_ns.keys())
    latencies = sorted((at - sent_ns[code]) / 1e6 for code, at in arrivals if code in sent_ns)
    print(f"burst: {count} scans at {args.rate:g}/s over a pty ({elapsed:.1f} s)")
    print(
        f"sent {count}  received {received}  lost {count - received}  "
        f"duplicated {duplicated}  unexpected {unknown}"
    )
    if latencies:
        p50 = statistics.median(latencies)
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(
            f"latency write -> listener: p50 {p50:.2f} ms  p99 {p99:.2f} ms  "
            f"max {latencies[-1]:.2f} ms"
        )


if __name__ == "__main__":
    main()
