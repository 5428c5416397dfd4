"""The words of shifts: one text in zh_CN and en per reason code of ``ShiftError``
(``terminal/domain/shift.py``): selling without an open shift, opening, pay-ins and
pay-outs, closing with the count.

tests/ui/test_shift_texts.py checks that every code has both texts and uses only the
params its error carries. What must not live here: the report's layout, other reasons
(``texts_rules``, ``texts_refusals``), Qt.
"""

from __future__ import annotations

# id -> (zh_CN, en). str.format fields in braces, the same fields in both languages.
SHIFT_TEXTS: dict[str, tuple[str, str]] = {
    "shift.refused": (
        "当前班次状态下无法执行此操作",
        "That cannot be done in the till's shift now",
    ),
    "shift.none_open": (
        "尚未开班：请先放入备用金并开班，再开始收银",
        "No shift is open: open a shift with the cash float before selling",
    ),
    "shift.already_open": (
        "第 {shift_no} 班自 {opened_at} 起仍在进行：请先交班",
        "Shift {shift_no} is open since {opened_at}: close it first",
    ),
    "shift.closed": (
        "第 {shift_no} 班已交班，不能再记录",
        "Shift {shift_no} is closed: nothing can be added to it",
    ),
    "shift.no_staff": ("请输入操作员工号", "Enter the staff id of who does this"),
    "shift.no_reason": (
        "请填写存入或取出现金的原因",
        "Say why cash goes into or out of the drawer",
    ),
    "shift.zero_amount": ("金额必须大于 0.00", "The amount must be more than 0.00"),
    "shift.sale_open": (
        "订单 {order_no} 已收款或支付处理中：请先完成该订单或等待支付结果，再交班",
        "Sale {order_no} has money taken or on its way: finish it, or let its payment settle,"
        " before closing the shift",
    ),
    "shift.unknown": ("本机没有第 {shift_no} 班", "This till has no shift {shift_no}"),
    "shift.no_z": ("还没有日结报表：请先交班", "No Z report yet: close a shift first"),
}
