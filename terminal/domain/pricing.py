"""Totals of a cart: member prices, line and order discounts, tax included in the price.

Chinese shelf prices include VAT, so the tax on a receipt is carved out of each line:
``net * rate / (1 + rate)``, rounded half up per line. An order discount is spread over
the lines in proportion to their amounts (largest remainder, so the shares add up to the
cent) because lines can carry different tax rates.
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.domain.cart import Cart
from terminal.domain.money import BASIS_POINTS, div_round_half_up


@dataclass(frozen=True, slots=True)
class LineTotal:
    line_no: int
    gross_cents: int
    line_discount_cents: int
    order_discount_share_cents: int
    net_cents: int
    tax_cents: int


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal_cents: int
    line_discount_cents: int
    order_discount_cents: int
    total_cents: int
    tax_cents: int
    member_savings_cents: int
    lines: tuple[LineTotal, ...]

    @property
    def discount_cents(self) -> int:
        return self.line_discount_cents + self.order_discount_cents


def allocate(amount: int, weights: list[int]) -> list[int]:
    """Split ``amount`` over ``weights`` proportionally; the parts sum to ``amount`` exactly."""
    total_weight = sum(weights)
    if amount == 0:
        return [0] * len(weights)
    if total_weight <= 0:
        raise ValueError(f"cannot spread {amount} over weights that sum to {total_weight}")
    shares = [amount * w // total_weight for w in weights]
    remainders = [amount * w % total_weight for w in weights]
    leftover = amount - sum(shares)
    # Largest remainder first; ties go to the earlier line so the result is deterministic.
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:leftover]:
        shares[i] += 1
    return shares


def included_tax(amount_cents: int, rate_bp: int) -> int:
    """The VAT inside a tax-inclusive amount."""
    return div_round_half_up(amount_cents * rate_bp, BASIS_POINTS + rate_bp)


def price_cart(cart: Cart, member: bool = False) -> Totals:
    lines = cart.active_lines
    gross = [line.gross_cents(member) for line in lines]
    guest_gross = [line.gross_cents(False) for line in lines]
    after_line_discount = [g - line.discount_cents for g, line in zip(gross, lines, strict=True)]
    # A member price can make a line cheaper than a discount set at guest price.
    after_line_discount = [max(a, 0) for a in after_line_discount]
    line_discounts = [g - a for g, a in zip(gross, after_line_discount, strict=True)]
    before_order_discount = sum(after_line_discount)
    order_discount = min(cart.order_discount_cents, before_order_discount)
    shares = allocate(order_discount, after_line_discount)
    line_totals = []
    for line, g, ld, share, a in zip(
        lines, gross, line_discounts, shares, after_line_discount, strict=True
    ):
        net = a - share
        line_totals.append(
            LineTotal(
                line_no=line.line_no,
                gross_cents=g,
                line_discount_cents=ld,
                order_discount_share_cents=share,
                net_cents=net,
                tax_cents=included_tax(net, line.tax_rate_bp),
            )
        )
    return Totals(
        subtotal_cents=sum(gross),
        line_discount_cents=sum(line_discounts),
        order_discount_cents=order_discount,
        total_cents=before_order_discount - order_discount,
        tax_cents=sum(t.tax_cents for t in line_totals),
        member_savings_cents=sum(guest_gross) - sum(gross),
        lines=tuple(line_totals),
    )
