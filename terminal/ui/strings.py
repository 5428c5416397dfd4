"""The screens' texts in zh_CN and en, switchable while the till runs.

Why a Python catalog instead of Qt Linguist (.ts -> lrelease -> .qm): compiling .ts files
needs Qt's tools, which the PySide6-Essentials wheel and a kiosk image do not carry, and a
missing .qm falls back to the source text silently. Here every message id has both texts
side by side, a test checks that none is missing, mypy sees the ids as plain strings, and
switching language is a dict lookup followed by each window's ``retranslate()``. The ids
are stable, so a translator can work from this file alone.

Reasons are codes, and every code is a message id here: a ``TillError``'s ``code`` (the
domain's rules, the payment refusals), a face decision's ``Why``, an enrollment refusal.
``reason(code, params)`` formats one in the current language, amounts (params ending in
``_cents``) as money; ``error(exc)`` does it for an exception and never shows its English
``str``: an error that is not a ``TillError`` (a bug, the disk) shows "something went
wrong, see the log" (the task thread has logged it).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from terminal.domain.money import format_cents
from terminal.errors import TillError, money_fields

log = logging.getLogger(__name__)


class Language(StrEnum):
    ZH_CN = "zh_CN"
    EN = "en"


# id -> (zh_CN, en). str.format fields in braces.
CATALOG: dict[str, tuple[str, str]] = {
    # cashier window
    "cashier.title": ("收银台", "Cashier"),
    "scan.placeholder": (
        "扫码或输入条码 / 数量 / 金额，按 Enter",
        "Scan or type a code, qty or amount, then Enter",
    ),
    "col.line": ("#", "#"),
    "col.name": ("商品", "Item"),
    "col.qty": ("数量", "Qty"),
    "col.price": ("单价", "Price"),
    "col.amount": ("金额", "Amount"),
    "col.status": ("状态", "Status"),
    "line.void": ("已作废", "VOID"),
    "line.discount": ("优惠 {amount}", "disc. {amount}"),
    "action.qty": ("F2 数量", "F2 Qty"),
    "action.void": ("F3 作废", "F3 Void"),
    "action.discount": ("F4 整单优惠", "F4 Discount"),
    "action.line_discount": ("⇧F4 单品优惠", "⇧F4 Line disc."),
    "action.cash": ("F5 现金收款", "F5 Cash"),
    "action.exact": ("F6 实收", "F6 Exact"),
    "action.reprint": ("F7 重打小票", "F7 Reprint"),
    "action.cancel": ("F8 取消交易", "F8 Cancel"),
    "action.sync": ("F9 立即同步", "F9 Sync now"),
    "action.face_pay": ("F10 刷脸", "F10 Face pay"),
    "action.language": ("F11 English", "F11 中文"),
    "totals.subtotal": ("小计", "Subtotal"),
    "totals.discount": ("优惠", "Discount"),
    "totals.total": ("应收", "Total"),
    "totals.paid": ("已收", "Paid"),
    "totals.due": ("待收", "Due"),
    "totals.change": ("找零", "Change"),
    "totals.items": ("{count} 件", "{count} items"),
    "tender.title": ("现金", "Cash"),
    "tender.placeholder": ("收款金额", "Cash tendered"),
    "tender.change": ("找零 {amount}", "Change {amount}"),
    "tender.short": ("还差 {amount}", "Short {amount}"),
    "member.guest": ("非会员", "Guest"),
    "member.known": ("会员 {name}", "Member {name}"),
    "member.greeting": ("会员 {name} · 积分 {points}", "Member {name} · {points} pts"),
    "sale.none": ("等待扫码", "Ready to scan"),
    "sale.order": ("单号 {order_no}", "Order {order_no}"),
    "sale.paid": ("已付款 {order_no}，找零 {change}", "Paid {order_no}, change {change}"),
    "sale.cancelled": ("已取消 {order_no}", "Cancelled {order_no}"),
    "sync.title": ("云端同步", "Cloud sync"),
    "sync.online": ("在线", "Online"),
    "sync.offline": ("离线", "Offline"),
    "sync.never": ("尚未连接", "Not yet connected"),
    "sync.unregistered": ("设备未注册", "Device not registered"),
    "sync.queued": ("待上传 {count} 笔", "{count} queued"),
    "sync.oldest": ("最早 {age} 前", "oldest {age} ago"),
    "sync.dead": (
        "⚠ {count} 笔被云端拒收：请联系技术支持",
        "⚠ {count} refused by the cloud: call support",
    ),
    "sync.last_error": ("上次错误：{error}", "Last error: {error}"),
    "sync.woken": ("正在同步…", "Syncing…"),
    "sync.retry_dead": ("重新上传被拒条目", "Retry parked entries"),
    "sync.retrying": ("被拒条目已重新排队上传", "Parked entries queued again"),
    "sync.no_worker": ("未注册，无法同步", "Not registered: nothing to sync with"),
    "devices.title": ("设备", "Devices"),
    "devices.scanner": ("扫码枪：{state}", "Scanner: {state}"),
    "devices.scanner.connected": ("已连接", "connected"),
    "devices.scanner.disconnected": ("未连接", "disconnected"),
    "devices.scanner.reconnecting": ("重连中", "reconnecting"),
    "devices.scanner.none": ("无", "none"),
    "devices.camera": ("摄像头：{state}", "Camera: {state}"),
    "devices.camera.fps": ("{fps:.0f} 帧/秒", "{fps:.0f} fps"),
    "devices.camera.none": ("无", "none"),
    "recent.title": ("最近订单", "Recent orders"),
    "recent.row": ("{order_no}  {total}  {state}", "{order_no}  {total}  {state}"),
    "recent.state.paid": ("已付", "paid"),
    "recent.state.cancelled": ("取消", "cancelled"),
    "receipt.title": ("小票 {order_no}", "Receipt {order_no}"),
    "receipt.close": ("关闭 (Esc)", "Close (Esc)"),
    "receipt.none": ("请先在最近订单中选择一笔", "Pick an order in Recent orders first"),
    "status.ready": ("就绪", "Ready"),
    "status.recovered": (
        "启动恢复：{count} 笔未完成订单已处理",
        "Start-up: {count} unfinished orders recovered",
    ),
    "status.hand_back": (
        "请退还顾客现金 {amount}（订单 {order_no}）",
        "Hand back {amount} cash (order {order_no})",
    ),
    "status.need_number": ("请先输入数字，再按 {key}", "Type a number first, then press {key}"),
    "status.bad_number": ("“{text}” 不是有效的数量", "'{text}' is not a quantity"),
    "error.fault": (
        "出现问题，详情见日志；如仍无法继续，请联系技术支持",
        "Something went wrong: see the log, or call support",
    ),
    # customer window
    "customer.title": ("顾客屏", "Customer"),
    "customer.welcome": ("欢迎光临", "Welcome"),
    "customer.welcome.other": ("Welcome", "欢迎光临"),
    "customer.total": ("合计", "Total"),
    "customer.items": ("共 {count} 件", "{count} items"),
    "customer.paid": ("支付成功", "Payment received"),
    "customer.paid_amount": ("实付 {amount}", "Paid {amount}"),
    "customer.change": ("找零 {amount}", "Your change {amount}"),
    "customer.thanks": ("谢谢惠顾，欢迎再次光临", "Thank you, see you again"),
    "customer.camera": ("刷脸支付即将上线", "Face pay coming soon"),
    "customer.due": ("待付 {amount}", "To pay {amount}"),
    "customer.offline": (
        "离线模式：可用现金；刷脸支付限额内可用",
        "Offline: cash; face pay within limits",
    ),
    # the face stages on the customer screen (CustomerPanel)
    "face.pay_by_face": ("刷脸支付", "Pay by face"),
    "face.looking": ("正在识别，请看摄像头…", "Looking for you…"),
    "face.joined": ("欢迎新会员！", "Welcome, new member!"),
    "face.balance": ("余额 {amount}", "Balance {amount}"),
    "face.not_me": ("不是我", "Not me"),
    "face.confirm": ("确认支付", "Confirm"),
    "face.invite.title": ("成为会员，开通刷脸支付", "Join as a member and pay by face"),
    "face.consent.version": ("条款版本 {version}", "Terms version {version}"),
    "face.accept": ("同意", "Accept"),
    "face.decline": ("不用了，谢谢", "No thanks"),
    "face.enrolling": ("请保持不动，正在录入…", "Hold still…"),
    "face.last4.title": ("请输入手机号后四位", "Last 4 digits of your phone"),
    "face.last4.hint": (
        "无法确认是您：请输入手机号后四位",
        "Not sure it is you: enter the last 4 digits of your phone",
    ),
    "face.last4.no_match": (
        "没有与该号码匹配的会员，请重试",
        "No member with those digits looks like you",
    ),
    "face.key.ok": ("确定", "OK"),
    "face.key.cancel": ("取消", "Cancel"),
    "face.paying": ("正在支付…", "Paying…"),
    "face.pay_other_way": ("换其他方式支付", "Pay another way"),
    "face.guide.too_far": ("请靠近一点", "Come a little closer"),
    "face.guide.out_of_frame": ("请把脸移到画面中间", "Move your face into the middle"),
    "face.guide.pose": ("请正对摄像头", "Face the camera straight on"),
    "face.guide.too_dark": ("光线太暗", "Too dark"),
    "face.guide.too_bright": ("光线太亮", "Too bright"),
    "face.guide.blurry": ("请保持不动", "Hold still, the picture is blurred"),
    "face.guide.crowded": ("请一次一人", "One person at a time, please"),
    "face.guide.spoof": ("活体检测未通过", "Liveness check failed"),
    "face.guide.no_face": ("请看摄像头", "Look at the camera"),
    "face.greeting": ("{name}，您好！积分 {points}", "Hi, {name}! Points: {points}"),
    "face.prompt": ("{name}，确认支付 {amount}？", "{name}, pay {amount}?"),
    "face.failed.declined": ("刷脸支付被拒绝", "Face pay declined"),
    "face.failed.offline": (
        "离线时超出限额，无法刷脸支付",
        "Face pay is not possible offline beyond the limit",
    ),
    "face.failed.error": ("刷脸支付未成功", "Face pay did not go through"),
    "face.failed.unresolved": (
        "支付结果未知：收银员将为您核实",
        "Payment result unknown: the cashier will check",
    ),
    "face.failed.enroll": (
        "未能录入面部信息：请看摄像头再试一次",
        "Could not make your face template: look at the camera and try again",
    ),
    "face.failed.unknown_member": (
        "本收银台暂无该会员信息",
        "This member is not on this till yet",
    ),
    "face.failed.not_pay": (
        "识别把握不足，无法刷脸支付",
        "Not recognised well enough to pay by face",
    ),
    # what the cashier sees of the customer's face stage
    "cashier.face.looking": ("顾客屏：正在识别人脸", "Customer: looking for a face"),
    "cashier.face.greeting": ("顾客屏：已识别会员", "Customer: member recognised"),
    "cashier.face.invite": ("顾客屏：邀请加入会员", "Customer: deciding whether to join"),
    "cashier.face.enrolling": ("顾客屏：正在录入人脸", "Customer: joining, face capture"),
    "cashier.face.confirm": ("顾客正在确认刷脸支付", "Customer is confirming face pay"),
    "cashier.face.last4": ("顾客正在输入手机后四位", "Customer is entering phone digits"),
    "cashier.face.paying": ("刷脸支付处理中…", "Face pay in progress…"),
    "cashier.face.failed": ("刷脸未成功：{reason}", "Face pay failed: {reason}"),
    "cashier.face.unavailable": ("本机未启用刷脸支付", "Face pay is not set up on this till"),
    # reason codes (terminal/errors.py and its subclasses, the face decision's Why,
    # enrollment refusals): why something was refused, for the cashier and the customer
    "till.refused": ("当前无法执行此操作", "The till cannot do that now"),
    "till.cloud_unreachable": (
        "无法连接云端：请重试或收现金",
        "The cloud cannot be reached: try again, or take cash",
    ),
    "domain.refused": ("此操作不符合销售规则", "That breaks a rule of the sale"),
    "order_no.bad_device": ("设备编号 {device_id} 无效", "Device id {device_id} is not valid"),
    "order_no.bad_seq": ("订单序号 {seq} 无效", "Order sequence {seq} is not valid"),
    "order_no.malformed": ("“{order_no}” 不是有效的订单号", "'{order_no}' is not an order number"),
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
    "code.gs1_unreadable": (
        "GS1 条码无法识别：请重扫",
        "The GS1 barcode is not readable: scan again",
    ),
    "code.gs1_price": (
        "标签价格不是整数分：请用货架价格或输入商品码",
        "The label's price is not whole fen: use the shelf price or type the item code",
    ),
    "code.scale_zero": ("秤签显示为零：请重新称重", "The scale label shows zero: weigh again"),
    "code.wallet_invalid": (
        "不是有效的微信或支付宝付款码：请重扫",
        "Not a WeChat Pay or Alipay code: scan it again",
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
    "cart.quantity_zero": (
        "数量不能为 0：请用作废删除该行",
        "Quantity 0: use Void to remove the line",
    ),
    "cart.quantity_range": (
        "数量须为 1 到 {max_quantity} 的整数",
        "Quantity must be a whole number from 1 to {max_quantity}",
    ),
    "cart.discount_over_line": ("优惠超过该行金额", "The discount is more than the line amount"),
    "cart.discount_over_total": (
        "优惠 {discount_cents} 超过订单总额 {total_cents}",
        "Discount {discount_cents} is more than the total {total_cents}",
    ),
    "state.refused": ("当前状态不允许此操作", "Not now: the order is in another state"),
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
    "money.negative": ("金额不能为负", "An amount cannot be negative"),
    "money.over_limit": (
        "金额超过上限 {limit_cents}",
        "The amount is over the limit of {limit_cents}",
    ),
    "pay.refused": ("支付未成功", "The payment did not go through"),
    "pay.declined": ("支付被拒绝", "The payment was declined"),
    "pay.declined.insufficient_balance": ("会员余额不足", "The member's balance is too low"),
    "pay.declined.member_unknown": ("云端没有该会员信息", "The cloud does not know this member"),
    "pay.cancelled": ("支付已撤销：请重新付款", "The payment was cancelled: take it again"),
    "pay.paid": ("已付款", "Paid"),
    "pay.paid_offline": ("已离线付款（稍后上传云端）", "Paid offline (sent to the cloud later)"),
    "pay.unresolved": (
        "支付结果未知，系统正在核实：核实前请勿改用其他方式收款",
        "Payment result unknown; the till keeps checking:"
        " take another method only once it is settled",
    ),
    "offline.refused": ("离线状态：请收现金", "Offline: take cash"),
    "offline.no_face_pay": (
        "离线状态下本店不支持刷脸支付：请收现金",
        "Offline, this store takes no face pay: take cash",
    ),
    "offline.over_payment_cap": (
        "离线刷脸每笔限额 {limit_cents}，本笔 {amount_cents}：请收现金",
        "Offline face pay is limited to {limit_cents} a payment;"
        " this one is {amount_cents}: take cash",
    ),
    "offline.over_day_cap": (
        "今日离线刷脸额度已用完（剩余 {left_cents}，共 {limit_cents}）：请收现金",
        "Offline face pay today is used up ({left_cents} left of {limit_cents}): take cash",
    ),
    "offline.balance_unknown": (
        "本机暂无该会员余额：请收现金",
        "This member's balance is not on the till yet: take cash",
    ),
    "offline.balance_short": (
        "会员余额 {balance_cents} 不足 {amount_cents}：请收现金",
        "The member's balance {balance_cents} does not cover {amount_cents}: take cash",
    ),
    "offline.payment_code": (
        "离线状态下不能使用付款码：请收现金或会员刷脸",
        "Offline, payment codes cannot be taken: take cash, or face pay for a member",
    ),
    "member.unknown": (
        "本机暂无该会员信息：请同步或按非会员销售",
        "This member is not on the till yet: sync, or sell as a guest",
    ),
    "decision.liveness_failed": ("活体检测未通过", "The liveness check failed"),
    "decision.no_member": ("未找到匹配的会员", "No member looks like this face"),
    "decision.frames_disagree": ("识别结果不一致", "The frames do not agree on one member"),
    "decision.liveness_pending": ("正在进行活体检测", "Liveness check still in progress"),
    "decision.below_payment": ("相似度不足以刷脸支付", "Not similar enough to pay by face"),
    "decision.large_gallery": (
        "会员较多，需要手机号后四位确认",
        "Many members: the phone's last 4 digits are needed",
    ),
    "decision.close_runner_up": (
        "有相似的会员，需要手机号后四位确认",
        "Another member looks alike: the last 4 digits are needed",
    ),
    "decision.no_face": ("未检测到人脸", "No face in view"),
    "decision.crowded": ("画面中有多张人脸", "More than one face in view"),
    "decision.poor_quality": ("画面质量不足", "The picture is not good enough"),
    "enroll.no_face": ("没有拍到清晰的正脸", "No clear frontal face was captured"),
    "enroll.liveness": ("活体检测未通过", "The liveness check failed"),
    "enroll.inconsistent": (
        "录入期间画面中不是同一个人",
        "The frames did not show one person throughout",
    ),
}


class Strings(QObject):
    """The current language; ``changed`` tells every window to ``retranslate()``."""

    changed = Signal(str)

    def __init__(
        self,
        language: Language = Language.ZH_CN,
        parent: QObject | None = None,
        *,
        symbol: str = "¥",
    ):
        super().__init__(parent)
        self._language = language
        self._unknown: set[str] = set()
        self.symbol = symbol  # the currency symbol of amounts in reasons

    @property
    def language(self) -> Language:
        return self._language

    def set_language(self, language: Language) -> None:
        if language is self._language:
            return
        self._language = language
        self.changed.emit(str(language))

    def toggle(self) -> None:
        self.set_language(Language.EN if self._language is Language.ZH_CN else Language.ZH_CN)

    def text(self, msg_id: str, **fields: object) -> str:
        zh, en = CATALOG[msg_id]
        text = zh if self._language is Language.ZH_CN else en
        return text.format(**fields) if fields else text

    def message(self, msg_id: str, default: str = "") -> str:
        """The text of a message id that came from the logic (``CustomerPanel.notice``,
        ``FaceOverlay.guidance``): ``default``'s text when it is empty or unknown here.
        An unknown id is logged, not raised: a slot must not fail on a newer id."""
        if msg_id in CATALOG:
            return self.text(msg_id)
        if msg_id:
            # Once per id: guidance is painted with every camera frame.
            self._note_unknown(msg_id)
        return self.text(default) if default else ""

    def reason(
        self,
        code: str,
        params: Mapping[str, object] | None = None,
        fallback: str = "till.refused",
    ) -> str:
        """A reason code's text with its fields, amounts formatted as money; "" for no
        code. An unknown code (from a newer part of the till) is logged once and shows
        ``fallback``'s text: the generic "cannot do that", or nothing for ""."""
        if not code:
            return ""
        if code not in CATALOG:
            self._note_unknown(code)
            if not fallback:
                return ""
            code = fallback
        zh, en = CATALOG[code]
        text = zh if self._language is Language.ZH_CN else en
        fields = money_fields(params or {}, lambda cents: format_cents(cents, self.symbol))
        return text.format_map(_Fields(fields))

    def error(self, error: BaseException) -> str:
        """What the cashier reads about an error: a ``TillError``'s reason in the current
        language; for anything else (a bug, the disk) only "something went wrong"."""
        if isinstance(error, TillError):
            return self.reason(error.code, error.params)
        return self.text("error.fault")

    def _note_unknown(self, msg_id: str) -> None:
        if msg_id not in self._unknown:
            self._unknown.add(msg_id)
            log.warning("no text for message id", extra={"msg_id": msg_id})


class _Fields(dict[str, object]):
    """Format fields where a missing one shows as "?" instead of raising: a reason's
    text must never break the slot that shows it."""

    def __missing__(self, key: str) -> str:
        return "?"
