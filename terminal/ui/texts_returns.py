"""The words of returns and refunds: the refund rules broken (``refund.*`` of
``terminal/domain/refund.py``), a return the till cannot take (``return.*`` of
``terminal/app/returns.py``) and how a refund's money went back (``refund.done``,
``refund.waiting``, ``refund.owed``, ...).

One text in zh_CN and en per reason code (tests/ui/test_reason_texts.py checks); a text
uses only the params its error carries, ``*_cents`` params arrive formatted as money.
What must not live here: the sale's rules (``texts_rules``), texts that are not reasons,
Qt.
"""

from __future__ import annotations

# id -> (zh_CN, en). str.format fields in braces, the same fields in both languages.
RETURN_TEXTS: dict[str, tuple[str, str]] = {
    "refund.refused": ("无法办理该退款", "That refund cannot be made"),
    "refund.bad_number": (
        "“{refund_no}” 不是有效的退款单号",
        "'{refund_no}' is not a refund number",
    ),
    "refund.not_an_order_number": (
        "“{text}” 不是订单号：请扫描小票上的条码或输入单号",
        "'{text}' is not an order number: scan the receipt's code or type its number",
    ),
    "refund.order_not_paid": (
        "订单 {order_no} 未付款，无可退款项",
        "Order {order_no} was not paid: there is nothing to refund",
    ),
    "refund.no_lines": ("请至少选择一行退款", "Choose at least one line to refund"),
    "refund.no_line": (
        "订单 {order_no} 没有第 {line_no} 行",
        "Order {order_no} has no line {line_no}",
    ),
    "refund.line_twice": (
        "第 {line_no} 行重复选择：请只选一次",
        "Line {line_no} is chosen twice: choose it once",
    ),
    "refund.by_weight": (
        "第 {line_no} 行为称重商品：请输入退货克数",
        "Line {line_no} was sold by weight: give the grams to refund",
    ),
    "refund.by_piece": (
        "第 {line_no} 行按件销售：请输入退货件数",
        "Line {line_no} was sold by the piece: give the pieces to refund",
    ),
    "refund.bad_quantity": (
        "第 {line_no} 行：退货数量须为大于 0 的整数",
        "Line {line_no}: what to refund must be a whole number from 1",
    ),
    "refund.nothing_left": (
        "订单 {order_no} 第 {line_no} 行已全部退款",
        "Line {line_no} of order {order_no} is refunded in full already",
    ),
    "refund.over_quantity": (
        "第 {line_no} 行：要退 {asked}，只剩 {left} 可退",
        "Line {line_no}: {asked} asked back, only {left} left to refund",
    ),
    "refund.no_reason": (
        "请填写退货原因（最多 {max_length} 字）",
        "Say why the goods come back (at most {max_length} characters)",
    ),
    "refund.no_cashier": ("退款需要收银员工号", "The refund needs the cashier's id"),
    "refund.needs_approval": (
        "此类退款（{kind}）需要店长批准",
        "A {kind} refund needs a manager's approval",
    ),
    "refund.self_approved": (
        "批准此退款（{kind}）的店长不能是收银员本人",
        "The manager approving a {kind} refund cannot be its cashier",
    ),
    "refund.no_member": (
        "订单 {order_no} 为刷脸支付，但没有可退回的会员",
        "Order {order_no} was paid by face but names no member to credit",
    ),
    "refund.no_items": ("无小票退货至少需要一件商品", "A return without a receipt needs an item"),
    "refund.bad_item": (
        "商品 {sku}：件数和价格须为大于 0 的整数",
        "Item {sku}: pieces and price must be whole numbers above zero",
    ),
    "refund.no_tender": (
        "订单 {order_no}：{amount_cents} 无可退回的支付方式",
        "Order {order_no}: {amount_cents} has no tender left to go back to",
    ),
    "refund.payment_settled": (
        "退款支付 {refund_payment_id} 已是{state}状态",
        "Refund payment {refund_payment_id} is already {state}",
    ),
    "refund.unknown_payment": (
        "退款单 {refund_no} 中没有 {refund_payment_id}",
        "Refund {refund_no} has no payment {refund_payment_id}",
    ),
    "return.refused": ("暂时无法办理退货", "That return cannot be taken now"),
    "return.order_unknown": (
        "本机没有订单 {order_no}：请到云端查询，或按无小票退货办理",
        "Order {order_no} is not on this till: look it up in the cloud, or return"
        " without a receipt",
    ),
    "return.order_not_in_cloud": (
        "云端没有本店的订单 {order_no}",
        "The cloud has no order {order_no} of this store",
    ),
    "return.refund_unknown": (
        "本机没有退款单 {refund_no}",
        "Refund {refund_no} is not on this till",
    ),
    "refund.done": (
        "退款 {refund_no} 完成：已退 {paid_back_cents}",
        "Refund {refund_no} done: {paid_back_cents} back",
    ),
    "refund.waiting": (
        "退款 {refund_no}：{pending_cents} 待云端确认后退回，系统会自动重试",
        "Refund {refund_no}: {pending_cents} goes back when the cloud answers;"
        " the till keeps sending it",
    ),
    "refund.owed": (
        "退款 {refund_no}：{owed_cents} 无法原路退回，请店长处理",
        "Refund {refund_no}: {owed_cents} could not go back the way it was paid:"
        " a manager settles it",
    ),
    "refund.cloud_refused": (
        "云端拒绝退款 {refund_no}（{why}），请店长处理",
        "The cloud refused refund {refund_no} ({why}): a manager looks at it",
    ),
    "refund.order_not_in_cloud": (
        "退款 {refund_no} 等待订单 {order_no} 上传云端后处理",
        "Refund {refund_no} waits until order {order_no} has reached the cloud",
    ),
}
