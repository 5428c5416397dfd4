"""Builders for domain objects and hypothesis strategies for random carts.

Only real domain objects come out of here (no fakes): the builders fill in the fields a
test does not care about, and the strategies drive the real ``Cart`` API, so a random
cart is always one a cashier could have built.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import strategies as st

from terminal.domain.cart import MAX_QUANTITY, MAX_WEIGHT_GRAMS, Cart
from terminal.domain.catalog import CatalogItem, Unit, plu_sku
from terminal.domain.order import Order
from terminal.domain.payment import Payment, PaymentMethod, PaymentState, cash_payment
from terminal.domain.pricing import price_cart

ORDER_NO = "T01-20261122-0001"
BUSINESS_DATE = date(2026, 11, 22)
OPENED_AT = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 22, 2, 5, tzinfo=UTC)

# Common Chinese VAT rates in basis points: 0 %, 3 % (small taxpayer), 6 %, 9 %, 13 %.
VAT_RATES = (0, 300, 600, 900, 1300)


def piece_item(
    price_cents: int = 350,
    *,
    tax_rate_bp: int = 1300,
    member_price_cents: int | None = None,
    sku: str = "06901234567892",
    name_zh: str = "矿泉水",
    name_en: str = "Mineral water",
) -> CatalogItem:
    return CatalogItem(
        sku=sku,
        name_zh=name_zh,
        name_en=name_en,
        price_cents=price_cents,
        tax_rate_bp=tax_rate_bp,
        barcode=sku,
        member_price_cents=member_price_cents,
    )


def weighed_item(
    price_per_kg_cents: int = 1998,
    *,
    plu: str = "00042",
    tax_rate_bp: int = 900,
    member_price_cents: int | None = None,
) -> CatalogItem:
    return CatalogItem(
        sku=plu_sku(plu),
        name_zh="苹果",
        name_en="Apples",
        price_cents=price_per_kg_cents,
        tax_rate_bp=tax_rate_bp,
        unit=Unit.KG,
        plu=plu,
        member_price_cents=member_price_cents,
    )


def new_order(cart: Cart | None = None, *, member_id: str | None = None) -> Order:
    return Order(
        order_no=ORDER_NO,
        device_id="T01",
        business_date=BUSINESS_DATE,
        opened_at=OPENED_AT,
        cart=cart if cart is not None else Cart(),
        member_id=member_id,
    )


def order_with_items(*prices_cents: int, member_id: str | None = None) -> Order:
    """An OPEN order with one line per price (13 % VAT, bought by the piece)."""
    cart = Cart()
    for index, price in enumerate(prices_cents or (1000,)):
        cart.add(piece_item(price, sku=f"0690123456{index:04d}"), code=f"code{index}")
    return new_order(cart, member_id=member_id)


def pay_cash(order: Order, tendered_cents: int, payment_id: str = "cash-1") -> Payment:
    payment = cash_payment(
        payment_id=payment_id,
        order_no=order.order_no,
        balance_due=order.balance_due_cents,
        tendered_cents=tendered_cents,
        now=LATER,
    )
    order.add_payment(payment)
    return payment


def wallet_payment(
    order: Order,
    amount_cents: int,
    state: PaymentState = PaymentState.PENDING,
    payment_id: str = "face-1",
) -> Payment:
    return Payment(
        payment_id=payment_id,
        order_no=order.order_no,
        method=PaymentMethod.FACE,
        amount_cents=amount_cents,
        state=state,
        created_at=LATER,
        updated_at=LATER,
        provider="alipay",
    )


# -- hypothesis strategies ---------------------------------------------------------

tax_rates = st.one_of(st.sampled_from(VAT_RATES), st.integers(0, 9_999))


@st.composite
def piece_items(draw: st.DrawFn) -> CatalogItem:
    # Up to 1000 yuan a piece: 8 lines of 999 pieces stay under MAX_AMOUNT_CENTS, which
    # also bounds a discount (a bigger cart is not a sale the till has to price).
    price = draw(st.integers(1, 100_000))
    member = draw(st.none() | st.integers(1, price))
    sku = f"0{draw(st.integers(0, 10**13 - 1)):013d}"
    return piece_item(price, tax_rate_bp=draw(tax_rates), member_price_cents=member, sku=sku)


@st.composite
def weighed_items(draw: st.DrawFn) -> CatalogItem:
    price = draw(st.integers(1, 1_000_000))
    member = draw(st.none() | st.integers(1, price))
    plu = f"{draw(st.integers(0, 99_999)):05d}"
    return weighed_item(price, plu=plu, tax_rate_bp=draw(tax_rates), member_price_cents=member)


@st.composite
def carts(draw: st.DrawFn) -> Cart:
    """A cart built through the real API: pieces, weighed labels (by weight or by printed
    amount), line discounts, voids and an order discount no larger than the till allows."""
    cart = Cart()
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            item = draw(piece_items())
            cart.add(item, code=item.sku, quantity=draw(st.integers(1, MAX_QUANTITY)))
            continue
        item = draw(weighed_items())
        if draw(st.booleans()):
            grams = draw(st.integers(1, MAX_WEIGHT_GRAMS))
            cart.add_weighed(item, code=f"28{item.plu}", weight_grams=grams)
        else:
            amount = draw(st.integers(1, 1_000_000))
            cart.add_weighed(item, code=f"20{item.plu}", amount_cents=amount)
    for line in cart.lines:
        if draw(st.booleans()):
            cart.discount_line(draw(st.integers(0, line.gross_cents(member=False))), line.line_no)
    for line in cart.lines:
        if draw(st.integers(0, 3)) == 0:
            cart.void(line.line_no)
    if not cart.is_empty() and draw(st.booleans()):
        # The till caps the order discount at the total before it (see CheckoutSession).
        before = price_cart(cart, member=draw(st.booleans()))
        allowed = before.total_cents + before.order_discount_cents
        cart.discount_order(draw(st.integers(0, allowed)), allowed)
    return cart
