"""The /v1 HTTP contract as pydantic models: what terminals send and what they get back.

Requests are validated strictly (no "12" for 12, no 1.0 for 1, no true for 1); bounds on
every number keep a huge value from reaching the database. Request models allow extra
keys only where the contract says so (the order document). Money is integer cents,
times UTC ISO-8601 text, ids strings.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# A bound well above any till (ten billion yuan) and well inside a signed 64-bit column.
MAX_CENTS = 10**12
MAX_COUNT = 10**9


def _iso_datetime(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("must be an ISO-8601 date and time") from None
    if moment.tzinfo is None:
        raise ValueError("must carry a UTC offset, e.g. 2026-11-22T02:00:00+00:00")
    return value


def _iso_date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be an ISO-8601 date like 2026-11-22") from None
    return value


Cents = Annotated[int, Field(strict=True, ge=-MAX_CENTS, le=MAX_CENTS)]
PositiveCents = Annotated[int, Field(strict=True, gt=0, le=MAX_CENTS)]
Count = Annotated[int, Field(strict=True, ge=-MAX_COUNT, le=MAX_COUNT)]
Text = Annotated[str, Field(strict=True, max_length=500)]
Id = Annotated[str, Field(strict=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
Uuid = Annotated[
    str,
    Field(
        strict=True,
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    ),
]
DeviceId = Annotated[str, Field(strict=True, pattern=r"^[A-Z0-9]{2,16}$")]
IsoDateTime = Annotated[str, Field(strict=True, max_length=40), AfterValidator(_iso_datetime)]
IsoDate = Annotated[str, Field(strict=True, max_length=10), AfterValidator(_iso_date)]
TaxRate = Annotated[int, Field(strict=True, ge=0, le=10_000)]
# Base64 of little-endian float32; 1 MiB of body holds no more than this anyway.
Base64Vector = Annotated[str, Field(strict=True, min_length=4, max_length=700_000)]
ModelName = Annotated[
    str, Field(strict=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
]


class StrictBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class OpenDocument(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")


class Error(BaseModel):
    error: str = Field(examples=["conflict"])
    message: str


# -- health, devices -------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["sqlite", "postgresql"]
    version: str


class RegisterRequest(StrictBody):
    code: Annotated[str, Field(strict=True, min_length=1, max_length=64)]
    device_name: Annotated[str, Field(strict=True, max_length=200)] | None = None


class RegisterResponse(BaseModel):
    device_id: str = Field(examples=["S001T003"])
    store_id: str
    token: str
    gallery_key: str = Field(
        description="base64 of the store's 32-byte gallery key, which opens the member "
        "templates the till pulls; handed out in this answer only"
    )


# -- catalog -----------------------------------------------------------------------------


class CatalogItem(BaseModel):
    barcode: str | None
    plu: str | None
    name_zh: str
    name_en: str
    category: str
    price_cents: int
    member_price_cents: int | None
    tax_rate_bp: int
    unit: Literal["each", "kg"]
    deleted: bool


class CatalogPage(BaseModel):
    items: list[CatalogItem]
    next_cursor: int
    has_more: bool


# -- orders ------------------------------------------------------------------------------


class OrderTotals(OpenDocument):
    subtotal_cents: Cents
    line_discount_cents: Cents
    order_discount_cents: Cents
    tax_cents: Cents
    total_cents: Cents
    member_savings_cents: Cents


class OrderLine(OpenDocument):
    line_no: Annotated[int, Field(strict=True, ge=1, le=MAX_COUNT)]
    sku: Text
    scanned_code: Text | None
    name_zh: Text | None
    name_en: Text | None
    unit: Literal["each", "kg"]
    quantity: Count
    weight_grams: Count | None
    unit_price_cents: Cents
    member_price_cents: Cents | None
    fixed_amount_cents: Cents | None
    discount_cents: Cents
    tax_rate_bp: TaxRate
    voided: bool
    net_cents: Cents
    tax_cents: Cents


class OrderPayment(OpenDocument):
    payment_id: Id
    method: Literal["cash", "face", "wallet_code"]
    state: Literal["pending", "unknown", "succeeded", "failed", "reversed", "refunded"]
    amount_cents: Cents
    tendered_cents: Cents | None
    change_cents: Cents
    provider: Text | None
    trade_no: Text | None
    created_at: IsoDateTime | None
    updated_at: IsoDateTime | None


OrderState = Literal["open", "tendering", "paid", "cancelled"]


class OrderDocument(OpenDocument):
    """terminal/domain/order_document.py; keys beyond these are kept as they came."""

    version: Annotated[int, Field(strict=True, ge=1, le=1000)]
    order_no: Id
    device_id: DeviceId
    business_date: IsoDate
    state: OrderState
    opened_at: IsoDateTime
    closed_at: IsoDateTime | None
    member_id: Text | None
    cancel_reason: Text | None
    totals: OrderTotals
    paid_cents: Cents
    change_cents: Cents
    lines: Annotated[list[OrderLine], Field(max_length=10_000)]
    payments: Annotated[list[OrderPayment], Field(max_length=1_000)]


class OrderReceipt(BaseModel):
    order_no: str
    status: Literal["created", "duplicate", "updated"]
    received_at: str


# -- members and enrollments -------------------------------------------------------------


class Template(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    model: ModelName
    vector: Base64Vector = Field(description="base64 of little-endian float32")


class SealedTemplate(BaseModel):
    """A template as a till receives it: only a holder of the store's gallery key (handed
    out at registration, never with a token) can open it."""

    model: str
    sealed: str = Field(
        description="base64 of AES-256-GCM (version byte, 12-byte nonce, ciphertext+tag) "
        "over the little-endian float32 vector, with associated data "
        "'gallery:<member_id>:<model>', under the store's gallery key"
    )


class MemberChange(BaseModel):
    seq: int
    type: Literal["upsert", "delete"]
    member_id: str
    display_name: str | None = Field(examples=["Zhang**"])
    phone_last4: str | None = Field(description="a narrowing key for the phone-digits pad")
    points: int
    balance_cents: int = Field(
        description="the stored value a till may spend offline: the balance, capped at the "
        "store's offline daily limit (the real balance stays in the cloud)"
    )
    templates: list[SealedTemplate]


class MemberChanges(BaseModel):
    changes: list[MemberChange]
    next_cursor: int
    has_more: bool


class Consent(StrictBody):
    """One consent the customer gave on the till: membership and face pay are separate
    (PIPL art. 29); the text version must be in the cloud's registry."""

    kind: Literal["membership", "face_pay"]
    text_version: Annotated[str, Field(strict=True, min_length=1, max_length=64)]
    language: Literal["zh_CN", "en"]
    accepted_at: IsoDateTime
    terminal: DeviceId


class EnrollmentRequest(StrictBody):
    enrollment_id: Uuid
    member_id: Uuid
    display_name: Annotated[str, Field(strict=True, max_length=64)] | None
    phone_last4: Annotated[str, Field(strict=True, pattern=r"^[0-9]{4}$")] | None
    phone: Annotated[str, Field(strict=True, pattern=r"^\+?[0-9]{6,15}$")] | None = Field(
        default=None, description="the full number, for one-time codes; never sent to a till"
    )
    templates: Annotated[list[Template], Field(min_length=1, max_length=16)]
    consents: Annotated[list[Consent], Field(min_length=2, max_length=2)] = Field(
        description="the membership consent and the face pay consent, one of each"
    )


class EnrollmentResponse(BaseModel):
    enrollment_id: str
    member_id: str
    merged: bool


# -- payments ----------------------------------------------------------------------------


class FacePaymentRequest(StrictBody):
    """A face payment with its evidence: the probe template the till matched (the same
    encoding as an enrollment's) and its liveness score. The cloud checks the probe 1:1
    against the member's own templates; a member id alone pays nothing."""

    payment_id: Id
    order_no: Id
    member_id: Id
    amount_cents: PositiveCents
    probe: Template | None = Field(
        default=None, description="required for a new payment; a repeat is answered without"
    )
    liveness: Annotated[float, Field(strict=True, ge=0.0, le=1.0)] | None = None


FaceRefusal = Literal[
    "no_face_evidence",
    "member_unknown",
    "face_disabled",
    "face_mismatch",
    "liveness_low",
    "over_payment_cap",
    "over_member_daily_cap",
    "over_device_daily_cap",
    "too_many_payments",
    "too_many_attempts",
    "insufficient_balance",
]


class FacePaymentResponse(BaseModel):
    payment_id: str
    state: Literal["SUCCESS", "FAIL"]
    reason: FaceRefusal | None = Field(examples=["insufficient_balance"])
    balance_cents: int


class MicropayRequest(StrictBody):
    out_trade_no: Id
    order_no: Id
    auth_code: Annotated[str, Field(strict=True, pattern=r"^[0-9]{10,32}$")]
    amount_cents: PositiveCents


TradeState = Literal["SUCCESS", "USERPAYING", "FAIL", "SYSTEMERROR", "REVOKED", "NOTPAY"]


class MicropayResponse(BaseModel):
    out_trade_no: str
    trade_no: str | None
    trade_state: TradeState
    message: str | None


class ReverseResponse(BaseModel):
    out_trade_no: str
    reversed: Literal[True]
    trade_state: Literal["REVOKED", "NOTPAY"]


# -- config and models -------------------------------------------------------------------


class StoreConfig(BaseModel):
    version: int
    offline_face_pay_max_cents: int
    offline_face_pay_daily_cents: int
    membership_threshold: float
    payment_threshold: float


class ModelFile(BaseModel):
    name: str
    file: str
    sha256: str
    size: int


class ModelList(BaseModel):
    models: list[ModelFile]


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


class DeviceRevoked(BaseModel):
    """The answer to ``DELETE /v1/devices/self``: the token that asked is dead from now on."""

    device_id: str
    revoked_at: str
    revoked_by: str = Field(examples=["device itself"])


# -- consents, one-time codes, erasure ---------------------------------------------------

ConsentKind = Literal["membership", "face_pay"]
OtpCode = Annotated[str, Field(strict=True, pattern=r"^[0-9]{6}$")]
RequestedBy = Annotated[str, Field(strict=True, min_length=1, max_length=200)]


class ConsentTextEntry(BaseModel):
    version: str
    language: Literal["zh_CN", "en"]
    kind: ConsentKind
    sha256: str = Field(description="sha256 of the UTF-8 text")
    text: str
    created_at: str


class ConsentTextList(BaseModel):
    texts: list[ConsentTextEntry]


class VerificationRequest(StrictBody):
    purpose: Literal["add_template", "erase"]


class VerificationResponse(BaseModel):
    otp_id: str
    expires_at: str


class MemberProof(StrictBody):
    """The member's own word, given at a till: the code sent to their phone."""

    otp_id: Uuid
    code: OtpCode
    requested_by: RequestedBy = Field(examples=["customer at till"])
    face_verified: bool = Field(
        default=False, description="the till matched the face too (recorded, not trusted)"
    )


class ErasureRequest(MemberProof):
    member_id: Id


class ErasureResponse(BaseModel):
    member_id: str
    erasure_id: str | None
    proof: Literal["face+otp", "otp", "operator"] | None
    erased_at: str | None
    repeat: bool


class WithdrawalResponse(BaseModel):
    member_id: str
    kind: ConsentKind
    withdrawn_at: str
    erased: bool
    repeat: bool


class AddTemplatesRequest(StrictBody):
    """More face for an existing member (a better photo, a new model), proved by the
    member: the one-time code of purpose ``add_template`` sent to their phone."""

    otp_id: Uuid
    code: OtpCode
    templates: Annotated[list[Template], Field(min_length=1, max_length=16)]


class AddTemplatesResponse(BaseModel):
    member_id: str
    added: int


# -- staff -------------------------------------------------------------------------------


class StaffChange(BaseModel):
    """One change of the store's staff. Tills check PINs offline, so an ``upsert`` carries
    the PIN's argon2id hash (salted and slow: the PIN itself never leaves the operator's
    command); a disabled staff member comes as a ``delete``."""

    seq: int
    type: Literal["upsert", "delete"]
    staff_id: str = Field(examples=["alice-01"])
    name: str | None
    role: Literal["cashier", "manager"] | None
    pin_hash: str | None = Field(
        description="PHC string of argon2id ($argon2id$v=19$m=...,t=...,p=...$salt$hash)"
    )


class StaffChanges(BaseModel):
    changes: list[StaffChange]
    next_cursor: int
    has_more: bool


# -- shifts and Z reports ----------------------------------------------------------------

StaffId = Annotated[str, Field(strict=True, min_length=1, max_length=64)]
NonNegativeCents = Annotated[int, Field(strict=True, ge=0, le=MAX_CENTS)]
Number = Annotated[int, Field(strict=True, ge=1, le=MAX_COUNT)]
TenderName = Annotated[str, Field(strict=True, min_length=1, max_length=32)]


class ShiftCashMovement(OpenDocument):
    """A pay-in or pay-out: cash into or out of the drawer that is not a sale."""

    movement_id: Id
    kind: Literal["pay_in", "pay_out"]
    cents: PositiveCents
    reason: Text
    staff_id: StaffId
    at: IsoDateTime


class ShiftDocument(OpenDocument):
    """terminal/domain/shift.py ``shift_to_document``: the whole shift as it stands, sent
    after each event; ``revision`` counts the events (opened, each movement, closed)."""

    version: Annotated[int, Field(strict=True, ge=1, le=1000)]
    shift_id: Uuid
    device_id: DeviceId
    shift_no: Number
    revision: Number
    opened_at: IsoDateTime
    opened_by: StaffId
    float_cents: NonNegativeCents
    movements: Annotated[list[ShiftCashMovement], Field(max_length=10_000)]
    closed_at: IsoDateTime | None
    closed_by: StaffId | None
    counted_cents: NonNegativeCents | None


class ShiftReceipt(BaseModel):
    shift_id: str
    status: Literal["created", "updated", "duplicate"] = Field(
        description="duplicate: this copy, or an older revision of the one stored"
    )
    revision: int = Field(description="the revision the cloud holds now")
    received_at: str


class ZTender(OpenDocument):
    tender: TenderName = Field(examples=["cash", "wechat", "alipay", "face"])
    sales_cents: Cents
    refunds_cents: Cents
    net_cents: Cents
    sales_count: Count
    refunds_count: Count


class ZReportDocument(OpenDocument):
    """terminal/domain/shift_report.py ``z_report_document``: a closed shift's figures and
    count, numbered per device, written once."""

    version: Annotated[int, Field(strict=True, ge=1, le=1000)]
    kind: Literal["Z"]
    z_number: Number
    device_id: DeviceId
    shift_id: Uuid
    shift_no: Number
    opened_at: IsoDateTime
    opened_by: StaffId
    closed_at: IsoDateTime
    closed_by: StaffId
    float_cents: NonNegativeCents
    pay_ins_cents: Cents
    pay_ins_count: Count
    pay_outs_cents: Cents
    pay_outs_count: Count
    tenders: Annotated[list[ZTender], Field(max_length=100)]
    sales_cents: Cents
    refunds_cents: Cents
    net_cents: Cents
    orders_paid: Count
    orders_cancelled: Count
    discounts_cents: Cents
    cash_expected_cents: Cents
    counted_cents: NonNegativeCents
    variance_cents: Cents
    movements: Annotated[list[ShiftCashMovement], Field(max_length=10_000)]
    order_nos: Annotated[list[Id], Field(max_length=20_000)]
    refund_nos: Annotated[list[Id], Field(max_length=20_000)] = Field(
        default_factory=list, description="the refunds whose money the report counts"
    )


class ZReportReceipt(BaseModel):
    device_id: str
    z_number: int
    status: Literal["created", "duplicate"]
    received_at: str
    flags: list[str] = Field(
        description="why the cloud's own records disagree with the report (stored anyway)"
    )


# -- refunds -----------------------------------------------------------------------------

RefundCents = Annotated[int, Field(strict=True, ge=0, le=MAX_CENTS)]
Positive = Annotated[int, Field(strict=True, ge=1, le=MAX_COUNT)]


class RefundLine(OpenDocument):
    line_no: Positive | None = Field(description="the original order's line; null: no receipt")
    sku: Text
    name_zh: Text | None = None
    name_en: Text | None = None
    quantity: Positive | None = Field(description="pieces back; null for a weighed line")
    weight_grams: Positive | None = Field(description="grams back of a weighed line")
    amount_cents: RefundCents


class RefundPayment(OpenDocument):
    refund_payment_id: Id = Field(
        description="its idempotency key: the wallet's out_refund_no, the credit's refund_id"
    )
    method: Literal["cash", "wallet_code", "face", "store_credit"]
    amount_cents: RefundCents
    state: Literal["pending", "succeeded", "failed"]
    original_payment_id: Id | None = Field(
        description="the payment it goes back to (wallet trade, face payment); null: cash"
    )
    member_id: Text | None
    provider: Text | None = None
    reason: Text | None = None


class RefundDocument(OpenDocument):
    """terminal/domain/refund_document.py; keys beyond these are kept as they came."""

    version: Annotated[int, Field(strict=True, ge=1, le=1000)]
    refund_no: Id
    device_id: DeviceId
    business_date: IsoDate
    kind: Literal["return", "exchange", "no_receipt"]
    order_no: Id | None
    state: Literal["pending", "done", "failed"]
    created_at: IsoDateTime
    completed_at: IsoDateTime | None
    reason: Text
    cashier_id: Text
    approver_id: Text | None
    total_cents: RefundCents
    lines: Annotated[list[RefundLine], Field(min_length=1, max_length=10_000)]
    payments: Annotated[list[RefundPayment], Field(max_length=100)]


class RefundReceipt(BaseModel):
    refund_no: str
    status: Literal["created", "duplicate", "updated", "stale"] = Field(
        description="stale: a pending copy of a refund already stored done or failed"
    )
    received_at: str


class WalletRefundRequest(StrictBody):
    out_refund_no: Id = Field(description="the refund's own id: a resend refunds once")
    amount_cents: PositiveCents


class WalletRefundResponse(BaseModel):
    out_trade_no: str
    out_refund_no: str
    refund_state: Literal["SUCCESS", "SYSTEMERROR"] = Field(
        description="SYSTEMERROR: unknown, ask again with the same out_refund_no"
    )
    refund_id: str | None
    amount_cents: int
    refunded_cents: int = Field(description="the trade's refunds so far, this one included")
    message: str | None


class MemberCreditRequest(StrictBody):
    refund_id: Id = Field(description="the refund payment's id: the idempotency key")
    refund_no: Id = Field(description="the refund it belongs to, stored first (PUT)")
    payment_id: Id | None = Field(
        description="the face payment credited back; null: store credit of a no-receipt return"
    )
    amount_cents: PositiveCents


class MemberCreditResponse(BaseModel):
    refund_id: str
    member_id: str
    amount_cents: int
    balance_cents: int
    repeat: bool
