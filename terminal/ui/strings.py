"""The screens' texts in zh_CN and en, switchable while the till runs.

Why a Python catalog instead of Qt Linguist (.ts -> lrelease -> .qm): compiling .ts files
needs Qt's tools, which the PySide6-Essentials wheel and a kiosk image do not carry, and a
missing .qm falls back to the source text silently. Here every message id has both texts
side by side, a test checks that none is missing, mypy sees the ids as plain strings, and
switching language is a dict lookup followed by each window's ``retranslate()``. The ids
are stable, so a translator can work from this file alone.

Domain error messages come from ``terminal.domain`` in English; the screens put a
translated headline (by error class) in front of them.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from terminal.domain.errors import (
    CartError,
    DomainError,
    IllegalTransition,
    InvalidCode,
    MoneyError,
    PaymentError,
    UnknownItem,
)

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
    # error headlines, by error class
    "error.unknown_item": ("商品不在目录中", "Not in the catalog"),
    "error.invalid_code": ("无法识别的条码", "Code not recognised"),
    "error.cart": ("无法修改购物车", "Cart"),
    "error.payment": ("收款失败", "Payment"),
    "error.money": ("金额无效", "Amount"),
    "error.state": ("当前状态不允许此操作", "Not now"),
    "error.fault": ("系统故障，请联系技术支持", "Till fault: call support"),
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
}

_ERROR_HEADLINES: tuple[tuple[type[BaseException], str], ...] = (
    (UnknownItem, "error.unknown_item"),
    (InvalidCode, "error.invalid_code"),
    (MoneyError, "error.money"),
    (PaymentError, "error.payment"),
    (CartError, "error.cart"),
    (IllegalTransition, "error.state"),
)


class Strings(QObject):
    """The current language; ``changed`` tells every window to ``retranslate()``."""

    changed = Signal(str)

    def __init__(self, language: Language = Language.ZH_CN, parent: QObject | None = None):
        super().__init__(parent)
        self._language = language
        self._unknown: set[str] = set()

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
        if msg_id and msg_id not in self._unknown:
            # Once per id: guidance is painted with every camera frame.
            self._unknown.add(msg_id)
            log.warning("no text for message id", extra={"msg_id": msg_id})
        return self.text(default) if default else ""

    def error(self, error: BaseException) -> str:
        """A headline in the current language, then the domain's own message."""
        if not isinstance(error, DomainError):
            return f"{self.text('error.fault')}: {error}"
        for kind, msg_id in _ERROR_HEADLINES:
            if isinstance(error, kind):
                return f"{self.text(msg_id)}: {error}"
        return str(error)
