"""Start-up recovery of refunds: what a crash or power cut left of them.

A refund is on disk whole or not at all (``storage/refunds.py``: the refund, its number
and its outbox entry in one transaction), so what is left is a PENDING refund: one whose
payments all have their answer is ended here (DONE or FAILED); one still waiting for the
cloud is made sure to be in the outbox and, given ``payments`` (on the cloud thread),
carried out at once, else the outbox sends it when the cloud is there. Each is reported
and logged; none is dropped.

What must not live here: talking to the cloud (``payments/refunds.py``), SQL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from terminal.domain.refund import RefundState
from terminal.payments.refunds import RefundPayments
from terminal.storage.refunds import RefundRepository
from terminal.sync.client import CloudError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RecoveredRefund:
    refund_no: str
    state: RefundState
    pending_cents: int
    owed_cents: int


def recover_refunds(
    db: Database, now: datetime, payments: RefundPayments | None = None
) -> list[RecoveredRefund]:
    """Finish or report every PENDING refund, as the module docstring says."""
    repository = RefundRepository(db)
    report = []
    for waiting in repository.pending():
        refund = repository.finish_if_settled(waiting.refund_no, now)
        repository.ensure_queued(refund.refund_no, now)
        if not refund.is_final and payments is not None:
            try:
                refund = payments.carry_out(refund.refund_no)
            except CloudError as exc:
                log.warning(
                    "refund still waits", extra={"refund_no": refund.refund_no, "error": str(exc)}
                )
                refund = repository.load(refund.refund_no)
        item = RecoveredRefund(refund.refund_no, refund.state, refund.pending_cents,
                               refund.owed_cents)  # fmt: skip
        log.warning(
            "recovered unfinished refund",
            extra={"refund_no": item.refund_no, "state": str(item.state),
                   "pending_cents": item.pending_cents},
        )  # fmt: skip
        report.append(item)
    return report
