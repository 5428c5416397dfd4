"""A tender the cloud must answer (a wallet payment code, a face payment), as plain data
passed between the till's two threads, and the work the cloud thread does for it.

The store thread checks and stages it (``CheckoutSession.stage_*``), the cloud thread
carries it out on its own connection to the store (``carry_out``: the payment is committed
PENDING before anything is sent, every answer committed as it comes, polling and
reversing included), and the store thread settles the sale from what is then on disk
(``CheckoutSession.settle_remote``). So a slow or absent cloud holds up only this tender,
never a scan, cash or a cancel.

What must not live here: deciding whether the order closes (the session), threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from terminal.app.tender_result import declined, wallet_reason
from terminal.domain.codes import PaymentCode
from terminal.domain.face_probe import FaceProbe
from terminal.domain.payment import PaymentState
from terminal.errors import Reason, TillError
from terminal.payments.face_pay import FacePay
from terminal.payments.wallet import WalletPayments
from terminal.storage.orders import OrderRepository


@dataclass(frozen=True, slots=True)
class RemoteTender:
    order_no: str
    payment_id: str
    code: PaymentCode | None = None  # a wallet payment
    member_id: str | None = None  # a face payment (with its business day, for the caps,
    business_day: date | None = None  # and the face the cloud checks)
    probe: FaceProbe | None = None

    @classmethod
    def wallet(cls, order_no: str, payment_id: str, code: PaymentCode) -> RemoteTender:
        return cls(order_no, payment_id, code=code)

    @classmethod
    def face(
        cls, order_no: str, payment_id: str, member_id: str, day: date, probe: FaceProbe
    ) -> RemoteTender:
        return cls(order_no, payment_id, member_id=member_id, business_day=day, probe=probe)

    def __repr__(self) -> str:  # never the full payment code, not even in a traceback
        what = self.code.masked() if self.code is not None else "face"
        return f"RemoteTender({self.order_no}, {self.payment_id[:8]}, {what})"


@dataclass(frozen=True, slots=True)
class RemoteResult:
    order_no: str
    payment_id: str
    reason: Reason
    offline: bool = False
    error: TillError | None = None  # a refusal raised on the cloud thread (offline caps)


def carry_out(
    tender: RemoteTender,
    orders: OrderRepository,
    wallet: WalletPayments | None,
    face: FacePay | None,
) -> RemoteResult:
    """Run ``tender`` against the cloud, on the calling (cloud) thread's connection."""
    order = orders.load(tender.order_no)
    if tender.code is not None and wallet is not None:
        outcome = wallet.pay(order, tender.code, tender.payment_id)
        reason = wallet_reason(outcome.payment, outcome.message, not_sent=outcome.not_sent)
        return RemoteResult(tender.order_no, tender.payment_id, reason)
    if (
        tender.member_id is not None
        and tender.business_day is not None
        and tender.probe is not None
        and face is not None
    ):
        try:
            result = face.pay(
                order, tender.member_id, tender.payment_id, tender.business_day, tender.probe
            )
        except TillError as refused:  # the offline caps: nothing was taken
            return RemoteResult(tender.order_no, tender.payment_id, refused.reason, error=refused)
        if result.payment.state is PaymentState.FAILED:
            reason = declined(result.reason)
        else:
            reason = Reason("pay.paid_offline" if result.offline else "pay.paid")
        return RemoteResult(tender.order_no, tender.payment_id, reason, offline=result.offline)
    raise TillError("till.refused")
