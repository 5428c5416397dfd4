"""The receipt of an order in zh_CN or en: ``receipt_doc`` (what it says, line by line,
and which lines stand out, as a ``drivers.printer.ReceiptDoc``) and ``render_receipt``
(the same document as plain text, for the screens and the CLI).

Every label comes from ``RECEIPT_TEXTS`` (label id -> (zh_CN, en)), item names from the
line's ``name_zh`` / ``name_en`` by language, amounts as money. Where a column falls is
not decided here: ``drivers/printer/layout.py`` fits the document to the paper's 32 or 48
columns, or to ``WIDTH`` for text, CJK characters taking two. What must not live here:
Qt, the store, the screens' string catalog (a receipt is printed paper, not a screen, and
a headless till prints it too), printing (``receipt_printing.py``).
"""

from __future__ import annotations

from drivers.printer import Align, Block, QrCode, ReceiptDoc, Row, Rule, Style, Text, as_text
from terminal.config import Settings
from terminal.domain.money import format_cents
from terminal.domain.order import Order, OrderState
from terminal.domain.payment import PaymentState

WIDTH = 40  # the plain-text receipt's columns (paper has 32 or 48: the printer's)
_TITLE = Style(bold=True, wide=True, tall=True, align=Align.CENTER)
_TOTAL = Style(bold=True, tall=True)

# label id -> (zh_CN, en). str.format fields in braces, the same fields in both languages.
RECEIPT_TEXTS: dict[str, tuple[str, str]] = {
    "order_no": ("单号 {order_no}", "No. {order_no}"),
    "void": ("{name} [已作废]", "{name} [VOID]"),
    "weighed": ("  {kg} 千克 x {price}/千克", "  {kg} kg x {price}/kg"),
    "pieces": ("  {quantity} x {price}", "  {quantity} x {price}"),
    "line_discount": ("  优惠", "  discount"),
    "subtotal": ("小计", "Subtotal"),
    "order_discount": ("整单优惠", "Order discount"),
    "member_savings": ("会员优惠", "Member savings"),
    "total": ("合计", "TOTAL"),
    "tax": ("  含增值税", "  incl. VAT"),
    "change": ("找零", "Change"),
    "cancelled": ("交易已取消", "CANCELLED"),
    "method.cash": ("现金", "cash"),
    "method.face": ("刷脸支付", "face pay"),
    "method.wallet_code": ("扫码支付", "wallet code"),
    "state.pending": ("处理中", "pending"),
    "state.unknown": ("结果未知", "unknown"),
    "state.failed": ("失败", "failed"),
    "state.reversed": ("已撤销", "reversed"),
    "state.refunded": ("已退还", "refunded"),
}


class _Labels:
    """The receipt's labels in one language; an unknown id shows as itself (a newer
    payment method must not stop a receipt from printing)."""

    def __init__(self, language: str) -> None:
        self._index = 0 if language.startswith("zh") else 1

    def __call__(self, label_id: str, **fields: object) -> str:
        texts = RECEIPT_TEXTS.get(label_id)
        if texts is None:
            return label_id.rsplit(".", maxsplit=1)[-1]
        text = texts[self._index]
        return text.format(**fields) if fields else text

    def name(self, name_zh: str, name_en: str) -> str:
        if self._index == 0:
            return name_zh or name_en
        return name_en or name_zh


def render_receipt(order: Order, settings: Settings, language: str | None = None) -> str:
    """The receipt of ``order`` in ``language`` ("zh_CN" or "en"; default: the till's
    ``[ui] language``), as plain text ``WIDTH`` columns wide."""
    return as_text(receipt_doc(order, settings, language), WIDTH)


def receipt_doc(order: Order, settings: Settings, language: str | None = None) -> ReceiptDoc:
    """The receipt of ``order`` as a document for the printer (and for ``render_receipt``):
    the store's name large, the total bold and tall, the order number as a QR code at the
    foot (a return scans it)."""
    tr = _Labels(language or settings.ui.language)
    money = format_cents
    totals = order.totals()
    per_line = {t.line_no: t for t in totals.lines}
    local = (order.closed_at or order.opened_at).astimezone(settings.zone)
    out: list[Block] = [
        Text(settings.store_name, _TITLE),
        Text(tr("order_no", order_no=order.order_no)),
        Text(f"{local:%Y-%m-%d %H:%M:%S}  {settings.device_id}"),
        Rule(),
    ]
    for line in order.cart.lines:
        name = tr.name(line.name_zh, line.name_en)
        if line.voided:
            out.append(Row(tr("void", name=name), ""))
            continue
        line_total = per_line[line.line_no]
        out.append(Row(name, money(line_total.gross_cents)))
        if line.weight_grams is not None:
            kg, grams = divmod(line.weight_grams, 1000)
            price = money(line.unit_price_cents)
            out.append(Text(tr("weighed", kg=f"{kg}.{grams:03d}", price=price)))
        elif line.quantity > 1:
            price = money(line.unit_price_cents)
            out.append(Text(tr("pieces", quantity=line.quantity, price=price)))
        if line_total.line_discount_cents:
            out.append(Row(tr("line_discount"), "-" + money(line_total.line_discount_cents)))
    out.append(Rule())
    out.append(Row(tr("subtotal"), money(totals.subtotal_cents)))
    if totals.order_discount_cents:
        out.append(Row(tr("order_discount"), "-" + money(totals.order_discount_cents)))
    if totals.member_savings_cents:
        out.append(Row(tr("member_savings"), money(totals.member_savings_cents)))
    total = settings.currency_symbol + money(totals.total_cents)
    out.append(Row(tr("total"), total, _TOTAL))
    out.append(Row(tr("tax"), money(totals.tax_cents)))
    for payment in order.payments:
        label = tr(f"method.{payment.method}")
        if payment.state is not PaymentState.SUCCEEDED:
            label += f" ({tr(f'state.{payment.state}')})"
        shown = (
            payment.tendered_cents if payment.tendered_cents is not None else payment.amount_cents
        )
        out.append(Row(label, money(shown)))
        if payment.change_cents:
            out.append(Row(tr("change"), money(payment.change_cents)))
    if order.state is OrderState.CANCELLED:
        out.append(Row(tr("cancelled"), ""))
    out.append(Rule())
    out.append(QrCode(order.order_no))
    return ReceiptDoc(tuple(out))
