"""The cart: the lines of one sale as the cashier builds it.

Lines are never deleted: a void marks the line, so the journal of what happened at the
till survives to the receipt and the cloud. Line numbers start at 1 and only grow. The
cart knows nothing of payments or order state (``order`` guards when it may change).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from terminal.domain.catalog import CatalogItem, Unit
from terminal.domain.errors import CartError, MoneyError
from terminal.domain.money import check_cents, scale

MAX_QUANTITY = 999
# A weight above this on one label is a scale fault, not a sale.
MAX_WEIGHT_GRAMS = 50_000


@dataclass(frozen=True, slots=True)
class CartLine:
    """One scanned item. For weighed items ``quantity`` is 1 and the weight or the
    scale's printed amount says how much."""

    line_no: int
    sku: str
    scanned_code: str
    name_zh: str
    name_en: str
    unit: Unit
    tax_rate_bp: int
    unit_price_cents: int
    member_price_cents: int | None = None
    quantity: int = 1
    weight_grams: int | None = None
    fixed_amount_cents: int | None = None
    discount_cents: int = 0
    voided: bool = False

    @property
    def name(self) -> str:
        return self.name_zh or self.name_en

    def gross_cents(self, member: bool) -> int:
        """What the line costs before discounts, at member or guest price."""
        if self.fixed_amount_cents is not None:
            # The scale printed the amount; it is the price the customer saw on the label.
            return self.fixed_amount_cents
        price = self.unit_price_cents
        if member and self.member_price_cents is not None:
            price = self.member_price_cents
        if self.weight_grams is not None:
            return scale(price, self.weight_grams, 1000)
        return price * self.quantity


class Cart:
    """The lines of one sale plus the discount on the whole order."""

    def __init__(self, lines: list[CartLine] | None = None, order_discount_cents: int = 0):
        self._lines: list[CartLine] = list(lines or [])
        self.order_discount_cents = order_discount_cents

    @property
    def lines(self) -> tuple[CartLine, ...]:
        return tuple(self._lines)

    @property
    def active_lines(self) -> tuple[CartLine, ...]:
        return tuple(line for line in self._lines if not line.voided)

    def is_empty(self) -> bool:
        return not self.active_lines

    def _next_line_no(self) -> int:
        return self._lines[-1].line_no + 1 if self._lines else 1

    def add(
        self, item: CatalogItem, *, code: str, quantity: int = 1, merge: bool = False
    ) -> CartLine:
        """A piece-priced item. ``merge``: onto the item's line already in the cart (same
        price, no line discount of its own), so 60 bottles are one line of 60."""
        if item.unit is Unit.KG:
            raise CartError("cart.sold_by_weight", name=item.name)
        _check_quantity(quantity)
        if merge:
            same = self._mergeable(item)
            if same is not None:
                index, line = same
                _check_quantity(line.quantity + quantity)
                merged = replace(line, quantity=line.quantity + quantity)
                self._lines[index] = merged
                return merged
        line = CartLine(
            line_no=self._next_line_no(),
            sku=item.sku,
            scanned_code=code,
            name_zh=item.name_zh,
            name_en=item.name_en,
            unit=item.unit,
            tax_rate_bp=item.tax_rate_bp,
            unit_price_cents=item.price_cents,
            member_price_cents=item.member_price_cents,
            quantity=quantity,
        )
        self._lines.append(line)
        return line

    def _mergeable(self, item: CatalogItem) -> tuple[int, CartLine] | None:
        for index, line in enumerate(self._lines):
            if (
                not line.voided
                and line.sku == item.sku
                and line.weight_grams is None
                and line.fixed_amount_cents is None
                and line.discount_cents == 0
                and line.unit_price_cents == item.price_cents
                and line.member_price_cents == item.member_price_cents
            ):
                return index, line
        return None

    def add_weighed(
        self,
        item: CatalogItem,
        *,
        code: str,
        weight_grams: int | None = None,
        amount_cents: int | None = None,
    ) -> CartLine:
        """A scale label: it carries either the weight or the amount to pay."""
        if item.unit is not Unit.KG:
            raise CartError("cart.sold_by_piece", name=item.name)
        if (weight_grams is None) == (amount_cents is None):
            raise CartError("cart.bad_label")
        if weight_grams is not None and (
            isinstance(weight_grams, bool)
            or not isinstance(weight_grams, int)
            or not 0 < weight_grams <= MAX_WEIGHT_GRAMS
        ):
            raise CartError("cart.bad_weight", weight_grams=weight_grams)
        if amount_cents is not None:
            try:
                check_cents(amount_cents, "label amount")
            except MoneyError as exc:
                # The money rule's own code and fields, as the cart's error for its callers.
                raise CartError(exc.code, **exc.params) from None
            if amount_cents == 0:
                raise CartError("cart.bad_label", amount_cents=amount_cents)
        line = CartLine(
            line_no=self._next_line_no(),
            sku=item.sku,
            scanned_code=code,
            name_zh=item.name_zh,
            name_en=item.name_en,
            unit=item.unit,
            tax_rate_bp=item.tax_rate_bp,
            unit_price_cents=item.price_cents,
            member_price_cents=item.member_price_cents,
            weight_grams=weight_grams,
            fixed_amount_cents=amount_cents,
        )
        self._lines.append(line)
        return line

    def _find(self, line_no: int | None) -> tuple[int, CartLine]:
        """The active line with that number, or the last active line."""
        for index in range(len(self._lines) - 1, -1, -1):
            line = self._lines[index]
            if line.voided:
                continue
            if line_no is None or line.line_no == line_no:
                return index, line
        if line_no is None:
            raise CartError("cart.empty")
        raise CartError("cart.no_line", line_no=line_no)

    def set_quantity(self, quantity: int, line_no: int | None = None) -> CartLine:
        index, line = self._find(line_no)
        if line.weight_grams is not None or line.fixed_amount_cents is not None:
            raise CartError("cart.line_weighed", name=line.name)
        if quantity == 0:
            raise CartError("cart.quantity_zero")
        _check_quantity(quantity)
        amount = line.unit_price_cents * quantity
        if line.discount_cents > amount:
            raise CartError(
                "cart.discount_over_line", discount_cents=line.discount_cents, amount_cents=amount
            )
        updated = replace(line, quantity=quantity)
        self._lines[index] = updated
        return updated

    def void(self, line_no: int | None = None) -> CartLine:
        index, line = self._find(line_no)
        updated = replace(line, voided=True)
        self._lines[index] = updated
        return updated

    def discount_line(self, cents: int, line_no: int | None = None) -> CartLine:
        index, line = self._find(line_no)
        _check_discount(cents)
        amount = line.gross_cents(member=False)
        if cents > amount:
            raise CartError("cart.discount_over_line", discount_cents=cents, amount_cents=amount)
        updated = replace(line, discount_cents=cents)
        self._lines[index] = updated
        return updated

    def discount_order(self, cents: int, undiscounted_total: int) -> None:
        """Set the whole-order discount; ``undiscounted_total`` is what it may not exceed."""
        _check_discount(cents)
        if self.is_empty():
            raise CartError("cart.empty")
        if cents > undiscounted_total:
            raise CartError(
                "cart.discount_over_total", discount_cents=cents, total_cents=undiscounted_total
            )
        self.order_discount_cents = cents


def _check_quantity(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise CartError("cart.quantity_range", max_quantity=MAX_QUANTITY)
    if quantity > MAX_QUANTITY:
        raise CartError("cart.quantity_over", quantity=quantity, max_quantity=MAX_QUANTITY)


def _check_discount(cents: int) -> None:
    try:
        check_cents(cents, "discount")
    except MoneyError as exc:
        raise CartError(exc.code, **exc.params) from None
