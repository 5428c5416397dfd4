"""The X and Z reports as the cashier reads them on screen, in the current language.

What must not live here: the figures (``terminal/domain/shift_report``), Qt widgets.
"""

from __future__ import annotations

from terminal.domain.money import format_cents
from terminal.domain.shift_report import ShiftFigures, XReport, ZReport
from terminal.ui.strings import Strings


def report_text(strings: Strings, report: XReport | ZReport) -> str:
    tr = strings.text
    shift, figures = report.shift, report.figures
    if isinstance(report, ZReport):
        head = tr("report.z_title", number=report.z_number, shift_no=shift.shift_no)
    else:
        head = tr("report.x_title", shift_no=shift.shift_no)
    lines = [head, tr("report.opened", at=shift.opened_at.strftime("%Y-%m-%d %H:%M"))]
    lines += _tenders(strings, figures)
    money = format_cents
    lines += [
        tr("report.orders", paid=figures.orders_paid, cancelled=figures.orders_cancelled),
        tr("report.discounts", amount=money(figures.discounts_cents)),
        tr("report.float", amount=money(figures.float_cents)),
        tr("report.pay_ins", amount=money(figures.pay_ins_cents), count=figures.pay_ins_count),
        tr("report.pay_outs", amount=money(figures.pay_outs_cents), count=figures.pay_outs_count),
        tr("report.cash_expected", amount=money(figures.cash_expected_cents)),
    ]
    if isinstance(report, ZReport):
        lines += [
            tr("report.counted", amount=money(report.counted_cents)),
            tr("report.variance", amount=money(report.variance_cents)),
        ]
    return "\n".join(lines)


def _tenders(strings: Strings, figures: ShiftFigures) -> list[str]:
    tr = strings.text
    return [
        tr(
            "report.tender",
            tender=strings.message(f"report.tender.{total.tender}", total.tender),
            sales=format_cents(total.sales_cents),
            refunds=format_cents(total.refunds_cents),
            net=format_cents(total.net_cents),
        )
        for total in figures.tenders
    ]
