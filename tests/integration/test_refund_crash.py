"""Power-cut test for refunds: a till process doing refunds (``tests/support/
refund_worker.py``, the real ``ReturnsService`` and ``RefundPayments``) is SIGKILLed at
random moments, again and again.

After every kill: the store passes its integrity check; every refund printed is there
whole (lines, payments adding up to its total, exactly one outbox entry), and no refund
or refund entry exists without the other; refund numbers have no gaps and no repeats; no
order line has given back more pieces, grams or cents than it sold and charged, nor any
order more than was paid; every refund printed SETTLED is done. At the end start-up
recovery with the cloud back finishes every refund still pending. CRASH_SEED replays.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest

from terminal.app.refund_recovery import recover_refunds
from terminal.clock import utc_now
from terminal.domain.refund import RefundState
from terminal.domain.refundable import SoldOrder, sold_order
from terminal.payments.refunds import RefundPayments
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from terminal.storage.refunds import RefundRepository
from tests.support.refund_worker import FakeRefundCloud
from tests.support.refunds import cash_order, mixed_order

ROOT = Path(__file__).resolve().parents[2]
KILLS = 12
ORDERS = 40


def start_worker(db: Path, seed: int) -> tuple[subprocess.Popen[str], list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.refund_worker", str(db), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    printed: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            printed.append(line.strip())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    proc.reader = reader  # type: ignore[attr-defined]
    return proc, printed


def sold_orders(db_path: Path) -> dict[str, SoldOrder]:
    db = open_store(db_path)
    try:
        # A kill while the worker rings up more orders leaves one open: never refunded.
        paid = (sold_order(order) for order in OrderRepository(db).iter_orders())
        return {order.order_no: order for order in paid if order is not None}
    finally:
        db.close()


def check_store(db: Path, printed: set[str], settled: set[str]) -> None:
    sold_by_no = sold_orders(db)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        refunds = {row[0]: row for row in conn.execute(
            "SELECT refund_no, order_no, state, total_cents, business_date, seq"
            " FROM refunds")}  # fmt: skip
        entries = dict(conn.execute(
            "SELECT aggregate_id, COUNT(*) FROM outbox WHERE aggregate_type = 'refund'"
            " GROUP BY aggregate_id"))  # fmt: skip
        assert set(entries) == set(refunds), "a refund without its entry, or the reverse"
        assert set(entries.values()) <= {1}
        assert printed <= set(refunds), f"printed but lost: {printed - set(refunds)}"
        seqs: dict[str, list[int]] = defaultdict(list)
        given: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
        order_totals: dict[str, int] = defaultdict(int)
        for refund_no, order_no, state, total, day, seq in refunds.values():
            seqs[day].append(seq)
            lines = conn.execute(
                "SELECT line_no, quantity, weight_grams, amount_cents FROM refund_lines"
                " WHERE refund_no = ?", [refund_no]).fetchall()  # fmt: skip
            paid = conn.execute(
                "SELECT COALESCE(SUM(amount_cents), 0) FROM refund_payments WHERE refund_no = ?",
                [refund_no]).fetchone()[0]  # fmt: skip
            assert lines and sum(line[3] for line in lines) == total == paid, refund_no
            for line_no, quantity, grams, cents in lines:
                given[(order_no, line_no)][0] += grams if grams is not None else quantity
                given[(order_no, line_no)][1] += cents
            order_totals[order_no] += total
            if refund_no in settled:
                assert state == "done", f"{refund_no} printed SETTLED but is {state}"
        for numbers in seqs.values():
            assert sorted(numbers) == list(range(1, len(numbers) + 1)), "gaps or repeats"
        for (order_no, line_no), (measure, cents) in given.items():
            line = sold_by_no[order_no].line(line_no)
            assert line is not None and measure <= line.sold and cents <= line.paid_cents
        for order_no, total in order_totals.items():
            assert total <= sold_by_no[order_no].paid_cents
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_mid_refund_never_loses_doubles_or_overpays_a_refund(tmp_path: Path) -> None:
    seed = int(os.environ.get("CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    db_path = tmp_path / "till.db"
    db = open_store(db_path)
    orders = OrderRepository(db)
    for index in range(ORDERS):
        (mixed_order if index % 2 else cash_order)(orders, "T01")
    db.close()

    printed: set[str] = set()
    settled: set[str] = set()
    kills_mid_run = 0
    for _round in range(KILLS):
        proc, lines = start_worker(db_path, rng.randrange(1 << 30))
        # Start-up (imports, migrations) takes about half a second: a third of the kills
        # land in it, the rest among refunds (about a hundred a second).
        time.sleep(
            rng.choice([rng.uniform(0.05, 0.6), rng.uniform(0.6, 2.0), rng.uniform(0.6, 2.0)])
        )
        if proc.poll() is None:
            kills_mid_run += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.reader.join(timeout=10)  # type: ignore[attr-defined]
        for line in lines:
            word, refund_no = line.split()
            assert word in ("REFUND", "SETTLED"), line
            if word == "REFUND":
                assert refund_no not in printed, f"{refund_no} twice (seed {seed})"
                printed.add(refund_no)
            else:
                settled.add(refund_no)
        check_store(db_path, printed, settled)

    # Start-up with the cloud back: recovery finishes every refund still waiting.
    db = open_store(db_path)
    try:
        payments = RefundPayments(db, FakeRefundCloud().as_client(), utc_now, retry_pause_s=0)
        for _attempt in range(5):  # a SYSTEMERROR leaves one for the next start
            recover_refunds(db, utc_now(), payments)
        repository = RefundRepository(db)
        assert repository.pending() == []
        # Committed refunds include one a kill cut off before it was printed.
        assert repository.count(RefundState.DONE) == repository.count() >= len(printed)
    finally:
        db.close()
    check_store(db_path, printed, settled)
    assert kills_mid_run >= KILLS // 2, f"only {kills_mid_run} kills hit a running till ({seed})"
    assert len(printed) > 100, f"too few refunds to mean anything (seed {seed})"
