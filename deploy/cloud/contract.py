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


class MemberChange(BaseModel):
    seq: int
    type: Literal["upsert", "delete"]
    member_id: str
    display_name: str | None = Field(examples=["Zhang**"])
    phone_last4: str | None
    points: int
    balance_cents: int
    templates: list[Template]


class MemberChanges(BaseModel):
    changes: list[MemberChange]
    next_cursor: int
    has_more: bool


class Consent(StrictBody):
    text_version: Annotated[str, Field(strict=True, min_length=1, max_length=64)]
    accepted_at: IsoDateTime
    terminal: DeviceId


class EnrollmentRequest(StrictBody):
    enrollment_id: Uuid
    member_id: Uuid
    display_name: Annotated[str, Field(strict=True, max_length=64)] | None
    phone_last4: Annotated[str, Field(strict=True, pattern=r"^[0-9]{4}$")] | None
    templates: Annotated[list[Template], Field(min_length=1, max_length=16)]
    consent: Consent


class EnrollmentResponse(BaseModel):
    enrollment_id: str
    member_id: str
    merged: bool


# -- payments ----------------------------------------------------------------------------


class FacePaymentRequest(StrictBody):
    payment_id: Id
    order_no: Id
    member_id: Id
    amount_cents: PositiveCents


class FacePaymentResponse(BaseModel):
    payment_id: str
    state: Literal["SUCCESS", "FAIL"]
    reason: str | None = Field(examples=["insufficient_balance"])
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
