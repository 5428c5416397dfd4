"""The words of refusals that are not a rule of the sale: how a payment ended
(``pay.*``), the offline limits (``offline.*``), a member not on the till, the face
decision's ``Why`` (``decision.*``), the face-pay question withdrawn or a late Confirm
refused (``question.*``), enrollment refusals (``enroll.*``) and consent.

One text in zh_CN and en per reason code (tests/ui/test_reason_texts.py checks); a text
uses only the params its error carries, ``*_cents`` params arrive formatted as money.
What must not live here: the domain's rules (``texts_rules``), texts that are not
reasons, Qt.
"""

from __future__ import annotations

# id -> (zh_CN, en). str.format fields in braces, the same fields in both languages.
REFUSAL_TEXTS: dict[str, tuple[str, str]] = {
    "pay.refused": ("支付未成功", "The payment did not go through"),
    "pay.declined": ("支付被拒绝", "The payment was declined"),
    "pay.declined.insufficient_balance": ("会员余额不足", "The member's balance is too low"),
    "pay.declined.member_unknown": ("云端没有该会员信息", "The cloud does not know this member"),
    "pay.declined.no_face_evidence": (
        "未采集到人脸，无法刷脸支付",
        "No face was captured for the payment",
    ),
    "pay.declined.face_disabled": ("该会员已关闭刷脸支付", "This member has turned face pay off"),
    "pay.declined.face_mismatch": (
        "云端人脸核验未通过：请换其他方式付款",
        "The cloud could not confirm the face: pay another way",
    ),
    "pay.declined.liveness_low": (
        "活体检测未通过：请正对摄像头再试",
        "The liveness check did not pass: face the camera and try again",
    ),
    "pay.declined.over_payment_cap": (
        "超过本店单笔刷脸支付限额",
        "Above this store's limit for one face payment",
    ),
    "pay.declined.over_member_daily_cap": (
        "超过您今日的刷脸支付限额",
        "Above your face pay limit for today",
    ),
    "pay.declined.over_device_daily_cap": (
        "超过本机今日的刷脸支付限额",
        "Above this till's face pay limit for today",
    ),
    "pay.declined.too_many_payments": (
        "短时间内刷脸支付次数过多，请稍后再试",
        "Too many face payments in a short time; try again later",
    ),
    "pay.declined.too_many_attempts": (
        "人脸核验失败次数过多，请稍后再试或换其他方式付款",
        "Too many failed face checks; try later or pay another way",
    ),
    "forget.refused": ("云端未能处理删除请求", "The cloud could not do it"),
    "forget.offline": (
        "暂时无法连接云端，请稍后再试或到服务台办理",
        "The cloud cannot be reached; try later or ask at the service desk",
    ),
    "forget.no_phone": (
        "没有登记手机号，无法发送验证码：请到服务台办理",
        "No phone number on file to send a code to: ask at the service desk",
    ),
    "forget.code_wrong": (
        "验证码不正确，还可尝试 {tries_left} 次",
        "Wrong code; {tries_left} tries left",
    ),
    "forget.code_dead": ("验证码已失效，请重新获取", "That code can no longer be used; ask again"),
    "forget.too_many": (
        "验证码请求过多，请 {wait_s} 秒后再试",
        "Too many codes asked for; try again in {wait_s} s",
    ),
    "pay.cancelled": ("支付已撤销：请重新付款", "The payment was cancelled: take it again"),
    "pay.not_sent": (
        "网络不通，未发起扣款：请换其他方式付款",
        "Not sent (no network), nothing was charged: take another payment",
    ),
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
    "question.withdrawn.no_face": (
        "看不到您的脸，支付确认已撤回：请看摄像头",
        "We lost sight of you, so the question was withdrawn: look at the camera",
    ),
    "question.withdrawn.changed": (
        "摄像头前已不是该会员，支付确认已撤回",
        "The camera no longer sees that member, so the question was withdrawn",
    ),
    "question.refused.not_fresh": (
        "确认未生效：付款人须正对摄像头",
        "Confirm not taken: the payer must be looking at the camera",
    ),
    "enroll.no_face": ("没有拍到清晰的正脸", "No clear frontal face was captured"),
    "enroll.liveness": ("活体检测未通过", "The liveness check failed"),
    "enroll.inconsistent": (
        "录入期间画面中不是同一个人",
        "The frames did not show one person throughout",
    ),
    "consent.unknown_version": (
        "本机不认识条款版本 {version}：请重新展示当前条款",
        "Terms version {version} is unknown to this till: show the current terms again",
    ),
}
