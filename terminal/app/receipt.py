"""The printed receipt: fixed-width text, aligned for CJK names (they take two columns)."""

from __future__ import annotations

import unicodedata

from terminal.config import Settings
from terminal.domain.money import format_cents
from terminal.domain.order import Order, OrderState
from terminal.domain.payment import PaymentState

WIDTH = 40


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` display columns and pad it to exactly that."""
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def _row(left: str, right: str) -> str:
    return _fit(left, WIDTH - len(right) - 1) + " " + right


def render_receipt(order: Order, settings: Settings) -> str:
    money = format_cents
    totals = order.totals()
    per_line = {t.line_no: t for t in totals.lines}
    local = (order.closed_at or order.opened_at).astimezone(settings.zone)
    out = [
        settings.store_name.center(
            WIDTH - (_width(settings.store_name) - len(settings.store_name))
        ),
        f"No. {order.order_no}",
        f"{local:%Y-%m-%d %H:%M:%S}  {settings.device_id}",
        "-" * WIDTH,
    ]
    for line in order.cart.lines:
        if line.voided:
            out.append(_row(f"{line.name} [VOID]", ""))
            continue
        line_total = per_line[line.line_no]
        out.append(_row(line.name, money(line_total.gross_cents)))
        if line.weight_grams is not None:
            kg, grams = divmod(line.weight_grams, 1000)
            out.append(f"  {kg}.{grams:03d} kg x {money(line.unit_price_cents)}/kg")
        elif line.quantity > 1:
            out.append(f"  {line.quantity} x {money(line.unit_price_cents)}")
        if line_total.line_discount_cents:
            out.append(_row("  discount", "-" + money(line_total.line_discount_cents)))
    out.append("-" * WIDTH)
    out.append(_row("Subtotal", money(totals.subtotal_cents)))
    if totals.order_discount_cents:
        out.append(_row("Order discount", "-" + money(totals.order_discount_cents)))
    if totals.member_savings_cents:
        out.append(_row("Member savings", money(totals.member_savings_cents)))
    out.append(_row("TOTAL", settings.currency_symbol + money(totals.total_cents)))
    out.append(_row("  incl. VAT", money(totals.tax_cents)))
    for payment in order.payments:
        label = str(payment.method)
        if payment.state is not PaymentState.SUCCEEDED:
            label += f" ({payment.state})"
        shown = (
            payment.tendered_cents if payment.tendered_cents is not None else payment.amount_cents
        )
        out.append(_row(label, money(shown)))
        if payment.change_cents:
            out.append(_row("Change", money(payment.change_cents)))
    if order.state is OrderState.CANCELLED:
        out.append(_row("CANCELLED", ""))
    out.append("-" * WIDTH)
    return "\n".join(out)
