"""The printed receipt in zh_CN and en: labels from the receipt's own table, item names
by language, amounts as money, columns aligned for CJK names; the printer's document
stresses the store's name and the total and ends with the order number as a QR code."""

from __future__ import annotations

import dataclasses
import string

from drivers.printer import QrCode, Row, Text
from drivers.printer import display_width as _width
from terminal.app.receipt import RECEIPT_TEXTS, WIDTH, receipt_doc, render_receipt
from terminal.config import Settings, UiSection
from terminal.domain.cart import Cart
from terminal.domain.order import Order
from terminal.domain.payment import PaymentState
from tests.support.domain_builders import LATER, new_order, pay_cash, piece_item, weighed_item

SETTINGS = Settings(device_id="T01")


def _paid_order() -> Order:
    """Two waters at 3.50, 0.500 kg of apples at 19.98/kg, paid with 20.00 cash."""
    cart = Cart()
    cart.add(piece_item(350), code="water", quantity=2)
    cart.add_weighed(weighed_item(1998), code="2800042", weight_grams=500)
    order = new_order(cart)
    order.start_tender()
    pay_cash(order, 2000)
    order.complete(LATER)
    return order


def _cancelled_order() -> Order:
    """A water paid 1.00 in cash, then cancelled: the cash is handed back."""
    order = new_order(Cart())
    order.cart.add(piece_item(350), code="water")
    order.start_tender()
    payment = pay_cash(order, 100)
    payment.transition(PaymentState.REFUNDED, LATER)
    order.cancel("cancelled by cashier", LATER)
    return order


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_has_both_languages_with_the_same_fields() -> None:
    for label_id, (zh, en) in RECEIPT_TEXTS.items():
        assert zh.strip() and en.strip(), label_id
        assert _fields(zh) == _fields(en), label_id


def test_an_english_receipt_has_english_labels_and_names() -> None:
    text = render_receipt(_paid_order(), SETTINGS, "en")
    assert "Mineral water" in text and "Apples" in text
    assert "矿泉水" not in text
    for label in ("No. T01-20261122-0001", "Subtotal", "TOTAL", "incl. VAT", "Change"):
        assert label in text
    assert "  2 x 3.50" in text
    assert "  0.500 kg x 19.98/kg" in text
    assert "cash" in text
    assert "¥16.99" in text  # 7.00 + 9.99
    assert "3.01" in text  # the change from 20.00


def test_a_chinese_receipt_has_chinese_labels_and_names() -> None:
    text = render_receipt(_paid_order(), SETTINGS, "zh_CN")
    assert "矿泉水" in text and "苹果" in text
    assert "Mineral water" not in text
    for label in ("单号 T01-20261122-0001", "小计", "合计", "含增值税", "找零", "现金"):
        assert label in text
    for english in ("Subtotal", "TOTAL", "Change", "VAT", "cash"):
        assert english not in text
    assert "  0.500 千克 x 19.98/千克" in text
    assert "¥16.99" in text


def test_the_language_defaults_to_the_tills_ui_language() -> None:
    order = _paid_order()
    assert "合计" in render_receipt(order, SETTINGS)  # zh_CN is the default
    english = dataclasses.replace(SETTINGS, ui=UiSection(language="en"))
    assert "TOTAL" in render_receipt(order, english)


def test_a_cancelled_sale_shows_the_cash_handed_back_in_either_language() -> None:
    order = _cancelled_order()
    english = render_receipt(order, SETTINGS, "en")
    assert "cash (refunded)" in english and "CANCELLED" in english
    chinese = render_receipt(order, SETTINGS, "zh_CN")
    assert "现金 (已退还)" in chinese and "交易已取消" in chinese


def test_rows_stay_within_the_paper_width_with_chinese_names() -> None:
    for language in ("zh_CN", "en"):
        for line in render_receipt(_paid_order(), SETTINGS, language).splitlines():
            assert _width(line) <= WIDTH, (language, line)
    # The amounts of a row end at the right edge in both languages.
    for language in ("zh_CN", "en"):
        rows = [r for r in render_receipt(_paid_order(), SETTINGS, language).splitlines()]
        total_row = next(r for r in rows if r.endswith("¥16.99"))
        assert _width(total_row) == WIDTH


def test_the_printers_document_stresses_the_name_and_total_and_ends_with_the_order_qr() -> None:
    doc = receipt_doc(_paid_order(), SETTINGS, "zh_CN")
    title = doc.blocks[0]
    assert isinstance(title, Text) and title.text == SETTINGS.store_name
    assert title.style.wide and title.style.bold
    total = next(b for b in doc.blocks if isinstance(b, Row) and b.left == "合计")
    assert total.style.bold and total.style.tall and not total.style.wide
    assert doc.blocks[-1] == QrCode("T01-20261122-0001")
    assert not doc.open_drawer  # only a cash sale's first print asks for the drawer
