"""``ReturnsService``: returns and refunds at the till, on the store thread's connection.

The cashier scans the receipt's order number (or types it); the service finds the order
on this till (or takes the document the cloud thread fetched for another till's order of
the same store), lists what each line can still give back after earlier refunds, and
commits a refund (``terminal/domain/refund.py`` decides amounts and tenders) together with
its outbox entry. Cash is given back at once (the till opens the drawer for
``RefundTicket.cash_cents``); money going back to a wallet or a member's balance waits
for the cloud: the till runs ``carry_out_refund`` on its cloud thread, and whatever is
still waiting (offline, no answer) goes out from the outbox later, exactly once.

Also here, for the cloud thread: ``carry_out_refund`` and ``fetch_order_document`` (another
till's order for a return). Start-up recovery of refunds is ``refund_recovery.py``.

What must not live here: refund rules (the domain), SQL (``storage/refunds.py``), cloud
calls themselves (``payments/refunds.py``), threads, Qt, words (reason codes only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from sqlite_utils import Database

from terminal.clock import Clock, business_date
from terminal.config import Settings
from terminal.domain.refund import (
    Refund,
    RefundError,
    RefundKind,
    RefundState,
    order_number_from_receipt,
)
from terminal.domain.refund_request import (
    LineRequest,
    ManagerApproval,
    NoReceiptItem,
    PricedReturn,
    ledger_of,
    new_no_receipt_return,
    new_return,
    price_return,
)
from terminal.domain.refundable import SoldOrder, sold_order, sold_order_from_document
from terminal.errors import Reason, TillError, register_codes
from terminal.payments.refunds import ORDER_NOT_THERE, RefundPayments
from terminal.storage.orders import OrderRepository
from terminal.storage.refunds import RefundRepository
from terminal.sync.client import CloudClient, CloudError, PermanentCloudError

log = logging.getLogger(__name__)


class ReturnRefused(TillError):
    """A return the till cannot take now (the order is not here, the refund is unknown)."""

    CODES: ClassVar[Mapping[str, str]] = {
        "return.refused": "that return cannot be taken now",
        "return.order_unknown": (
            "order {order_no} is not on this till: look it up in the cloud, or take the goods"
            " back without a receipt"
        ),
        "return.order_not_in_cloud": "the cloud has no order {order_no} of this store",
        "return.refund_unknown": "refund {refund_no} is not on this till",
    }
    DEFAULT = "return.refused"


# How a refund's money went back, for the screens (``RefundOutcome.reason``).
REFUND_OUTCOMES: Mapping[str, str] = {
    "refund.done": "refund {refund_no} done: {paid_back_cents} back",
    "refund.waiting": (
        "refund {refund_no}: {pending_cents} goes back when the cloud answers;"
        " the till keeps sending it"
    ),
    "refund.owed": (
        "refund {refund_no}: {owed_cents} could not go back to the wallet or balance"
        " it was paid from: a manager settles it"
    ),
    "refund.cloud_refused": (
        "the cloud refused refund {refund_no} ({why}): nothing more goes back;"
        " a manager looks at it"
    ),
    "refund.order_not_in_cloud": (
        "refund {refund_no} waits until order {order_no} has reached the cloud"
    ),
}
register_codes(REFUND_OUTCOMES)


@dataclass(frozen=True, slots=True)
class ReturnableLine:
    """A line of the order: sold (pieces, or grams when ``by_weight``) and still left."""

    line_no: int
    sku: str
    name_zh: str
    name_en: str
    by_weight: bool
    sold: int
    left: int
    paid_cents: int
    left_cents: int


@dataclass(frozen=True, slots=True)
class ReturnableOrder:
    order_no: str
    member_id: str | None
    on_this_till: bool  # False: another till's order, as the cloud stored it
    lines: tuple[ReturnableLine, ...]
    paid_cents: int
    refunded_cents: int
    refund_nos: tuple[str, ...]  # earlier refunds known here

    @property
    def fully_refunded(self) -> bool:
        return all(line.left == 0 for line in self.lines)


@dataclass(frozen=True, slots=True)
class RefundTicket:
    """A refund as the screens show it: what to hand back now, what waits for the cloud."""

    refund_no: str
    order_no: str | None
    kind: RefundKind
    state: RefundState
    total_cents: int
    cash_cents: int  # hand back from the drawer
    pending_cents: int  # goes back through the cloud (``carry_out_refund``)
    owed_cents: int  # refused for good

    @property
    def needs_cloud(self) -> bool:
        return self.pending_cents > 0

    @classmethod
    def of(cls, refund: Refund) -> RefundTicket:
        return cls(
            refund.refund_no,
            refund.order_no,
            refund.kind,
            refund.state,
            refund.total_cents,
            refund.cash_cents,
            refund.pending_cents,
            refund.owed_cents,
        )


class ReturnsService:
    """On the store thread: look orders up, list what is refundable, commit refunds."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self._orders = OrderRepository(db)
        self._refunds = RefundRepository(db)
        self._settings = settings
        self._clock = clock

    def look_up(self, scanned: str, *, remote: Mapping[str, Any] | None = None) -> ReturnableOrder:
        """The order named by a receipt's code (or its typed number), with what each line
        can still give back. ``remote``: the order document the cloud thread fetched
        (``fetch_order_document``) when the order is not on this till."""
        order_no = order_number_from_receipt(scanned)
        sold, local = self._sold(order_no, remote)
        earlier = self._refunds.for_order(order_no)
        ledger = ledger_of(earlier)
        lines = []
        for line in sold.lines:
            left = ledger.left(line)
            lines.append(
                ReturnableLine(line.line_no, line.sku, line.name_zh, line.name_en,
                               line.by_weight, line.sold, left.measure, line.paid_cents,
                               left.cents)
            )  # fmt: skip
        return ReturnableOrder(
            order_no=order_no,
            member_id=sold.member_id,
            on_this_till=local,
            lines=tuple(lines),
            paid_cents=sold.paid_cents,
            refunded_cents=ledger.total_cents,
            refund_nos=tuple(refund.refund_no for refund in earlier),
        )

    def preview(
        self,
        order_no: str,
        lines: Sequence[LineRequest],
        *,
        exchange: bool = False,
        remote: Mapping[str, Any] | None = None,
    ) -> PricedReturn:
        """What refunding ``lines`` would give back and where to (nothing is recorded):
        for the cashier to read out before the refund is committed."""
        order_no = order_number_from_receipt(order_no)
        sold, _local = self._sold(order_no, remote)
        return price_return(sold, self._refunds.for_order(order_no), lines, exchange=exchange)

    def refund(
        self,
        order_no: str,
        lines: Sequence[LineRequest],
        *,
        reason: str,
        cashier_id: str,
        approval: ManagerApproval | None = None,
        exchange: bool = False,
        remote: Mapping[str, Any] | None = None,
    ) -> RefundTicket:
        """Commit a refund of ``lines`` of the order (an exchange: in cash, for the
        replacement sale, with a manager's approval)."""
        order_no = order_number_from_receipt(order_no)
        sold, _local = self._sold(order_no, remote)
        now = self._clock()

        def build(refund_no: str, earlier: list[Refund]) -> Refund:
            return new_return(
                refund_no=refund_no,
                now=now,
                sold=sold,
                earlier=earlier,
                requests=lines,
                reason=reason,
                cashier_id=cashier_id,
                approval=approval,
                exchange=exchange,
            )

        refund = self._refunds.create(
            self._settings.device_id, self._day(now), now, build, order_no=order_no
        )
        return RefundTicket.of(refund)

    def refund_without_receipt(
        self,
        items: Sequence[NoReceiptItem],
        *,
        reason: str,
        cashier_id: str,
        approval: ManagerApproval | None,
        store_credit_member: str | None = None,
    ) -> RefundTicket:
        """Commit a no-receipt return: cash, or store credit to a member (the till looked
        the items' prices up; a manager approved)."""
        now = self._clock()

        def build(refund_no: str, _earlier: list[Refund]) -> Refund:
            return new_no_receipt_return(
                refund_no=refund_no,
                now=now,
                items=items,
                reason=reason,
                cashier_id=cashier_id,
                approval=approval,
                store_credit_member=store_credit_member,
            )

        refund = self._refunds.create(
            self._settings.device_id, self._day(now), now, build, order_no=None
        )
        return RefundTicket.of(refund)

    def ticket(self, refund_no: str) -> RefundTicket:
        """The refund as it is on disk now (after the cloud thread carried it out)."""
        try:
            return RefundTicket.of(self._refunds.load(refund_no))
        except LookupError:
            raise ReturnRefused("return.refund_unknown", refund_no=refund_no) from None

    def waiting(self) -> list[RefundTicket]:
        """Refunds whose money still waits for the cloud, oldest first."""
        return [RefundTicket.of(refund) for refund in self._refunds.pending()]

    def _sold(self, order_no: str, remote: Mapping[str, Any] | None) -> tuple[SoldOrder, bool]:
        try:
            order = self._orders.load(order_no)
        except LookupError:
            order = None
        if order is not None:
            sold = sold_order(order)
            local = True
        elif remote is not None and remote.get("order_no") == order_no:
            sold = sold_order_from_document(remote)
            local = False
        else:
            raise ReturnRefused("return.order_unknown", order_no=order_no)
        if sold is None:
            raise RefundError("refund.order_not_paid", order_no=order_no)
        return sold, local

    def _day(self, now: datetime) -> date:
        return business_date(now, self._settings.zone)


# -- on the till's cloud thread ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RefundOutcome:
    """How carrying a refund out ended, for the screens."""

    ticket: RefundTicket
    reason: Reason


def carry_out_refund(
    db: Database,
    client: CloudClient,
    clock: Clock,
    refund_no: str,
    *,
    sleep: Callable[[float], None] | None = None,
) -> RefundOutcome:
    """Send the refund's waiting money back through the cloud, then its document, on the
    calling (cloud) thread's connection. Never raises for the cloud: what could not be
    done now stays queued in the outbox and the reason says so."""
    payments = (
        RefundPayments(db, client, clock)
        if sleep is None
        else RefundPayments(db, client, clock, sleep=sleep)
    )
    repository = RefundRepository(db)
    refused: PermanentCloudError | None = None
    try:
        payments.carry_out(refund_no)
    except PermanentCloudError as exc:
        refused = exc
    except CloudError as exc:
        log.warning("refund waits for the cloud", extra={"refund_no": refund_no, "error": str(exc)})
    refund = repository.load(refund_no)
    ticket = RefundTicket.of(refund)
    if refused is not None and refused.code == ORDER_NOT_THERE:
        reason = Reason(
            "refund.order_not_in_cloud", {"refund_no": refund_no, "order_no": refund.order_no}
        )
    elif refused is not None:
        reason = Reason("refund.cloud_refused", {"refund_no": refund_no, "why": refused.code})
    elif refund.state is RefundState.PENDING:
        reason = Reason("refund.waiting", {"refund_no": refund_no,
                                           "pending_cents": refund.pending_cents})  # fmt: skip
    elif refund.state is RefundState.FAILED:
        reason = Reason("refund.owed", {"refund_no": refund_no, "owed_cents": refund.owed_cents})
    else:
        reason = Reason(
            "refund.done", {"refund_no": refund_no, "paid_back_cents": refund.paid_back_cents}
        )
    return RefundOutcome(ticket, reason)


def fetch_order_document(client: CloudClient, order_no: str) -> dict[str, Any]:
    """Another till's order of this store, as the cloud stored it (for ``look_up``'s
    ``remote``). A cloud that cannot be reached raises its ``CloudError``."""
    order_no = order_number_from_receipt(order_no)
    try:
        return client.get_order(order_no)
    except PermanentCloudError as exc:
        if exc.status in (403, 404):
            raise ReturnRefused("return.order_not_in_cloud", order_no=order_no) from None
        raise
