"""A till process that does nothing but refunds, for the SIGKILL test
(tests/integration/test_refund_crash.py): ``python -m tests.support.refund_worker DB SEED``.

It refunds random lines of the paid orders already in the store through the real
``ReturnsService`` and prints ``REFUND <refund_no>`` once each is committed; about every
other one it then carries out through ``RefundPayments`` against ``FakeRefundCloud`` (the
network edge: answers as the reference cloud does, a SYSTEMERROR now and then) and prints
``SETTLED <refund_no>``. When every line is refunded it rings up more paid orders, so it
runs until it is killed.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any, cast

from terminal.app.returns import ReturnsService
from terminal.clock import utc_now
from terminal.config import Settings
from terminal.domain.refund import RefundError
from terminal.domain.refund_request import LineRequest
from terminal.payments.refunds import RefundPayments
from terminal.storage.database import open_store
from terminal.storage.orders import OrderRepository
from terminal.sync.client import CloudClient, TransientCloudError
from tests.support.refunds import cash_order, mixed_order


class FakeRefundCloud:
    """The three refund calls of ``CloudClient``, answered as the reference cloud answers
    a till whose requests are all in order; ``rng`` makes a wallet answer SYSTEMERROR."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random(0)
        self.calls: list[tuple[str, str]] = []

    def put_refund(self, refund_no: str, document: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(("put_refund", refund_no))
        return {"refund_no": refund_no, "status": "created", "received_at": "now"}

    def refund_micropay(
        self, out_trade_no: str, *, out_refund_no: str, amount_cents: int
    ) -> dict[str, Any]:
        self.calls.append(("refund_micropay", out_refund_no))
        state = "SYSTEMERROR" if self._rng.random() < 0.2 else "SUCCESS"
        return {"out_trade_no": out_trade_no, "out_refund_no": out_refund_no,
                "refund_state": state, "amount_cents": amount_cents}  # fmt: skip

    def credit_member(self, member_id: str, **body: Any) -> dict[str, Any]:
        self.calls.append(("credit_member", str(body["refund_id"])))
        return {"member_id": member_id, "balance_cents": 0, "repeat": False, **body}

    def as_client(self) -> CloudClient:
        return cast(CloudClient, self)


def run(db_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    db = open_store(db_path)
    returns = ReturnsService(db, Settings(device_id="T01", db_path=db_path), utc_now)
    payments = RefundPayments(db, FakeRefundCloud(rng).as_client(), utc_now, retry_pause_s=0)
    orders = OrderRepository(db)
    order_nos = [order.order_no for order in orders.iter_orders() if order.is_final]
    while True:
        if not order_nos:
            order_nos = [(mixed_order if n % 2 else cash_order)(orders, "T01").order_no
                         for n in range(20)]  # fmt: skip
        order_no = rng.choice(order_nos)
        lines = [line for line in returns.look_up(order_no).lines if line.left]
        if not lines:
            order_nos.remove(order_no)
            continue
        requests = []
        for line in rng.sample(lines, rng.randint(1, len(lines))):
            measure = rng.choice([None, rng.randint(1, line.left)])
            if line.by_weight:
                requests.append(LineRequest(line.line_no, grams=measure))
            else:
                requests.append(LineRequest(line.line_no, quantity=measure))
        try:
            ticket = returns.refund(order_no, requests, reason="crash test", cashier_id="C001")
        except RefundError:
            continue
        print(f"REFUND {ticket.refund_no}", flush=True)
        if ticket.needs_cloud and rng.random() < 0.5:
            try:
                payments.carry_out(ticket.refund_no)
            except TransientCloudError:  # SYSTEMERROR three times: it waits, like offline
                continue
            print(f"SETTLED {ticket.refund_no}", flush=True)


if __name__ == "__main__":
    run(Path(sys.argv[1]), int(sys.argv[2]))
