"""The words of the sale's rules, broken: one text in zh_CN and en per reason code of
``TillError`` (``terminal/errors.py``) and of the domain's errors
(``terminal/domain/errors.py``: codes, items, catalog, cart, order and payment states,
money, order numbers, the face-pay refusals of ``PaymentError``).

Every code registered there needs its texts here (tests/ui/test_reason_texts.py checks);
a text uses only the params its error carries, and ``*_cents`` params arrive formatted as
money. What must not live here: payment outcomes, offline limits, face decisions and
enrollment (``texts_refusals``), texts that are not reasons, Qt.
"""

from __future__ import annotations

# id -> (zh_CN, en). str.format fields in braces, the same fields in both languages.
RULE_TEXTS: dict[str, tuple[str, str]] = {
    "till.refused": ("当前无法执行此操作", "The till cannot do that now"),
    "till.payment_in_progress": (
        "正在等待支付结果，请稍候",
        "Waiting for the payment's answer: one moment",
    ),
    "till.cloud_unreachable": (
        "无法连接云端：请重试或收现金",
        "The cloud cannot be reached: try again, or take cash",
    ),
    "till.no_printer": ("本机未连接小票打印机", "No receipt printer is set up on this till"),
    "till.sign_in_first": (
        "请先用员工号和密码登录再收银",
        "Sign in with your staff id and PIN first",
    ),
    "till.sale_in_progress": (
        "交易 {order_no} 进行中：请先完成、挂单或取消",
        "Sale {order_no} is in progress: finish, hold or cancel it first",
    ),
    "weighing.sold_by_piece": (
        "{name} 按件销售：请扫描商品条码",
        "{name} is sold by the piece: scan its barcode",
    ),
    "weighing.overload": ("秤超载：请减少重量", "The scale is overloaded: take something off"),
    "weighing.underload": (
        "秤读数低于零：请清空并归零",
        "The scale reads below zero: empty it and zero it",
    ),
    "weighing.unstable": (
        "秤还在晃动：请稍等读数稳定",
        "The scale is still moving: wait for it to settle",
    ),
    "weighing.no_weight": ("秤上没有重量：请放上商品", "The scale reads zero: put the item on it"),
    "weighing.negative": (
        "秤读数 {weight_grams} 克低于零：请清空并归零或重新去皮",
        "The scale reads {weight_grams} g, below zero: empty it and zero or re-tare it",
    ),
    "weighing.over_max": (
        "{weight_grams} 克超过单行上限 {max_grams} 克：请分开称重",
        "{weight_grams} g is over the {max_grams} g one line takes: weigh in parts",
    ),
    "weighing.no_scale": (
        "秤上没有稳定的重量：放上商品并等待读数稳定",
        "No stable weight from the scale: put the item on it and wait",
    ),
    "domain.refused": ("此操作不符合销售规则", "That breaks a rule of the sale"),
    "order_no.bad_device": ("设备编号 {device_id} 无效", "Device id {device_id} is not valid"),
    "order_no.bad_seq": ("订单序号 {seq} 无效", "Order sequence {seq} is not valid"),
    "order_no.malformed": ("“{order_no}” 不是有效的订单号", "'{order_no}' is not an order number"),
    "order_no.bad_date": (
        "订单号 {order_no} 中的日期无效",
        "Order number {order_no} has an impossible date",
    ),
    "order_no.not_canonical": (
        "订单号 {order_no} 的写法与本机不同",
        "Order number {order_no} is not written the way this till writes it",
    ),
    "code.invalid": (
        "无法使用该条码：请重扫或手动输入",
        "That code cannot be used: scan again or type it",
    ),
    "code.empty": ("未读到条码：请重扫", "Nothing was read: scan again"),
    "code.not_digits": ("条码只能是数字：请重扫", "Barcodes are digits only: scan again"),
    "code.bad_length": (
        "条码有 {length} 位，商品条码应为 8、12、13 或 14 位",
        "The barcode has {length} digits; product barcodes have 8, 12, 13 or 14",
    ),
    "code.check_digit": ("条码校验位错误：请重扫", "Check digit wrong: scan again"),
    "code.unknown_kind": (
        "既不是商品条码也不是付款码：请重扫或手动输入",
        "Not a product barcode or a payment code: scan again or type it",
    ),
    "code.gs1_empty": (
        "GS1 条码为空：请重扫或输入商品码",
        "The GS1 barcode was empty: scan again or type the item code",
    ),
    "code.gs1_unreadable": (
        "GS1 条码无法识别：请重扫",
        "The GS1 barcode is not readable: scan again",
    ),
    "code.gs1_price": (
        "标签价格不是整数分：请用货架价格或输入商品码",
        "The label's price is not whole fen: use the shelf price or type the item code",
    ),
    "code.scale_check_digit": (
        "秤签 {label} 校验位错误：请重扫或重新称重",
        "Scale label {label}: check digit wrong, scan again or weigh again",
    ),
    "code.scale_zero": ("秤签显示为零：请重新称重", "The scale label shows zero: weigh again"),
    "code.wallet_invalid": (
        "不是有效的微信或支付宝付款码：请重扫",
        "Not a WeChat Pay or Alipay code: scan it again",
    ),
    "code.wallet_empty": (
        "未读到付款码：请顾客重新出示",
        "No payment code was read: ask the customer to show it again",
    ),
    "code.wallet_not_digits": (
        "付款码只能是数字：请重扫",
        "Payment codes are digits only: scan the code again",
    ),
    "code.wallet_length": (
        "付款码应为 {min_length} 到 {max_length} 位，此码有 {length} 位：请重扫",
        "Payment codes have {min_length} to {max_length} digits, this one {length}: scan again",
    ),
    "code.wallet_wechat_length": (
        "微信付款码应为 {wechat_length} 位，此码有 {length} 位：请重扫",
        "WeChat Pay codes have {wechat_length} digits, this one {length}: scan again",
    ),
    "code.wallet_prefix": (
        "以 {prefix} 开头，不是微信或支付宝付款码：请重扫",
        "Starts with {prefix}: not a WeChat Pay or Alipay code, scan again",
    ),
    "code.wallet_provider": (
        "这是{actual}付款码，不是{expected}付款码",
        "That is a {actual} code, not {expected}",
    ),
    "item.unknown": ("{code} 不在商品目录中", "{code} is not in the catalog"),
    "item.unknown_plu": ("秤码 {plu} 不在商品目录中", "Scale item {plu} is not in the catalog"),
    "item.no_gtin": ("该 GS1 条码不含商品编码", "That GS1 code names no product"),
    "catalog.invalid_item": (
        "商品资料有误：请在后台修正",
        "A catalog item is wrong: fix it in the back office",
    ),
    "catalog.no_code": ("商品既无条码也无秤码", "The item has neither a barcode nor a PLU code"),
    "catalog.no_name": ("商品 {item} 没有名称", "Item {item} has no name"),
    "catalog.name_too_long": (
        "商品 {item} 的名称超过 {max_length} 个字",
        "Item {item}: the name is longer than {max_length}",
    ),
    "catalog.bad_price": ("商品 {item} 的价格无效", "Item {item}: the price is not valid"),
    "catalog.zero_price": ("商品 {item} 的价格为零", "Item {item} has a zero price"),
    "catalog.member_price_above": (
        "商品 {item} 的会员价 {member_price_cents} 高于原价 {price_cents}",
        "Item {item}: member price {member_price_cents} is above the price {price_cents}",
    ),
    "catalog.bad_tax_rate": ("商品 {item} 的税率无效", "Item {item}: the tax rate is not valid"),
    "catalog.kg_needs_plu": (
        "称重商品 {item} 需要秤码",
        "Weighed item {item} needs a PLU code for the scale",
    ),
    "cart.refused": ("无法修改购物车", "The cart cannot do that"),
    "cart.no_sale": ("当前没有交易：请先扫码", "No sale in progress: scan an item first"),
    "cart.hold_paid": (
        "交易 {order_no} 已有付款，不能挂单：请完成或取消",
        "Sale {order_no} has a payment: finish or cancel it instead of holding",
    ),
    "cart.recall_busy": (
        "交易 {order_no} 进行中：请先完成或挂单",
        "Sale {order_no} is in progress: finish or hold it first",
    ),
    "cart.not_held": ("没有挂单 {which}", "There is no held sale {which}"),
    "cart.empty": ("购物车是空的", "The cart is empty"),
    "cart.no_line": ("没有第 {line_no} 行", "There is no line {line_no}"),
    "cart.sold_by_weight": ("{name} 按重量销售：请上秤称重", "{name} is sold by weight: weigh it"),
    "cart.sold_by_piece": (
        "{name} 按件销售：请扫描商品条码",
        "{name} is sold by the piece: scan its barcode",
    ),
    "cart.line_weighed": (
        "{name} 为称重商品：请逐个扫描秤签",
        "{name} was weighed: scan each label instead",
    ),
    "cart.bad_label": (
        "秤签上没有有效的重量或金额：请重新称重",
        "The scale label has no usable weight or amount: weigh again",
    ),
    "cart.bad_weight": ("重量不合理：请重新称重", "The weight is not plausible: weigh again"),
    "cart.quantity_zero": (
        "数量不能为 0：请用作废删除该行",
        "Quantity 0: use Void to remove the line",
    ),
    "cart.quantity_range": (
        "数量须为 1 到 {max_quantity} 的整数",
        "Quantity must be a whole number from 1 to {max_quantity}",
    ),
    "cart.quantity_over": (
        "数量 {quantity} 超过 {max_quantity}：请核对数量",
        "Quantity {quantity} is over {max_quantity}: check the count",
    ),
    "cart.discount_over_line": (
        "优惠 {discount_cents} 超过该行金额 {amount_cents}",
        "Discount {discount_cents} is more than the line amount {amount_cents}",
    ),
    "cart.discount_over_total": (
        "优惠 {discount_cents} 超过订单总额 {total_cents}",
        "Discount {discount_cents} is more than the total {total_cents}",
    ),
    "state.refused": ("当前状态不允许此操作", "Not now: the order is in another state"),
    "order.cannot_move": (
        "订单 {order_no} 当前状态不允许此操作",
        "Order {order_no} cannot do that in its current state",
    ),
    "order.not_tendering": (
        "订单 {order_no} 当前不在收款中",
        "Order {order_no} is not taking payment now",
    ),
    "state.payment_move": (
        "这笔付款当前状态不允许此操作",
        "The payment cannot do that in its current state",
    ),
    "order.closed": (
        "订单 {order_no} 已结束，不能修改",
        "Order {order_no} is closed: it cannot change",
    ),
    "order.money_taken": (
        "订单 {order_no} 已收款：请完成付款或取消订单",
        "Order {order_no} has money taken: finish the payment or cancel",
    ),
    "payment.refused": ("无法收取这笔款项", "That payment cannot be taken"),
    "payment.nothing_due": ("本单无待收金额", "Nothing is due on this order"),
    "payment.no_cash": ("未输入现金金额", "No cash tendered"),
    "payment.tender_too_large": (
        "收款 {tendered_cents} 远超应收 {due_cents}：请核对输入的金额",
        "{tendered_cents} tendered on {due_cents} due: check the amount typed",
    ),
    "payment.wrong_order": (
        "这笔付款不属于订单 {order_no}",
        "That payment does not belong to order {order_no}",
    ),
    "payment.empty_cart": ("购物车是空的：请先扫码", "The cart is empty: scan an item first"),
    "payment.not_a_payment_code": (
        "这不是付款码：请扫描手机上的付款码",
        "That is not a payment code: scan the code on the phone",
    ),
    "payment.code_in_cart": (
        "这是付款码：请扫完商品后再用它付款",
        "That is a payment code: pay with it once the items are scanned",
    ),
    "payment.balance_due": (
        "订单 {order_no} 还差 {due_cents}",
        "Order {order_no} still has {due_cents} to pay",
    ),
    "payment.refund_first": (
        "订单 {order_no} 已收款：请先退款",
        "Order {order_no} has money taken: refund it first",
    ),
    "payment.none_in_flight": (
        "本单没有等待结果的付款",
        "No payment of this order is waiting for a result",
    ),
    "payment.in_flight": (
        "有一笔付款结果未知：请先查询",
        "A payment's result is unknown: query it first",
    ),
    "payment.no_face_pay": ("本机未启用刷脸支付", "Face pay is not set up on this till"),
    "payment.no_members": ("本机未启用会员功能", "Members are not set up on this till"),
    "payment.no_enrollment": (
        "设备未注册到云端，无法加入会员",
        "Joining needs a till registered with the cloud",
    ),
    "payment.face.spoof": (
        "活体检测未通过，不能刷脸支付",
        "The liveness check failed: face pay is not offered",
    ),
    "payment.face.ask_last4": (
        "无法确认身份：请输入手机号后四位",
        "Not sure enough: enter the phone's last 4 digits",
    ),
    "payment.face.member": (
        "已识别会员，但把握不足以刷脸支付",
        "Recognised, but not sure enough to pay by face",
    ),
    "payment.face.unknown": ("未识别到会员", "The face matches no member"),
    "payment.face.searching": ("正在识别，请稍候", "Still recognising: wait a moment"),
    "payment.face.other_member": (
        "识别结果是另一位会员：请重新识别",
        "The face is another member's: look again",
    ),
    "payment.face.nothing_staged": (
        "没有等待确认的刷脸支付",
        "No face payment is waiting for confirmation",
    ),
    "payment.face.amount_changed": ("金额已变更：请重新确认", "The amount changed: confirm again"),
    "money.invalid": ("金额无效", "That is not a valid amount"),
    "money.not_an_amount": (
        "“{text}” 不是有效金额（例如 12.30）",
        "'{text}' is not an amount like 12.30",
    ),
    "money.too_many_decimals": ("“{text}” 超过两位小数", "'{text}' has more than two decimals"),
    "money.not_cents": ("金额必须是整数分", "An amount must be a whole number of fen"),
    "money.too_large": (
        "“{text}” 超过金额上限 {limit_cents}",
        "'{text}' is over the limit of {limit_cents}",
    ),
    "money.negative": ("金额不能为负", "An amount cannot be negative"),
    "money.over_limit": (
        "金额超过上限 {limit_cents}",
        "The amount is over the limit of {limit_cents}",
    ),
}
